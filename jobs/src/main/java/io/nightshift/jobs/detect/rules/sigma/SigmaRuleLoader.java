package io.nightshift.jobs.detect.rules.sigma;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.detect.rules.Condition;
import io.nightshift.jobs.detect.rules.FieldRef;
import io.nightshift.jobs.detect.rules.FieldResolution;
import io.nightshift.jobs.detect.rules.Mitre;
import io.nightshift.jobs.detect.rules.Operator;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleFormat;
import io.nightshift.jobs.detect.rules.RuleStatus;
import io.nightshift.jobs.detect.rules.RuleSyntaxException;
import io.nightshift.jobs.detect.rules.RuleValidationError;
import io.nightshift.jobs.detect.rules.SuppressionSpec;
import io.nightshift.jobs.detect.rules.ThresholdSpec;
import io.nightshift.jobs.detect.rules.YamlNode;
import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * Compiles a SigmaHQ rule document into a {@link Rule} with the same {@link Condition} tree Nightshift rules use,
 * so it runs through the same executor and is never SQL text. Supported, with pySigma's semantics (docs/sigma.md):
 * {@code logsource} (mapped to services by configuration; unmapped log sources apply to any service; its keys also
 * choose the field mappings, {@link SigmaFieldMapping}), named selections (a map is an AND of its fields, a list of
 * maps an OR, a list of values an OR, {@code null} "no value"; a list of plain strings, or {@code '|all'} over one, a
 * keyword search of {@code message}), the modifiers {@code contains}, {@code startswith}, {@code endswith},
 * {@code re} and {@code all}, {@code *}/{@code ?} wildcards anchored at both ends, and conditions parsed by
 * {@link SigmaConditionParser}. String tests are case-insensitive, {@code re} is not, as in Sigma; a numeric field is
 * compared as a number by a plain number and as its text by anything else. Anything else is reported as unsupported
 * by rule and reason, and the rule is skipped.
 */
public final class SigmaRuleLoader {
    private static final Set<String> MODIFIERS = Set.of("contains", "startswith", "endswith", "re", "all");
    private static final Map<String, String> TACTICS = tactics();
    private static final Pattern TECHNIQUE_TAG = Pattern.compile("attack\\.(t\\d{4}(\\.\\d{3})?)");
    /** A tactic given by its id ({@code attack.ta0005}), as some rules tag it. */
    private static final Pattern TACTIC_ID_TAG = Pattern.compile("attack\\.(ta\\d{4})");

    private final String file;
    private final SigmaFieldMapping fields;
    private final Map<String, List<String>> logsourceServices;
    private final List<RuleValidationError> errors;
    private final List<RuleValidationError> skipped;
    /** The rule being read: its logsource keys (for per log source mappings) and how its fields resolved. */
    private Map<String, String> logsource = Map.of();
    private final List<FieldResolution> resolutions = new ArrayList<>();

    /**
     * @param logsourceServices Sigma log source name (its {@code service}, {@code category} or {@code product},
     *                          looked up in that order) → canonical services
     */
    public SigmaRuleLoader(String file, SigmaFieldMapping fields, Map<String, List<String>> logsourceServices,
                    List<RuleValidationError> errors, List<RuleValidationError> skipped) {
        this.file = file;
        this.fields = fields;
        this.logsourceServices = logsourceServices;
        this.errors = errors;
        this.skipped = skipped;
    }

