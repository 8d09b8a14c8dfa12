package io.nightshift.jobs.cli;

import java.util.concurrent.TimeUnit;

import io.nightshift.jobs.base.StopRequest;

import sun.misc.Signal;

/**
 * SIGTERM, SIGINT and SIGHUP as a scheduler sends them: the command stops its Spark jobs and fails in its own thread,
 * recording the run as stopped and releasing the write lock, then exits 128 + the signal's number (143 for
 * SIGTERM). The JVM's default would run shutdown hooks beside the work still going on, while Iceberg's and Spark's
 * own pools close under it, and leave the run's job_runs row {@code running}.
 *
 * <p>A second signal, or a command that has not stopped within {@link #GRACE_SECONDS}, exits at once.
 */
final class StopSignals {
    static final long GRACE_SECONDS = 120;

    private StopSignals() {
    }

    static void install() {
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            try {
                Signal.handle(new Signal(name), StopSignals::received);
            } catch (IllegalArgumentException unavailable) {
                // Not a signal on this platform (or the JVM reserves it): keep the JVM's default.
            }
        }
    }

    static int exitCode(String signal) {
        return 128 + switch (signal) {
            case "HUP" -> 1;
            case "INT" -> 2;
            default -> 15;
        };
    }

    private static void received(Signal signal) {
        if (StopRequest.signal() != null) {
            Runtime.getRuntime().halt(exitCode(signal.getName()));
        }
        StopRequest.received(signal.getName());
        System.err.println("nightshift: SIG" + signal.getName() + " received: stopping the running work");
        SparkJobCancellation.cancelRunningJobs("SIG" + signal.getName() + " received");
        Thread deadline = new Thread(() -> {
            try {
                TimeUnit.SECONDS.sleep(GRACE_SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("nightshift: still running " + GRACE_SECONDS + " s after SIG" + signal.getName()
                    + ": exiting");
            System.exit(exitCode(signal.getName()));
        }, "nightshift-stop-deadline");
        deadline.setDaemon(true);
        deadline.start();
    }
}
