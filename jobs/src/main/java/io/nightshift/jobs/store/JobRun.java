package io.nightshift.jobs.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nightshift.jobs.base.Failures;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.StopRequest;
import io.nightshift.jobs.store.JobRunLog.Outcome;

/**
 * One run's {@code job_runs} row from its start to its end. However the run ends — an outcome recorded, an exception
 * of any kind, the handle closed without an outcome, or a stop signal (the command line's handler cancels the Spark
 * jobs, so the run fails in its own thread and records "stopped by SIGTERM") — the row ends {@code succeeded} or
 * {@code failed}, never {@code running}. Only a process killed outright (kill -9) leaves it running, and the next
 * run of the date marks it abandoned.
 *
 * <p>For a JVM that shuts down under the run without a signal the handler sees ({@code System.exit} from a library),
 * a shutdown hook tries the same, before Spark's own hook stops the SparkContext, waiting at most
 * {@link #SHUTDOWN_WRITE_SECONDS}. It can fail: JVM hooks run side by side, and Iceberg's worker pool may already be
 * shut down; it then says so on stderr.
 */
public final class JobRun implements AutoCloseable {
    /** Above Spark's SparkContext shutdown priority (50): Spark runs higher priorities first. */
    static final int SHUTDOWN_PRIORITY = 60;
    static final long SHUTDOWN_WRITE_SECONDS = 30;

    private final JobRunLog log;
    private final String runId;
    private final String command;
    private final LocalDate date;
    private final Instant startedAt;
    private final String detail;
    private final Object shutdownHook;
    private boolean ended;

    JobRun(JobRunLog log, String runId, String command, LocalDate date, Instant startedAt, String detail) {
        this.log = log;
        this.detail = detail;
        this.runId = runId;
        this.command = command;
        this.date = date;
        this.startedAt = startedAt;
        this.shutdownHook = org.apache.spark.util.ShutdownHookManager.addShutdownHook(SHUTDOWN_PRIORITY,
                new scala.runtime.AbstractFunction0<scala.runtime.BoxedUnit>() {
                    @Override
                    public scala.runtime.BoxedUnit apply() {
                        endOnShutdown();
                        return scala.runtime.BoxedUnit.UNIT;
                    }
                });
    }

    public String runId() {
        return runId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Records the run's outcome (succeeded, or a failure the run reports itself, as maintenance does). */
    public synchronized void succeeded(Outcome outcome) {
        succeeded(outcome, null);
    }

    /**
     * {@link #succeeded(Outcome)} with what the run worked around ({@code notes}: a rule left out, and why) added to
     * its {@code detail}, a line each.
     */
    public synchronized void succeeded(Outcome outcome, String notes) {
        String all = notes == null || notes.isBlank() ? detail : detail == null ? notes : detail + "\n" + notes;
        log.ended(runId, command, date, startedAt, outcome, all);
        ended = true;
    }

    /**
     * Records the run as failed with {@code error}'s innermost message. Never throws: a failure to record is added to
     * {@code error} as suppressed, so the caller rethrows the run's own failure.
     */
    public synchronized void failed(Throwable error, Map<String, Double> stageSeconds) {
        if (ended) {
            return;
        }
        String reason = StopRequest.describe(error instanceof NightshiftException ? error.getMessage()
                : Failures.innermost(error));
        StopRequest.recordingTheStop();
        try {
            log.ended(runId, command, date, startedAt, Outcome.failed(reason, stageSeconds), detail);
        } catch (RuntimeException recordFailure) {
            error.addSuppressed(recordFailure);
        }
        ended = true;
    }

    /** Ends a run that recorded no outcome as failed, and stops watching for the JVM's shutdown. */
    @Override
    public void close() {
        synchronized (this) {
            if (!ended) {
                failed(new IllegalStateException("the run ended without recording an outcome"), Map.of());
            }
        }
        try {
            org.apache.spark.util.ShutdownHookManager.removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is already running (or has run); it finds the run ended and does nothing.
        }
    }

    private void endOnShutdown() {
        synchronized (this) {
            if (ended) {
                return;
            }
        }
        Thread writer = new Thread(() -> {
            IllegalStateException stopped = new IllegalStateException("the process was stopped (a signal or an exit)"
                    + " while the run was in progress");
            failed(stopped, Map.of());
            for (Throwable t : stopped.getSuppressed()) {
                System.err.println("nightshift: could not record run " + runId + " as failed while stopping: "
                        + Failures.innermost(t));
            }
        }, "nightshift-job-run-shutdown");
        writer.setDaemon(true);
        writer.start();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(SHUTDOWN_WRITE_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
