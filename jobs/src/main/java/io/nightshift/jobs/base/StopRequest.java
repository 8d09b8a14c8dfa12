package io.nightshift.jobs.base;

/**
 * Whether the process was asked to stop (SIGTERM, SIGINT, SIGHUP) while it worked, and by which signal. The
 * command line's signal handler sets it and cancels the running Spark jobs, so the work in progress fails the way
 * any failure does and records why; a run's {@code job_runs} row then says it was stopped, not what Spark's
 * cancellation says.
 */
public final class StopRequest {
    private static volatile String signal;
    private static volatile boolean recordingTheStop;

    private StopRequest() {
    }

    public static void received(String signalName) {
        signal = signalName;
    }

    /**
     * Whether a Spark job starting now is to be cancelled: yes after a stop was requested, until the interrupted work
     * begins recording how it ended (its {@code job_runs} row is itself written by a Spark job).
     */
    public static boolean cancelsNewJobs() {
        return signal != null && !recordingTheStop;
    }

    /** Called by the code that records the interrupted run's end, so the jobs that write it are let through. */
    public static void recordingTheStop() {
        if (signal != null) {
            recordingTheStop = true;
        }
    }

    /** The signal's name (TERM, INT, HUP), or null when none was received. */
    public static String signal() {
        return signal;
    }

    /** How a failure reads when a stop was requested: the stop, then what it interrupted. */
    public static String describe(String failure) {
        String s = signal;
        if (s == null) {
            return failure;
        }
        String stopped = "stopped by SIG" + s + " while the run was in progress";
        return failure.startsWith("stopped by SIG") ? stopped : stopped + " (" + failure + ")";
    }

    /**
     * Throws when a stop was requested: called between steps (stages, publishing, backfill dates), where no Spark job
     * is running for the handler to cancel.
     */
    public static void checkNotRequested() {
        String s = signal;
        if (s != null) {
            throw new NightshiftException(ExitCodes.STAGE_FAILURE, "stopped by SIG" + s);
        }
    }
}
