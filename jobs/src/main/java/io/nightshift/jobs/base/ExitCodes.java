package io.nightshift.jobs.base;

/** Process exit codes; schedulers branch on them, so they are part of the contract (README "Exit codes"). */
public final class ExitCodes {
    public static final int OK = 0;
    /** A stage failed while running (Spark error, write failure). Safe to rerun. */
    public static final int STAGE_FAILURE = 1;
    /** Unknown option or malformed value on the command line. */
    public static final int USAGE = 2;
    /** The configuration file is missing, unreadable or invalid. */
    public static final int BAD_CONFIG = 3;
    /** The input is unusable: missing lake path, missing required column, corrupt file. */
    public static final int BAD_INPUT = 4;
    /** Another run holds the warehouse lock. */
    public static final int LOCK_HELD = 5;
    /** A check found problems (rules check, evidence verify). */
    public static final int CHECK_FAILED = 6;

    private ExitCodes() {
    }
}
