package io.nightshift.jobs.detect.rules.sigma;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.detect.rules.Correlation;
import io.nightshift.jobs.detect.rules.FieldRef;
import io.nightshift.jobs.detect.rules.FieldResolution;
import io.nightshift.jobs.detect.rules.RuleSyntaxException;
import io.nightshift.jobs.detect.rules.ThresholdSpec;
import io.nightshift.jobs.detect.rules.YamlNode;

/**
 * Reads a Sigma correlation rule (a document with a {@code correlation} section, Sigma specification v2): first as
 * written ({@link #parse}, checking every key of the section), then against the folder's Sigma rules
 * ({@link #resolve}: its {@code rules} and {@code aliases} name rules by id or {@code name}, and its group-by and
 * value fields resolve through each base rule's own field mappings). Malformed input is a
 * {@link RuleSyntaxException} naming the key; what is valid Sigma but not run here (chained correlations, pySigma's
 * extended string conditions and extra types, timespans longer than the day a night reads) is a
 * {@link SigmaUnsupportedException}.
 */
public final class SigmaCorrelationLoader {
    private static final Pattern TIMESPAN = Pattern.compile("(\\d+)([smhdwMy])");
    private static final Set<String> SECTION_KEYS = Set.of("type", "rules", "group-by", "timespan", "condition",
            "aliases", "generate");
    /** pySigma's types beyond the specification's. */
    private static final Set<String> EXTRA_TYPES = Set.of("value_sum", "value_avg", "value_percentile",
            "value_median", "temporal_extended", "temporal_ordered_extended");

    private SigmaCorrelationLoader() {
    }

    /** A correlation as written, its references not resolved yet. */
    public record Draft(String file, int line, String id, String name, String title, String description,
                        Severity severity, io.nightshift.jobs.detect.rules.RuleStatus status,
                        io.nightshift.jobs.detect.rules.Mitre mitre, Correlation.Type type, List<String> rules,
                        int rulesLine, List<String> groupBy, Map<String, Map<String, String>> aliases,
                        int aliasesLine, String valueField, int conditionLine, Duration timespan,
                        List<Correlation.Bound> condition, boolean generate, List<String> nextSteps) {
    }

    /** Whether {@code doc} is a correlation rule: it has a {@code correlation} key and no detection. */
    public static boolean isCorrelation(YamlNode doc) {
        try {
            return doc.isMapping() && doc.entries().containsKey("correlation")
                    && !doc.entries().containsKey("detection") && !doc.entries().containsKey("condition");
        } catch (RuleSyntaxException e) {
            return false;
        }
    }

    /** The id a correlation is reported by: its {@code id}, else one made from its title, as for Sigma rules. */
    public static String idOf(YamlNode doc) {
        Map<String, YamlNode.Entry> e = doc.entries();
        String id = SigmaRuleLoader.text(e, "id");
        String title = SigmaRuleLoader.text(e, "title");
        return id != null ? id : title == null ? null : SigmaRuleLoader.idFromTitle(title);
    }

