package io.nightshift.jobs.base;

/**
 * Whether the process was asked to stop (SIGTERM, SIGINT, SIGHUP) while it worked, and by which signal. The
 * command line's signal handler sets it and cancels the running Spark jobs, so the work in progress fails the way
 * any failure does and records why; a run's {@code job_runs} row then says it was stopped, not what Spark's
 * cancellation says.
 */
public final class StopRequest {
    private static volatile String signal;

    private StopRequest() {
    }

    public static void received(String signalName) {
        signal = signalName;
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
