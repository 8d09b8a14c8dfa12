package io.nightshift.jobs.detect.rules;

import java.util.List;

import io.nightshift.jobs.base.Severity;

/**
 * One detection rule, loaded and validated: what it detects ({@code condition} over a log row, restricted to the
 * {@code services} of its log source, and its {@code threshold}), how it is classified (severity, status, MITRE), and
 * what a person should do about a hit ({@code nextSteps}). Rules are data: a {@code Rule} is built only by
 * {@link RuleLoader} (Nightshift YAML) or {@link SigmaRuleLoader} (Sigma YAML).
 *
 * @param services   services the rule applies to; empty means any service
 * @param sourceFile the file it was read from, as given to the loader (reported in findings' metadata)
 * @param line       1-based line of the rule's first key in that file
 * @param fields     for a Sigma rule, how each field it names resolved (in order of first use); empty otherwise
 */
public record Rule(String id, String title, String description, Severity severity, RuleStatus status, Mitre mitre,
                   List<String> services, Condition condition, ThresholdSpec threshold, SuppressionSpec suppression,
                   List<String> nextSteps, RuleFormat format, String sourceFile, int line,
                   List<FieldResolution> fields) {
    public Rule {
        services = List.copyOf(services);
        nextSteps = List.copyOf(nextSteps);
        fields = List.copyOf(fields);
    }

    /** A rule whose fields are written as the canonical names they are (a Nightshift rule). */
    public Rule(String id, String title, String description, Severity severity, RuleStatus status, Mitre mitre,
                List<String> services, Condition condition, ThresholdSpec threshold, SuppressionSpec suppression,
                List<String> nextSteps, RuleFormat format, String sourceFile, int line) {
        this(id, title, description, severity, status, mitre, services, condition, threshold, suppression, nextSteps,
                format, sourceFile, line, List.of());
    }

    /** The Sigma fields no mapping resolved (read from {@code attributes['<name>']}), by name. */
    public List<String> unmappedFields() {
        return fields.stream().filter(f -> !f.mapped()).map(FieldResolution::ruleField).toList();
    }
}
