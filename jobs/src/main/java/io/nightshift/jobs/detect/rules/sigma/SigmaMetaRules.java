package io.nightshift.jobs.detect.rules.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.nightshift.jobs.detect.rules.Correlation;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleSyntaxException;
import io.nightshift.jobs.detect.rules.RuleValidationError;

/**
 * Resolves a folder's Sigma meta rules against its Sigma rules once every file is read (a correlation or filter may
 * name a rule of another file): filters first, so a correlation counts the rows its filtered base rules match, as
 * pySigma applies filters to the rules before converting correlations. A broken filter or correlation is an error
 * naming its file and key; an unsupported one is skipped with the reason; either way the rules it names still run.
 */
public final class SigmaMetaRules {
    private final SigmaFieldMapping fields;
    private final Map<String, List<String>> logsourceServices;
    private final List<RuleValidationError> errors;
    private final List<RuleValidationError> skipped;

    public SigmaMetaRules(SigmaFieldMapping fields, Map<String, List<String>> logsourceServices,
                          List<RuleValidationError> errors, List<RuleValidationError> skipped) {
        this.fields = fields;
        this.logsourceServices = logsourceServices;
        this.errors = errors;
        this.skipped = skipped;
    }

    /**
     * Applies {@code filters} to the Sigma rules among {@code rules} (replaced in place by their filtered form) and
     * returns the {@code drafts} that resolve.
     *
     * @param bases   the Sigma rules of {@code rules}, with their names and log sources
     * @param leftOut ids and names of Sigma rules that were left out (a filter naming one has nothing to apply to)
     */
    public List<Correlation> resolve(List<SigmaBaseRule> bases, Set<String> leftOut, List<SigmaFilterLoader> filters,
                                     List<SigmaCorrelationLoader.Draft> drafts, List<Rule> rules) {
        Predicate<String> correlationNamed = ref -> drafts.stream().anyMatch(d -> ref.equals(d.id())
                || ref.equals(d.name()));
        List<SigmaBaseRule> current = new ArrayList<>(bases);
        for (SigmaFilterLoader f : filters) {
            try {
                current = f.apply(current, leftOut::contains, correlationNamed, fields, logsourceServices);
            } catch (SigmaUnsupportedException e) {
                skipped.add(f.problem(e.line(), "Sigma filter skipped (the rules it names run without it): "
                        + e.getMessage()));
            } catch (RuleSyntaxException e) {
                errors.add(f.problem(e.line(), e.getMessage()));
            }
        }
        for (int i = 0; i < bases.size(); i++) {
            rules.set(rules.indexOf(bases.get(i).rule()), current.get(i).rule());
        }
        List<SigmaBaseRule> resolvedBases = current;
        List<Correlation> out = new ArrayList<>();
        for (SigmaCorrelationLoader.Draft d : drafts) {
            try {
                out.add(SigmaCorrelationLoader.resolve(d, ref -> resolvedBases.stream().filter(b -> b.isNamed(ref))
                        .findFirst().orElse(null), correlationNamed, leftOut::contains, fields));
            } catch (SigmaUnsupportedException e) {
                skipped.add(new RuleValidationError(d.file(), e.line(), d.id(), "Sigma correlation rule skipped: "
                        + e.getMessage()));
            } catch (RuleSyntaxException e) {
                errors.add(new RuleValidationError(d.file(), e.line(), d.id(), e.getMessage()));
            }
        }
        return out;
    }
}
