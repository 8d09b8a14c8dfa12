package io.nightshift.jobs.detect.rules.sigma;

import java.util.Map;

import io.nightshift.jobs.detect.rules.Rule;

/**
 * A compiled Sigma rule with what correlations and filters refer to it by: its {@code name} (null when it has none)
 * besides its id, and its {@code logsource}, whose field mappings also resolve the fields a correlation groups it by
 * or a filter tests on it.
 */
public record SigmaBaseRule(Rule rule, String name, Map<String, String> logsource) {
    public SigmaBaseRule {
        logsource = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(logsource));
    }

    /** Whether {@code reference} (a correlation's or filter's entry in {@code rules}) names this rule. */
    public boolean isNamed(String reference) {
        return reference.equals(rule.id()) || reference.equals(name);
    }
}
