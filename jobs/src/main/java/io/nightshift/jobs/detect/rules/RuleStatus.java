package io.nightshift.jobs.detect.rules;

/**
 * How far a rule is trusted. Experimental rules still produce findings, at {@link #EXPERIMENTAL_SCORE_FACTOR} of the
 * score, so a new rule can be watched on real data without paging anyone.
 */
public enum RuleStatus {
    STABLE, EXPERIMENTAL;

    public static final double EXPERIMENTAL_SCORE_FACTOR = 0.6;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
