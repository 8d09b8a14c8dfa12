package io.nightshift.jobs.base;

/**
 * A failure the user can act on: its message is printed as one line, and {@link #exitCode()} becomes the
 * process exit code. Anything else that escapes a command is a stage failure.
 */
public class NightshiftException extends RuntimeException {
    private final int exitCode;

    public NightshiftException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public NightshiftException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static NightshiftException badConfig(String message) {
        return new NightshiftException(ExitCodes.BAD_CONFIG, message);
    }

    public static NightshiftException badInput(String message) {
        return new NightshiftException(ExitCodes.BAD_INPUT, message);
    }

    public static NightshiftException usage(String message) {
        return new NightshiftException(ExitCodes.USAGE, message);
    }
}
