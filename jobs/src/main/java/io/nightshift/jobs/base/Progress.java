package io.nightshift.jobs.base;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** Stage progress a person can follow, one line per step, instead of Spark's INFO wall. */
public final class Progress {
    private final PrintStream out;
    private final String prefix;

    public Progress(PrintStream out, String prefix) {
        this.out = out;
        this.prefix = prefix;
    }

    public void line(String message) {
        out.println("[" + prefix + "] " + message);
        out.flush();
    }

    /** Runs {@code step}, then prints its name, what it reports, and how long it took. */
    public <T> T timed(String step, java.util.function.Supplier<T> work, java.util.function.Function<T, String> report) {
        long start = System.nanoTime();
        T result = work.get();
        line(String.format(Locale.ROOT, "%-14s %s (%.1f s)", step, report.apply(result), seconds(start)));
        return result;
    }

    public static double seconds(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis() / 1000.0;
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