    /** The compiled rule, or null when it is malformed (added to errors) or unsupported (added to skipped). */
    public Rule parse(YamlNode doc) {
        String id = "?";
        try {
            Map<String, YamlNode.Entry> e = doc.entries();
            String title = text(e, "title");
            if (title == null) {
                throw new RuleSyntaxException(doc.line(), "a Sigma rule needs a title");
            }
            String sigmaId = text(e, "id");
            id = sigmaId != null ? sigmaId : idFromTitle(title);
            logsource = logsource(e);
            resolutions.clear();
            RuleStatus status = status(e);
            Severity severity = e.containsKey("level") ? Severity.parse(text(e, "level")) : Severity.MEDIUM;
            if (severity == null) {
                throw new RuleSyntaxException(e.get("level").keyLine(), "level '" + text(e, "level")
                        + "' is not one of " + Severity.words());
            }
            YamlNode.Entry detection = e.get("detection");
            if (detection == null) {
                throw new RuleSyntaxException(1, "a Sigma rule needs a detection");
            }
            Condition condition = detection(detection, "detection");
            String description = text(e, "description");
            return new Rule(id, title, description != null ? description : title, severity, status, mitre(e),
                    services(e), condition, ThresholdSpec.implicit(null), SuppressionSpec.NONE, nextSteps(e),
                    RuleFormat.SIGMA, file, doc.line(), resolutions);
        } catch (SigmaUnsupportedException ex) {
            skipped.add(new RuleValidationError(file, ex.line(), id, "Sigma rule skipped: " + ex.getMessage()));
        } catch (RuleSyntaxException ex) {
            errors.add(new RuleValidationError(file, ex.line(), id, ex.getMessage()));
        }
        return null;
    }

