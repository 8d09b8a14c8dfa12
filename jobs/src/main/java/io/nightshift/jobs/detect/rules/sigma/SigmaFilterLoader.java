package io.nightshift.jobs.detect.rules.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.nightshift.jobs.detect.rules.Condition;
import io.nightshift.jobs.detect.rules.FieldResolution;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleSyntaxException;
import io.nightshift.jobs.detect.rules.RuleValidationError;
import io.nightshift.jobs.detect.rules.YamlNode;

/**
 * A Sigma filter (a document with a {@code filter} section holding {@code rules}, selections and a
 * {@code condition}; Sigma specification v2), applied as pySigma applies it: each rule it names (by id or
 * {@code name}; {@code any}, {@code all} or an empty list for every rule of its log source) runs with
 * {@code (its condition) and (the filter's condition)}, the filter's fields resolved through that rule's mappings. A
 * filter's condition is therefore what the rule must <em>also</em> meet, usually {@code not selection} to leave
 * the selected rows out. Its {@code logsource} must cover each rule it names (every key it gives equal to the rule's).
 */
public final class SigmaFilterLoader {
    private final String file;
    private final int line;
    private final String id;
    private final Map<String, String> logsource;
    private final List<String> rules;
    private final int rulesLine;
    private final YamlNode.Entry filter;

    private SigmaFilterLoader(String file, int line, String id, Map<String, String> logsource, List<String> rules,
                              int rulesLine, YamlNode.Entry filter) {
        this.file = file;
        this.line = line;
        this.id = id;
        this.logsource = logsource;
        this.rules = rules;
        this.rulesLine = rulesLine;
        this.filter = filter;
    }

    /** Whether {@code doc} is a Sigma filter: a {@code filter} map holding {@code rules} or a {@code condition}. */
    public static boolean isFilter(YamlNode doc) {
        try {
            if (!doc.isMapping() || doc.entries().containsKey("detection") || doc.entries().containsKey("condition")) {
                return false;
            }
            YamlNode.Entry f = doc.entries().get("filter");
            return f != null && f.value().isMapping() && (f.value().entries().containsKey("rules")
                    || f.value().entries().containsKey("condition"));
        } catch (RuleSyntaxException e) {
            return false;
        }
    }

    public String id() {
        return id;
    }

    /**
     * The filter as written.
     *
     * @throws RuleSyntaxException naming the key that is missing or wrong
     */
    public static SigmaFilterLoader parse(String file, YamlNode doc) {
        Map<String, YamlNode.Entry> e = doc.entries();
        String title = SigmaRuleLoader.text(e, "title");
        if (title == null) {
            throw new RuleSyntaxException(doc.line(), "a Sigma filter needs a title");
        }
        String id = SigmaRuleLoader.text(e, "id") != null ? SigmaRuleLoader.text(e, "id")
                : SigmaRuleLoader.idFromTitle(title);
        YamlNode.Entry ls = e.get("logsource");
        if (ls == null || !ls.value().isMapping()) {
            throw new RuleSyntaxException(ls == null ? doc.line() : ls.keyLine(), "a Sigma filter needs a"
                    + " 'logsource' map (the log source of the rules it applies to)");
        }
        YamlNode.Entry filter = e.get("filter");
        Map<String, YamlNode.Entry> f = filter.value().entries();
        YamlNode.Entry refs = f.get("rules");
        if (refs == null || !(refs.value().isScalar() || refs.value().isSequence())) {
            throw new RuleSyntaxException(refs == null ? filter.keyLine() : refs.keyLine(), "'filter.rules' is"
                    + " missing: name the rules it applies to by id or name, or write 'any' for every rule of its"
                    + " log source");
        }
        List<String> names = refs.value().texts();
        if (names.size() == 1 && List.of("any", "all").contains(names.get(0).trim().toLowerCase(
                java.util.Locale.ROOT))) {
            names = List.of();
        }
        YamlNode.Entry condition = f.get("condition");
        if (condition == null || !condition.value().isScalar()) {
            throw new RuleSyntaxException(condition == null ? filter.keyLine() : condition.keyLine(),
                    "'filter.condition' must be one condition, e.g. 'not selection'");
        }
        if (f.size() < 3) {
            throw new RuleSyntaxException(filter.keyLine(), "'filter' has no selection besides rules and condition");
        }
        return new SigmaFilterLoader(file, doc.line(), id, SigmaRuleLoader.logsource(doc), names, refs.keyLine(),
                filter);
    }

    /**
     * {@code bases} with this filter applied to the rules it names (every other rule as it was).
     *
     * @param correlationNamed whether a reference names a correlation rule (filters apply to Sigma rules only)
     * @throws RuleSyntaxException       for a reference to no rule, to a correlation, or to a rule whose log source
     *                                   the filter's does not cover
     * @throws SigmaUnsupportedException when the filter's selections use something unsupported
     */
    public List<SigmaBaseRule> apply(List<SigmaBaseRule> bases, java.util.function.Predicate<String> leftOut,
                                     java.util.function.Predicate<String> correlationNamed, SigmaFieldMapping fields,
                                     Map<String, List<String>> logsourceServices) {
        for (String ref : rules) {
            if (bases.stream().anyMatch(b -> b.isNamed(ref)) || leftOut.test(ref)) {
                continue;
            }
            throw new RuleSyntaxException(rulesLine, "'filter.rules' names '" + ref + "', but " + (correlationNamed
                    .test(ref) ? "that is a correlation rule; filters apply to Sigma rules"
                    : "no Sigma rule under the folder has that id or name"));
        }
        List<SigmaBaseRule> out = new ArrayList<>();
        SigmaRuleLoader compiler = new SigmaRuleLoader(file, fields, logsourceServices, new ArrayList<>(),
                new ArrayList<>());
        for (SigmaBaseRule b : bases) {
            boolean named = rules.stream().anyMatch(b::isNamed);
            boolean covered = new SigmaPipeline("filter", logsource, Map.of()).appliesTo(b.logsource());
            if (named && !covered) {
                throw new RuleSyntaxException(rulesLine, "'filter.rules' names '" + b.rule().id() + "', whose"
                        + " logsource " + b.logsource() + " the filter's logsource " + logsource + " does not cover");
            }
            if ((named || rules.isEmpty()) && covered) {
                Condition extra = compiler.filterCondition(filter, b.logsource());
                out.add(new SigmaBaseRule(filtered(b.rule(), extra, compiler.resolutions()), b.name(),
                        b.logsource()));
            } else {
                out.add(b);
            }
        }
        return out;
    }

    private static Rule filtered(Rule r, Condition extra, List<FieldResolution> more) {
        List<FieldResolution> fields = new ArrayList<>(r.fields());
        for (FieldResolution f : more) {
            if (fields.stream().noneMatch(x -> x.ruleField().equals(f.ruleField()))) {
                fields.add(f);
            }
        }
        return new Rule(r.id(), r.title(), r.description(), r.severity(), r.status(), r.mitre(), r.services(),
                new Condition.All(List.of(r.condition(), extra)), r.threshold(), r.suppression(), r.nextSteps(),
                r.format(), r.sourceFile(), r.line(), fields);
    }

    /** A problem of this filter, for the catalog's errors or skipped. */
    public RuleValidationError problem(int at, String reason) {
        return new RuleValidationError(file, at, id, reason);
    }

    public int line() {
        return line;
    }
}
