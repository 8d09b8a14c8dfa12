package io.nightshift.jobs.base;

/** How a failure is told in one line: to a person at the terminal, and in {@code job_runs.error_message}. */
public final class Failures {
    private Failures() {
    }

    /** A throwable's message up to its first line break (its class name when it has none). */
    public static String oneLine(Throwable t) {
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }

    /**
     * The innermost cause's message, up to its first line break: Spark wraps the useful part (the file, the column)
     * several levels down.
     */
    public static String innermost(Throwable e) {
        Throwable t = e;
        String msg = String.valueOf(e.getMessage());
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                msg = t.getMessage();
            }
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }
}