    /** The id of a Sigma document without one: {@code sigma-} and its title in lower case words. */
    static String idFromTitle(String title) {
        return "sigma-" + title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    /** The {@code logsource} keys of a Sigma document that has them as plain values. */
    public static Map<String, String> logsource(YamlNode doc) {
        return logsource(doc.entries());
    }

    static Map<String, String> logsource(Map<String, YamlNode.Entry> e) {
        YamlNode.Entry ls = e.get("logsource");
        Map<String, String> out = new LinkedHashMap<>();
        if (ls != null && ls.value().isMapping()) {
            ls.value().entries().forEach((k, v) -> {
                if (v.value().isScalar()) {
                    out.put(k, v.value().text());
                }
            });
        }
        return out;
    }

    static String text(Map<String, YamlNode.Entry> e, String key) {
        YamlNode.Entry entry = e.get(key);
        return entry == null || entry.value().isNull() ? null : entry.value().text().trim();
    }

    static RuleStatus status(Map<String, YamlNode.Entry> e) {
        String s = text(e, "status");
        if (s == null || s.equals("stable")) {
            return RuleStatus.STABLE;
        }
        if (s.equals("test") || s.equals("experimental")) {
            return RuleStatus.EXPERIMENTAL;
        }
        throw new SigmaUnsupportedException(e.get("status").keyLine(), "status '" + s + "' (only stable, test and"
                + " experimental rules run)");
    }

    private List<String> services(Map<String, YamlNode.Entry> e) {
        YamlNode.Entry ls = e.get("logsource");
        if (ls == null) {
            return List.of();
        }
        Map<String, YamlNode.Entry> parts = ls.value().entries();
        for (String key : List.of("service", "category", "product")) {
            YamlNode.Entry p = parts.get(key);
            if (p != null && logsourceServices.containsKey(p.value().text())) {
                return logsourceServices.get(p.value().text());
            }
        }
        return List.of();
    }

    /**
     * The first ATT&CK technique and tactic among the tags. Tactic tags are read in SigmaHQ's older underscore form
     * ({@code attack.privilege_escalation}) and its current hyphen form ({@code attack.privilege-escalation}), and
     * by id ({@code attack.ta0004}).
     */
    static Mitre mitre(List<String> tags) {
        String tactic = null;
        String technique = null;
        for (String tag : tags) {
            String t = tag.trim().toLowerCase(Locale.ROOT);
            var m = TECHNIQUE_TAG.matcher(t);
            if (m.matches()) {
                technique = technique == null ? m.group(1).toUpperCase(Locale.ROOT) : technique;
                continue;
            }
            if (tactic == null && t.startsWith("attack.")) {
                String name = t.substring(7).replace('-', '_');
                var id = TACTIC_ID_TAG.matcher(t);
                tactic = id.matches() ? TACTICS.values().stream().filter(v -> v.startsWith(
                        id.group(1).toUpperCase(Locale.ROOT) + " ")).findFirst().orElse(null) : TACTICS.get(name);
            }
        }
        return new Mitre(tactic, technique);
    }

    static Mitre mitre(Map<String, YamlNode.Entry> e) {
        YamlNode.Entry tags = e.get("tags");
        return tags == null ? Mitre.NONE : mitre(tags.value().texts());
    }

    static List<String> nextSteps(Map<String, YamlNode.Entry> e) {
        List<String> steps = new ArrayList<>();
        YamlNode.Entry fp = e.get("falsepositives");
        steps.add(fp == null ? "Review the evidence rows against the rule's intent"
                : "Review the evidence rows; known false positives: " + String.join("; ", fp.value().texts()));
        YamlNode.Entry refs = e.get("references");
        if (refs != null) {
            refs.value().texts().stream().limit(3).forEach(r -> steps.add("See " + r));
        }
        return steps;
    }

    /**
     * The condition of a Sigma filter's {@code filter} section (its selections and {@code condition}; its
     * {@code rules} are not a selection) as it applies to a rule with {@code ruleLogsource}: the filter's fields
     * resolve through that rule's mappings, as pySigma maps a filter once it is merged into the rule. The fields
     * resolved are in {@link #resolutions()} afterwards.
     *
     * @throws RuleSyntaxException       when the section is malformed
     * @throws SigmaUnsupportedException when it uses something unsupported
     */
    Condition filterCondition(YamlNode.Entry filter, Map<String, String> ruleLogsource) {
        logsource = ruleLogsource;
        resolutions.clear();
        return detection(filter, "filter");
    }

    /** How the fields of the last rule or filter read resolved. */
    List<FieldResolution> resolutions() {
        return List.copyOf(resolutions);
    }

    private Condition detection(YamlNode.Entry detection, String section) {
        Map<String, YamlNode.Entry> parts = detection.value().entries();
        if (parts.containsKey("timeframe")) {
            throw new SigmaUnsupportedException(parts.get("timeframe").keyLine(), "'timeframe' (aggregation over time)"
                    + " is not supported");
        }
        YamlNode.Entry cond = parts.get("condition");
        if (cond == null) {
            throw new RuleSyntaxException(detection.keyLine(), section + " needs a condition");
        }
        Map<String, Condition> selections = new LinkedHashMap<>();
        for (YamlNode.Entry s : parts.values()) {
            if (!s.key().equals("condition") && !(section.equals("filter") && s.key().equals("rules"))) {
                selections.put(s.key(), selection(s));
            }
        }
        List<Condition> alternatives = new ArrayList<>();
        for (String c : cond.value().texts()) {
            alternatives.add(SigmaConditionParser.parse(c, selections, cond.keyLine()));
        }
        return alternatives.size() == 1 ? alternatives.get(0) : new Condition.Any(alternatives);
    }

    private Condition selection(YamlNode.Entry s) {
        YamlNode v = s.value();
        if (v.isMapping()) {
            return fieldMap(v);
        }
        if (v.isSequence()) {
            List<YamlNode> items = v.items();
            if (!items.isEmpty() && items.stream().allMatch(YamlNode::isMapping)) {
                List<Condition> any = new ArrayList<>();
                for (YamlNode item : items) {
                    any.add(fieldMap(item));
                }
                return new Condition.Any(any);
            }
            if (!items.isEmpty() && items.stream().allMatch(YamlNode::isScalar)) {
                return keywords(items.stream().map(YamlNode::text).toList(), false, s.keyLine());
            }
            throw new RuleSyntaxException(s.keyLine(), "selection '" + s.key() + "' must be a map of fields, a list of"
                    + " such maps or a list of keywords; it is " + (items.isEmpty() ? "an empty list"
                    : "a list mixing them or holding empty values"));
        }
        if (v.isScalar()) {
            return keywords(List.of(v.text()), false, s.keyLine());
        }
        throw new RuleSyntaxException(s.keyLine(), "selection '" + s.key() + "' is empty");
    }

    /**
     * Keywords: a search of the whole event, which for a canonical row is its {@code message}. As in pySigma's
     * full-text search, a keyword is found anywhere in the message, case-insensitively, with {@code *} and
     * {@code ?} wildcards inside it; a list is an OR, or with {@code '|all'} an AND.
     */
    private Condition keywords(List<String> words, boolean all, int line) {
        FieldRef message = FieldRef.column(CanonicalSchema.MESSAGE);
        List<Condition> tests = new ArrayList<>();
        for (String w : words) {
            tests.add(valueTest(message, "contains", w, line));
        }
        return all ? new Condition.All(tests) : new Condition.Any(tests);
    }

    private Condition fieldMap(YamlNode map) {
        List<Condition> all = new ArrayList<>();
        for (YamlNode.Entry f : map.entries().values()) {
            String[] parts = f.key().split("\\|", -1);
            String name = parts[0].trim();
            String match = null;
            boolean allValues = false;
            for (int i = 1; i < parts.length; i++) {
                String mod = parts[i].trim();
                if (!MODIFIERS.contains(mod)) {
                    throw new SigmaUnsupportedException(f.keyLine(), "modifier '" + mod + "' on "
                            + (name.isEmpty() ? "keywords" : "field '" + name + "'") + " is not supported (supported: "
                            + new java.util.TreeSet<>(MODIFIERS) + ")");
                }
                if (mod.equals("all")) {
                    allValues = true;
                } else if (match != null) {
                    throw new SigmaUnsupportedException(f.keyLine(), "modifiers '" + match + "' and '" + mod
                            + "' together on field '" + name + "' are not supported");
                } else {
                    match = mod;
                }
            }
            List<YamlNode> values = f.value().isSequence() ? f.value().items() : List.of(f.value());
            if (values.isEmpty()) {
                throw new RuleSyntaxException(f.keyLine(), "field '" + name + "' has an empty list of values");
            }
            if (name.isEmpty()) {
                // '|all': [grep, password] — keywords given as a map, so that they can take the all modifier.
                if (match != null) {
                    throw new SigmaUnsupportedException(f.keyLine(), "modifier '" + match + "' on keywords is not"
                            + " supported (keywords take only 'all')");
                }
                all.add(keywords(scalars(values, "keywords", f.keyLine()), allValues, f.keyLine()));
                continue;
            }
            FieldRef field = resolve(name);
            List<Condition> tests = new ArrayList<>();
            for (YamlNode value : values) {
                // null, alone or in a list, is "the field has no value", whatever the modifiers (pySigma's SigmaNull).
                tests.add(value.isNull() ? Condition.Match.of(field, Operator.EXISTS, List.of(false), false)
                        : valueTest(field, match, scalar(value, name, f.keyLine()), f.keyLine()));
            }
            all.add(tests.size() == 1 ? tests.get(0) : allValues ? new Condition.All(tests) : new Condition.Any(tests));
        }
        return new Condition.All(all);
    }

    private static List<String> scalars(List<YamlNode> values, String what, int line) {
        List<String> out = new ArrayList<>();
        for (YamlNode v : values) {
            out.add(scalar(v, what, line));
        }
        return out;
    }

    private static String scalar(YamlNode v, String what, int line) {
        if (!v.isScalar()) {
            throw new RuleSyntaxException(line, "'" + what + "' takes plain values, got " + v.kind());
        }
        return v.text();
    }

    /** The field {@code sigmaField} of the rule being read resolves to, remembered for {@code rules show}. */
    private FieldRef resolve(String sigmaField) {
        FieldResolution r = fields.resolve(sigmaField, logsource);
        if (resolutions.stream().noneMatch(x -> x.ruleField().equals(sigmaField))) {
            resolutions.add(r);
        }
        return r.field();
    }

    /**
     * One value test, with pySigma's meaning: a plain value equals the field (case-insensitively), a value with
     * {@code *}/{@code ?} wildcards matches the whole field (anchored at both ends, {@code \\z} not {@code $}, which
     * would also match before a final line break; case folded for all of Unicode, as the plain forms are), and the
     * modifiers put wildcards around it. A numeric field is compared as a number when the test is a plain number,
     * and as its text otherwise ({@code sc-status: '40*'} matches 404), as pySigma's string values are.
     */
    private static Condition valueTest(FieldRef field, String modifier, String value, int line) {
        try {
            if ("re".equals(modifier)) {
                return Condition.Match.of(field.asText(), Operator.REGEX, List.of(value), false);
            }
            boolean wildcard = hasWildcard(value);
            if (field.numeric() && modifier == null && !wildcard && isNumber(unescape(value))) {
                return Condition.Match.of(field, Operator.EQUALS, List.of(unescape(value)), true);
            }
            FieldRef text = field.asText();
            if (wildcard) {
                String body = wildcardRegex(value);
                String anchored = switch (modifier == null ? "" : modifier) {
                    case "contains" -> body;
                    case "startswith" -> "^" + body;
                    case "endswith" -> body + "\\z";
                    default -> "^" + body + "\\z";
                };
                return Condition.Match.of(text, Operator.REGEX, List.of("(?s)" + anchored), true);
            }
            Operator op = modifier == null ? Operator.EQUALS : Operator.parse(modifier);
            return Condition.Match.of(text, op, List.of(unescape(value)), true);
        } catch (IllegalArgumentException e) {
            throw new RuleSyntaxException(line, e.getMessage());
        }
    }

    private static boolean isNumber(String v) {
        try {
            new java.math.BigDecimal(v.trim());
            return !v.isBlank();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean hasWildcard(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '*' || c == '?') {
                return true;
            }
        }
        return false;
    }

    private static String wildcardRegex(String v) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length() && "*?\\".indexOf(v.charAt(i + 1)) >= 0) {
                literal.append(v.charAt(++i));
            } else if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return re.toString();
    }

    /**
     * A value without wildcards as the text it stands for: Sigma's backslash escapes {@code \\*}, {@code \\?} and
     * {@code \\\\} become the character; any other backslash is itself.
     */
    private static String unescape(String v) {
        StringBuilder out = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length() && "*?\\".indexOf(v.charAt(i + 1)) >= 0) {
                c = v.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    private static Map<String, String> tactics() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("reconnaissance", "TA0043 Reconnaissance");
        m.put("resource_development", "TA0042 Resource Development");
        m.put("initial_access", "TA0001 Initial Access");
        m.put("execution", "TA0002 Execution");
        m.put("persistence", "TA0003 Persistence");
        m.put("privilege_escalation", "TA0004 Privilege Escalation");
        m.put("defense_evasion", "TA0005 Defense Evasion");
        // ATT&CK v19 split Defense Evasion: TA0005 is now Stealth, and impairing defenses a tactic of its own.
        m.put("stealth", "TA0005 Stealth");
        m.put("defense_impairment", "TA0112 Defense Impairment");
        m.put("credential_access", "TA0006 Credential Access");
        m.put("discovery", "TA0007 Discovery");
        m.put("lateral_movement", "TA0008 Lateral Movement");
        m.put("collection", "TA0009 Collection");
        m.put("exfiltration", "TA0010 Exfiltration");
        m.put("command_and_control", "TA0011 Command and Control");
        m.put("impact", "TA0040 Impact");
        // The ICS matrix's own tactics, which SigmaHQ's ICS rules tag.
        m.put("evasion", "TA0103 Evasion");
        m.put("inhibit_response_function", "TA0107 Inhibit Response Function");
        m.put("impair_process_control", "TA0106 Impair Process Control");
        return m;
    }
}
