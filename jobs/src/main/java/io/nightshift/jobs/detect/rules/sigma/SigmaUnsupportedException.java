package io.nightshift.jobs.detect.rules.sigma;

/**
 * A Sigma rule uses something this compiler does not support (aggregations, {@code near}, an unknown modifier...).
 * The rule is reported by name with the reason and skipped; the other rules still run.
 */
public final class SigmaUnsupportedException extends RuntimeException {
    private final int line;

    SigmaUnsupportedException(int line, String reason) {
        super(reason);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