    /**
     * @throws RuleSyntaxException       naming the key that is missing or wrong
     * @throws SigmaUnsupportedException naming what is not supported
     */
    public static Draft parse(String file, YamlNode doc) {
        Map<String, YamlNode.Entry> e = doc.entries();
        String title = SigmaRuleLoader.text(e, "title");
        if (title == null) {
            throw new RuleSyntaxException(doc.line(), "a Sigma correlation rule needs a title");
        }
        YamlNode.Entry section = e.get("correlation");
        if (!section.value().isMapping()) {
            throw new RuleSyntaxException(section.keyLine(), "'correlation' must be a map (type, rules, group-by,"
                    + " timespan, condition), got " + section.value().kind());
        }
        Map<String, YamlNode.Entry> c = section.value().entries();
        for (YamlNode.Entry k : c.values()) {
            if (!SECTION_KEYS.contains(k.key())) {
                throw new RuleSyntaxException(k.keyLine(), "unknown key 'correlation." + k.key() + "' (known: "
                        + new java.util.TreeSet<>(SECTION_KEYS) + ")");
            }
        }
        Correlation.Type type = type(c, section.keyLine());
        YamlNode.Entry rules = required(c, "rules", section.keyLine(), "the rules it correlates, by id or name");
        List<String> refs = rules.value().isScalar() ? List.of(rules.value().text()) : texts(rules, "rules");
        if (refs.isEmpty()) {
            throw new RuleSyntaxException(rules.keyLine(), "'correlation.rules' is empty: name at least one rule");
        }
        if (refs.size() < 2 && (type == Correlation.Type.TEMPORAL || type == Correlation.Type.TEMPORAL_ORDERED)) {
            throw new RuleSyntaxException(rules.keyLine(), "'correlation.rules' of a " + type.word()
                    + " correlation needs at least two rules, got " + refs.size());
        }
        YamlNode.Entry groupBy = c.get("group-by");
        List<String> groups = groupBy == null || groupBy.value().isNull() ? List.of()
                : groupBy.value().isScalar() ? List.of(groupBy.value().text()) : texts(groupBy, "group-by");
        Duration timespan = timespan(required(c, "timespan", section.keyLine(), "e.g. 5m, 1h or 1d"));
        YamlNode.Entry cond = c.get("condition");
        String valueField = null;
        List<Correlation.Bound> bounds;
        if (cond == null) {
            if (type == Correlation.Type.EVENT_COUNT || type == Correlation.Type.VALUE_COUNT) {
                throw new RuleSyntaxException(section.keyLine(), "'correlation.condition' is missing: an "
                        + type.word() + " correlation needs one, e.g. {gte: 10}");
            }
            bounds = List.of(new Correlation.Bound(Correlation.Op.GTE, refs.size()));
        } else {
            Map<String, YamlNode.Entry> cm = conditionMap(cond, type);
            bounds = bounds(cm, cond.keyLine());
            YamlNode.Entry field = cm.get("field");
            if (type == Correlation.Type.VALUE_COUNT) {
                if (field == null || !field.value().isScalar()) {
                    throw new RuleSyntaxException(cond.keyLine(), "'correlation.condition.field' is missing: a"
                            + " value_count correlation counts the distinct values of a field");
                }
                valueField = field.value().text();
            } else if (field != null) {
                throw new RuleSyntaxException(field.keyLine(), "'correlation.condition.field' applies to value_count"
                        + " correlations only, this one is " + type.word());
            }
        }
        YamlNode.Entry aliasesEntry = c.get("aliases");
        String id = idOf(doc);
        return new Draft(file, doc.line(), id, SigmaRuleLoader.text(e, "name"), title,
                SigmaRuleLoader.text(e, "description"), severity(e), SigmaRuleLoader.status(e),
                SigmaRuleLoader.mitre(e), type, refs, rules.keyLine(), groups, aliases(aliasesEntry),
                aliasesEntry == null ? section.keyLine() : aliasesEntry.keyLine(), valueField,
                cond == null ? section.keyLine() : cond.keyLine(), timespan, bounds, generate(c.get("generate")),
                SigmaRuleLoader.nextSteps(e));
    }

    private static Correlation.Type type(Map<String, YamlNode.Entry> c, int line) {
        YamlNode.Entry t = required(c, "type", line, "event_count, value_count, temporal or temporal_ordered");
        String word = t.value().text().trim();
        Correlation.Type type = Correlation.Type.parse(word);
        if (type == null && EXTRA_TYPES.contains(word)) {
            throw new SigmaUnsupportedException(t.keyLine(), "correlation type '" + word + "' (a pySigma extension)"
                    + " is not supported; the specification's types are");
        }
        if (type == null) {
            throw new RuleSyntaxException(t.keyLine(), "'correlation.type' '" + word + "' is not one of event_count,"
                    + " value_count, temporal, temporal_ordered");
        }
        return type;
    }

    private static YamlNode.Entry required(Map<String, YamlNode.Entry> c, String key, int line, String hint) {
        YamlNode.Entry v = c.get(key);
        if (v == null || v.value().isNull()) {
            throw new RuleSyntaxException(v == null ? line : v.keyLine(), "'correlation." + key + "' is missing ("
                    + hint + ")");
        }
        return v;
    }

    private static List<String> texts(YamlNode.Entry list, String key) {
        if (!list.value().isSequence() || !list.value().items().stream().allMatch(YamlNode::isScalar)) {
            throw new RuleSyntaxException(list.keyLine(), "'correlation." + key + "' must be a name or a list of"
                    + " names, got " + list.value().kind());
        }
        return list.value().texts();
    }

