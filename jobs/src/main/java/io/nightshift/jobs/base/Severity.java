package io.nightshift.jobs.base;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A rule's declared severity and the base score (0–100) its findings start from. The bases sit inside the bands of
 * {@link io.nightshift.jobs.detect.Findings#severityOf}, so an exact match of a stable rule reads as the severity
 * its author declared; match strength can lift the score by at most {@link #MAX_STRENGTH_BONUS} points.
 */
public enum Severity {
    INFORMATIONAL(10), LOW(30), MEDIUM(55), HIGH(75), CRITICAL(90);

    /** Points a finding gains when its measure is far (8×) over the threshold. */
    public static final double MAX_STRENGTH_BONUS = 10.0;

    private final int baseScore;

    Severity(int baseScore) {
        this.baseScore = baseScore;
    }

    public int baseScore() {
        return baseScore;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a severity word (also Sigma's {@code level}); {@code null} when it is not one. */
    public static Severity parse(String word) {
        if (word == null) {
            return null;
        }
        for (Severity s : values()) {
            if (s.word().equals(word.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return null;
    }

    public static String words() {
        return Arrays.stream(values()).map(Severity::word).collect(Collectors.joining(", "));
    }
}
