package io.nightshift.jobs.after.report;

import java.util.List;
import java.util.Locale;

/**
 * The severity words of findings and incidents (informational … critical) as the report ranks and colours them.
 * Colours come from this fixed list only, never from data.
 */
final class Severities {
    /** Least to most severe, as {@code Findings.severityOf} and the incident assessor write them. */
    static final List<String> ORDER = List.of("informational", "low", "medium", "high", "critical");
    private static final List<String> COLOURS = List.of("#78909c", "#c9a400", "#ef6c00", "#c62828", "#6a1b9a");
    private static final String UNKNOWN_COLOUR = "#9e9e9e";

    private Severities() {
    }

    /** 1 (informational) to 5 (critical); 0 for null or an unknown word. */
    static int rank(String severity) {
        return severity == null ? 0 : ORDER.indexOf(severity.toLowerCase(Locale.ROOT)) + 1;
    }

    /** The word of a {@link #rank}, or "unknown". */
    static String word(int rank) {
        return rank >= 1 && rank <= ORDER.size() ? ORDER.get(rank - 1) : "unknown";
    }

    static String colour(String severity) {
        int r = rank(severity);
        return r == 0 ? UNKNOWN_COLOUR : COLOURS.get(r - 1);
    }

    /** A CSS class name for the word: one of a fixed set, so data never reaches a class attribute. */
    static String cssClass(String severity) {
        return "sev-" + word(rank(severity));
    }
}
