package io.nightshift.jobs.detect.intel;

import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The feed's normalised values per indicator type: what intel matching looks a log row's candidates up in before
 * the join, to drop the many that no indicator has. Per type, so that a lookup hashes the candidate's own value; one
 * set of {@code type + value} strings cost a new string, and its hash, for each of the three or four candidates of
 * every row of the day.
 */
final class IndicatorKeys implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, Set<String>> valuesByType = new HashMap<>();

    /** Adds an indicator ({@code type} as its {@link IndicatorType#word()}, the value as given). */
    IndicatorKeys add(String type, String value) {
        valuesByType.computeIfAbsent(type, t -> new HashSet<>()).add(normalized(type, value));
        return this;
    }

    /** Whether some indicator of {@code type} has this value once normalised as feed values are. */
    boolean contains(String type, String value) {
        Set<String> values = valuesByType.get(type);
        return values != null && values.contains(normalized(type, value));
    }

    private static String normalized(String type, String value) {
        IndicatorType t = IndicatorType.ofWord(type);
        return t == null ? value : t.normalize(value);
    }
}