    /**
     * The specification's timespan, a count and a unit ({@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}). pySigma's
     * weeks, months and years are longer than the one day a night reads, so are refused as unsupported.
     */
    static Duration timespan(YamlNode.Entry entry) {
        String text = entry.value().isScalar() ? entry.value().text().trim() : entry.value().kind();
        Matcher m = TIMESPAN.matcher(text);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new RuleSyntaxException(entry.keyLine(), "'correlation.timespan' '" + text + "' is not a timespan;"
                    + " write a positive number and a unit: s, m, h or d (e.g. 5m, 1h, 1d)");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> null;
        };
        if (d == null || d.compareTo(ThresholdSpec.MAX_WINDOW) > 0) {
            throw new SigmaUnsupportedException(entry.keyLine(), "'correlation.timespan' '" + text + "' is longer"
                    + " than the one day a night reads (at most 1d)");
        }
        return d;
    }

    private static Map<String, YamlNode.Entry> conditionMap(YamlNode.Entry cond, Correlation.Type type) {
        if (cond.value().isScalar() && (type == Correlation.Type.TEMPORAL
                || type == Correlation.Type.TEMPORAL_ORDERED)) {
            throw new SigmaUnsupportedException(cond.keyLine(), "a correlation condition written as an expression ('"
                    + cond.value().text() + "', a pySigma extension) is not supported; give a map such as {gte: 2}");
        }
        if (!cond.value().isMapping()) {
            throw new RuleSyntaxException(cond.keyLine(), "'correlation.condition' must be a map such as {gte: 10},"
                    + " got " + cond.value().kind());
        }
        return cond.value().entries();
    }

    private static List<Correlation.Bound> bounds(Map<String, YamlNode.Entry> cm, int line) {
        List<Correlation.Bound> out = new ArrayList<>();
        for (YamlNode.Entry b : cm.values()) {
            if (b.key().equals("field")) {
                continue;
            }
            Correlation.Op op = op(b.key());
            if (op == null) {
                throw new RuleSyntaxException(b.keyLine(), "unknown key 'correlation.condition." + b.key()
                        + "' (known: gt, gte, lt, lte, eq, neq, field)");
            }
            out.add(new Correlation.Bound(op, number(b)));
        }
        if (out.isEmpty()) {
            throw new RuleSyntaxException(line, "'correlation.condition' has no comparison: give one of gt, gte, lt,"
                    + " lte, eq, neq with a number (two for a range)");
        }
        return out;
    }

    private static Correlation.Op op(String key) {
        for (Correlation.Op op : Correlation.Op.values()) {
            if (op.word().equals(key)) {
                return op;
            }
        }
        return null;
    }

    private static double number(YamlNode.Entry b) {
        String text = b.value().isScalar() ? b.value().text().trim() : null;
        try {
            double v = Double.parseDouble(text == null ? "x" : text);
            if (Double.isFinite(v) && v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the key
        }
        throw new RuleSyntaxException(b.keyLine(), "'correlation.condition." + b.key() + "' must be a number of"
                + " events or values, got " + b.value().kind());
    }

    private static boolean generate(YamlNode.Entry g) {
        if (g == null) {
            return false;
        }
        String v = g.value().isScalar() ? g.value().text().trim() : "";
        if (!v.equals("true") && !v.equals("false")) {
            throw new RuleSyntaxException(g.keyLine(), "'correlation.generate' must be true or false, got "
                    + g.value().kind());
        }
        return v.equals("true");
    }

    private static Map<String, Map<String, String>> aliases(YamlNode.Entry a) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        if (a == null || a.value().isNull()) {
            return out;
        }
        if (!a.value().isMapping()) {
            throw new RuleSyntaxException(a.keyLine(), "'correlation.aliases' must map each alias to {rule name:"
                    + " field}, got " + a.value().kind());
        }
        for (YamlNode.Entry alias : a.value().entries().values()) {
            if (!alias.value().isMapping()) {
                throw new RuleSyntaxException(alias.keyLine(), "'correlation.aliases." + alias.key() + "' must map"
                        + " rule names to fields, got " + alias.value().kind());
            }
            Map<String, String> perRule = new LinkedHashMap<>();
            alias.value().entries().forEach((rule, field) -> perRule.put(rule, field.value().text()));
            out.put(alias.key(), perRule);
        }
        return out;
    }

    private static Severity severity(Map<String, YamlNode.Entry> e) {
        String level = SigmaRuleLoader.text(e, "level");
        if (level == null) {
            return Severity.MEDIUM;
        }
        Severity s = Severity.parse(level);
        if (s == null) {
            throw new RuleSyntaxException(e.get("level").keyLine(), "level '" + level + "' is not one of "
                    + Severity.words());
        }
        return s;
    }

    /**
     * The correlation over the folder's rules: {@code lookup} finds a Sigma rule by id or name (null when there is
     * none); {@code correlationNamed} says whether a reference names another correlation (chaining: unsupported),
     * {@code leftOut} whether it names a Sigma rule that was left out (invalid or unsupported).
     *
     * @throws RuleSyntaxException       for a reference to no rule, or an alias naming a rule not correlated
     * @throws SigmaUnsupportedException for a reference to a correlation or to a rule left out
     */
    public static Correlation resolve(Draft d, Function<String, SigmaBaseRule> lookup,
                                      Predicate<String> correlationNamed, Predicate<String> leftOut,
                                      SigmaFieldMapping fields) {
        List<SigmaBaseRule> bases = new ArrayList<>();
        for (String ref : d.rules()) {
            SigmaBaseRule base = lookup.apply(ref);
            if (base == null && correlationNamed.test(ref)) {
                throw new SigmaUnsupportedException(d.rulesLine(), "'correlation.rules' names '" + ref + "', another"
                        + " correlation rule: chained correlations are not supported yet");
            }
            if (base == null && leftOut.test(ref)) {
                throw new SigmaUnsupportedException(d.rulesLine(), "'correlation.rules' names '" + ref + "', a rule"
                        + " that is left out (see its own problem); the correlation cannot run without it");
            }
            if (base == null) {
                throw new RuleSyntaxException(d.rulesLine(), "'correlation.rules' names '" + ref + "', but no Sigma"
                        + " rule under the folder has that id or name");
            }
            bases.add(base);
        }
        for (Map.Entry<String, Map<String, String>> alias : d.aliases().entrySet()) {
            for (String ref : alias.getValue().keySet()) {
                if (bases.stream().noneMatch(b -> b.isNamed(ref))) {
                    throw new RuleSyntaxException(d.aliasesLine(), "'correlation.aliases." + alias.getKey()
                            + "' names rule '" + ref + "', which is not one of correlation.rules " + d.rules());
                }
            }
        }
        List<FieldResolution> resolved = new ArrayList<>();
        List<Correlation.GroupKey> keys = new ArrayList<>();
        for (String g : d.groupBy()) {
            keys.add(new Correlation.GroupKey(g, perRule(d, g, bases, fields, resolved)));
        }
        List<FieldRef> valueFields = d.valueField() == null ? List.of()
                : perRule(d, d.valueField(), bases, fields, resolved);
        return new Correlation(d.id(), d.title(), d.description() != null ? d.description() : d.title(),
                d.severity(), d.status(), d.mitre(), d.type(), bases.stream().map(b -> b.rule().id()).toList(), keys,
                valueFields, d.timespan(), d.condition(), d.generate(), d.nextSteps(), d.file(), d.line(), resolved);
    }

    /** {@code name} per base rule: the field its alias gives for that rule, else the name itself, mapped. */
    private static List<FieldRef> perRule(Draft d, String name, List<SigmaBaseRule> bases, SigmaFieldMapping fields,
                                          List<FieldResolution> resolved) {
        Map<String, String> alias = d.aliases().get(name);
        List<FieldRef> out = new ArrayList<>();
        for (SigmaBaseRule b : bases) {
            String field = name;
            if (alias != null) {
                field = alias.entrySet().stream().filter(a -> b.isNamed(a.getKey())).map(Map.Entry::getValue)
                        .findFirst().orElseThrow(() -> new RuleSyntaxException(d.aliasesLine(),
                                "'correlation.aliases." + name + "' gives no field for rule '" + (b.name() != null
                                        ? b.name() : b.rule().id()) + "'"));
            }
            FieldResolution r = fields.resolve(field, b.logsource());
            if (resolved.stream().noneMatch(x -> x.ruleField().equals(r.ruleField())
                    && x.field().equals(r.field()))) {
                resolved.add(r);
            }
            out.add(r.field());
        }
        return out;
    }
}
