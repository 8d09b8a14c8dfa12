package io.nightshift.jobs.detect.rules;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Findings a rule still writes but marks {@code suppressed}: those whose entity value is allowlisted (e.g. a backup
 * service account that legitimately deletes in bulk), and repeats for the same entity within {@code cooldown} of
 * the entity's previous hit that day. Suppressed findings stay in the table so an analyst can see what was hidden
 * and why.
 *
 * @param allowlist entity column (one of {@code Findings.ENTITY_COLUMNS}) → values that suppress
 * @param cooldown  null: no cooldown
 */
public record SuppressionSpec(Map<String, List<String>> allowlist, Duration cooldown) {
    public static final SuppressionSpec NONE = new SuppressionSpec(Map.of(), null);

    public SuppressionSpec {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        allowlist.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        allowlist = java.util.Collections.unmodifiableMap(copy);
    }
}
