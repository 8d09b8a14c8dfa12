package io.nightshift.jobs.detect.rules;

import java.util.List;

/**
 * Every rule loaded from a rules directory, with what was wrong. {@code errors} are broken rules (bad YAML, unknown
 * keys or fields, bad regexes, windows or thresholds, duplicate ids); a run refuses to start while there are any, so
 * a typo never silently disables a detection. {@code skipped} are Sigma rules using features this compiler does not
 * support; they are reported and left out, and the run goes on.
 */
public record RuleCatalog(List<Rule> rules, List<RuleValidationError> errors, List<RuleValidationError> skipped) {
    public RuleCatalog {
        rules = List.copyOf(rules);
        errors = List.copyOf(errors);
        skipped = List.copyOf(skipped);
    }

    public boolean valid() {
        return errors.isEmpty();
    }
}
