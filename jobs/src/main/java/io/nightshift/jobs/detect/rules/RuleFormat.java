package io.nightshift.jobs.detect.rules;

/** Where a rule came from: a Nightshift rule file or a SigmaHQ rule compiled to the same form. */
public enum RuleFormat {
    NIGHTSHIFT, SIGMA;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
