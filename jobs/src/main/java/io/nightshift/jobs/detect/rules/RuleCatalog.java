package io.nightshift.jobs.detect.rules;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every rule loaded from a rules directory, with what was wrong. {@code errors} are broken rules (bad YAML, unknown
 * keys or fields, bad regexes, windows or thresholds, duplicate ids, correlations referring to rules that do not
 * exist); a run refuses to start while there are any, so a typo never silently disables a detection. {@code skipped}
 * are Sigma rules using features this compiler does not support; they are reported and left out, and the run goes on.
 * {@code correlations} are Sigma correlation rules over rules of {@code rules}.
 */
public record RuleCatalog(List<Rule> rules, List<RuleValidationError> errors, List<RuleValidationError> skipped,
                          List<Correlation> correlations) {
    public RuleCatalog {
        rules = List.copyOf(rules);
        errors = List.copyOf(errors);
        skipped = List.copyOf(skipped);
        correlations = List.copyOf(correlations);
    }

    /** A catalog without correlation rules. */
    public RuleCatalog(List<Rule> rules, List<RuleValidationError> errors, List<RuleValidationError> skipped) {
        this(rules, errors, skipped, List.of());
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    /**
     * The rules that only feed correlations: referred to by a correlation without {@code generate: true}, so their
     * own matches are not findings (Sigma's default; as pySigma, one such correlation is enough).
     */
    public Set<String> correlationOnly() {
        return correlationOnly(correlations);
    }

    /** {@link #correlationOnly()} for some of the catalog's correlations (those that run). */
    public static Set<String> correlationOnly(List<Correlation> correlations) {
        return correlations.stream().filter(c -> !c.generate()).flatMap(c -> c.ruleIds().stream())
                .collect(Collectors.toUnmodifiableSet());
    }
}
