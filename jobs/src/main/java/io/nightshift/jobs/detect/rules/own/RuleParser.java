package io.nightshift.jobs.detect.rules.own;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.detect.Findings;
import io.nightshift.jobs.detect.rules.Condition;
import io.nightshift.jobs.detect.rules.FieldRef;
import io.nightshift.jobs.detect.rules.Mitre;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleDurations;
import io.nightshift.jobs.detect.rules.RuleFormat;
import io.nightshift.jobs.detect.rules.RuleStatus;
import io.nightshift.jobs.detect.rules.RuleSyntaxException;
import io.nightshift.jobs.detect.rules.RuleValidationError;
import io.nightshift.jobs.detect.rules.SuppressionSpec;
import io.nightshift.jobs.detect.rules.ThresholdSpec;
import io.nightshift.jobs.detect.rules.YamlNode;

/**
 * Reads one Nightshift rule document (see {@code rules/README.md} for the format) into a {@link Rule}, reporting
 * every problem it finds (unknown keys, bad values, unknown fields, bad regexes, bad windows and thresholds) with
 * its line instead of stopping at the first. A rule with any problem is not returned.
 */
public final class RuleParser {
    static final Set<String> KEYS = Set.of("id", "title", "description", "severity", "status", "mitre", "logsource",
            "condition", "group_by", "window", "threshold", "followed_by", "counting", "suppression", "next_steps",
            "author", "references", "false_positives");
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,79}");

    private final String file;
    private final List<RuleValidationError> errors;
    private String ruleId = "?";

    public RuleParser(String file, List<RuleValidationError> errors) {
        this.file = file;
        this.errors = errors;
    }

    /** The rule, or null when the document has problems (they are added to the error list). */
    public Rule parse(YamlNode doc) {
        Map<String, YamlNode.Entry> e;
        try {
            e = doc.entries();
        } catch (RuleSyntaxException ex) {
            report(ex);
            return null;
        }
        int before = errors.size();
        ruleId = attempt(() -> id(e, doc.line()));
        String shownId = ruleId;
        for (YamlNode.Entry entry : e.values()) {
            if (!KEYS.contains(entry.key())) {
                errors.add(new RuleValidationError(file, entry.keyLine(), shownId, "unknown key '" + entry.key()
                        + "'; rule keys are " + new java.util.TreeSet<>(KEYS)));
            }
        }
        String title = attempt(() -> requiredText(e, "title", doc.line()));
        String description = attempt(() -> requiredText(e, "description", doc.line()));
        Severity severity = attempt(() -> severity(e, doc.line()));
        RuleStatus status = attempt(() -> status(e));
        Mitre mitre = attempt(() -> mitre(e, doc.line()));
        List<String> services = attempt(() -> logsource(e));
        Condition condition = attempt(() -> {
            YamlNode.Entry c = require(e, "condition", doc.line());
            return ConditionParser.parse(c.value());
        });
        ThresholdSpec threshold = attempt(() -> threshold(e));
        SuppressionSpec suppression = attempt(() -> suppression(e));
        List<String> nextSteps = attempt(() -> e.containsKey("next_steps") ? e.get("next_steps").value().texts()
                : List.<String>of());
        if (errors.size() > before) {
            return null;
        }
        return new Rule(ruleId, title, description, severity, status, mitre, services, condition, threshold,
                suppression, nextSteps, RuleFormat.NIGHTSHIFT, file, doc.line());
    }

    private <T> T attempt(java.util.function.Supplier<T> part) {
        try {
            return part.get();
        } catch (RuleSyntaxException ex) {
            report(ex);
            return null;
        }
    }

    private void report(RuleSyntaxException ex) {
        errors.add(new RuleValidationError(file, ex.line(), ruleId, ex.getMessage()));
    }

    private static YamlNode.Entry require(Map<String, YamlNode.Entry> e, String key, int line) {
        YamlNode.Entry entry = e.get(key);
        if (entry == null || entry.value().isNull()) {
            throw new RuleSyntaxException(entry == null ? line : entry.keyLine(), "missing required key '" + key + "'");
        }
        return entry;
    }

    private static String id(Map<String, YamlNode.Entry> e, int line) {
        YamlNode.Entry entry = require(e, "id", line);
        String id = entry.value().text().trim();
        if (!ID.matcher(id).matches()) {
            throw new RuleSyntaxException(entry.keyLine(), "id '" + id + "' must be letters, digits, '.', '_' or '-'"
                    + " (at most 80)");
        }
        return id;
    }

    private static String requiredText(Map<String, YamlNode.Entry> e, String key, int line) {
        YamlNode.Entry entry = require(e, key, line);
        String text = entry.value().text().trim();
        if (text.isEmpty()) {
            throw new RuleSyntaxException(entry.keyLine(), "'" + key + "' is empty");
        }
        return text;
    }

    private static Severity severity(Map<String, YamlNode.Entry> e, int line) {
        YamlNode.Entry entry = require(e, "severity", line);
        Severity s = Severity.parse(entry.value().text());
        if (s == null) {
            throw new RuleSyntaxException(entry.keyLine(), "severity '" + entry.value().text() + "' is not one of "
                    + Severity.words());
        }
        return s;
    }

    private static RuleStatus status(Map<String, YamlNode.Entry> e) {
        YamlNode.Entry entry = e.get("status");
        if (entry == null) {
            return RuleStatus.STABLE;
        }
        return switch (entry.value().text().trim()) {
            case "stable" -> RuleStatus.STABLE;
            case "experimental" -> RuleStatus.EXPERIMENTAL;
            default -> throw new RuleSyntaxException(entry.keyLine(), "status '" + entry.value().text()
                    + "' is not stable or experimental");
        };
    }

    private static Mitre mitre(Map<String, YamlNode.Entry> e, int line) {
        YamlNode.Entry entry = require(e, "mitre", line);
        String tactic = null;
        String technique = null;
        for (YamlNode.Entry m : entry.value().entries().values()) {
            String v = m.value().text().trim();
            switch (m.key()) {
                case "tactic" -> {
                    if (!Mitre.TACTIC.matcher(v).matches()) {
                        throw new RuleSyntaxException(m.keyLine(), "mitre.tactic '" + v + "' must start with a tactic"
                                + " id like TA0006 (optionally followed by its name)");
                    }
                    tactic = v;
                }
                case "technique" -> {
                    if (!Mitre.TECHNIQUE.matcher(v).matches()) {
                        throw new RuleSyntaxException(m.keyLine(), "mitre.technique '" + v + "' must start with a"
                                + " technique id like T1110 or T1110.001 (optionally followed by its name)");
                    }
                    technique = v;
                }
                default -> throw new RuleSyntaxException(m.keyLine(), "unknown key 'mitre." + m.key()
                        + "'; mitre has tactic and technique");
            }
        }
        if (tactic == null) {
            throw new RuleSyntaxException(entry.keyLine(), "mitre needs a tactic (e.g. 'TA0006 Credential Access')");
        }
        return new Mitre(tactic, technique);
    }

    private static List<String> logsource(Map<String, YamlNode.Entry> e) {
        YamlNode.Entry entry = e.get("logsource");
        if (entry == null || (entry.value().isScalar() && entry.value().text().equals("any"))) {
            return List.of();
        }
        if (!entry.value().isMapping()) {
            throw new RuleSyntaxException(entry.keyLine(), "logsource is 'any' or {services: [...]}, got "
                    + entry.value().kind());
        }
        List<String> services = new ArrayList<>();
        for (YamlNode.Entry s : entry.value().entries().values()) {
            if (!s.key().equals("services")) {
                throw new RuleSyntaxException(s.keyLine(), "unknown key 'logsource." + s.key()
                        + "'; logsource is 'any' or {services: [...]}");
            }
            List<String> names = s.value().texts();
            if (names.equals(List.of("any"))) {
                return List.of();
            }
            services.addAll(names);
        }
        return services;
    }

    private ThresholdSpec threshold(Map<String, YamlNode.Entry> e) {
        YamlNode.Entry t = e.get("threshold");
        String counting = e.containsKey("counting") ? e.get("counting").value().text().trim() : null;
        if (t == null) {
            for (String key : List.of("group_by", "window", "followed_by")) {
                if (e.containsKey(key)) {
                    throw new RuleSyntaxException(e.get(key).keyLine(), "'" + key + "' needs a 'threshold'"
                            + " (e.g. threshold: {more_than: 20})");
                }
            }
            return ThresholdSpec.implicit(counting);
        }
        YamlNode.Entry w = e.get("window");
        if (w == null) {
            throw new RuleSyntaxException(t.keyLine(), "a threshold needs a 'window' (e.g. window: 10 minutes)");
        }
        Duration window = window(w);
        List<FieldRef> groupBy = new ArrayList<>();
        if (e.containsKey("group_by")) {
            YamlNode.Entry g = e.get("group_by");
            for (String name : g.value().texts()) {
                groupBy.add(field(g.keyLine(), "group_by", name));
            }
        }
        ThresholdSpec.Measure measure = ThresholdSpec.Measure.COUNT;
        FieldRef measureField = null;
        Boolean strict = null;
        double limit = 0;
        Condition where = null;
        for (YamlNode.Entry p : t.value().entries().values()) {
            switch (p.key()) {
                case "more_than", "at_least" -> {
                    if (strict != null) {
                        throw new RuleSyntaxException(p.keyLine(), "threshold has both more_than and at_least");
                    }
                    strict = p.key().equals("more_than");
                    limit = limit(p);
                }
                case "distinct", "sum" -> {
                    if (measureField != null) {
                        throw new RuleSyntaxException(p.keyLine(), "threshold has both distinct and sum");
                    }
                    measure = p.key().equals("sum") ? ThresholdSpec.Measure.SUM : ThresholdSpec.Measure.DISTINCT;
                    measureField = field(p.keyLine(), "threshold." + p.key(), p.value().text());
                    if (measure == ThresholdSpec.Measure.SUM && !measureField.numeric()) {
                        throw new RuleSyntaxException(p.keyLine(), "threshold.sum needs a numeric field (bytes_out,"
                                + " duration_ms, status_code), got '" + measureField + "'");
                    }
                }
                case "where" -> where = ConditionParser.parse(p.value());
                default -> throw new RuleSyntaxException(p.keyLine(), "unknown key 'threshold." + p.key()
                        + "'; threshold has more_than or at_least, optionally distinct or sum, and where");
            }
        }
        if (strict == null) {
            throw new RuleSyntaxException(t.keyLine(), "threshold needs more_than or at_least");
        }
        Condition followedBy = null;
        String followedByLabel = null;
        YamlNode.Entry f = e.get("followed_by");
        if (f != null) {
            for (YamlNode.Entry p : f.value().entries().values()) {
                switch (p.key()) {
                    case "where" -> followedBy = ConditionParser.parse(p.value());
                    case "label" -> followedByLabel = p.value().text();
                    default -> throw new RuleSyntaxException(p.keyLine(), "unknown key 'followed_by." + p.key()
                            + "'; followed_by has where and label");
                }
            }
            if (followedBy == null) {
                throw new RuleSyntaxException(f.keyLine(), "followed_by needs a 'where' condition");
            }
        }
        return new ThresholdSpec(groupBy, true, measure, measureField, strict, limit, window, where, followedBy,
                followedByLabel, counting, false);
    }

    private static Duration window(YamlNode.Entry w) {
        Duration d;
        try {
            d = RuleDurations.parse(w.value().text());
        } catch (IllegalArgumentException ex) {
            throw new RuleSyntaxException(w.keyLine(), "window: " + ex.getMessage());
        }
        if (d.compareTo(ThresholdSpec.MIN_WINDOW) < 0 || d.compareTo(ThresholdSpec.MAX_WINDOW) > 0) {
            throw new RuleSyntaxException(w.keyLine(), "window '" + w.value().text() + "' must be between 2 seconds"
                    + " and 1 day (a nightly run sees one day)");
        }
        if (d.getSeconds() % 2 != 0) {
            throw new RuleSyntaxException(w.keyLine(), "window '" + w.value().text() + "' must be a whole even number"
                    + " of seconds (windows slide by half their length)");
        }
        return d;
    }

    private static double limit(YamlNode.Entry p) {
        String text = p.value().text().trim();
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException ex) {
            throw new RuleSyntaxException(p.keyLine(), "threshold." + p.key() + " must be a number, got '" + text + "'");
        }
        if (!(v >= 0) || Double.isInfinite(v) || (p.key().equals("at_least") && v < 1)) {
            throw new RuleSyntaxException(p.keyLine(), "threshold." + p.key() + " must be "
                    + (p.key().equals("at_least") ? "at least 1" : "0 or more") + ", got " + text);
        }
        return v;
    }

    private static FieldRef field(int line, String where, String name) {
        try {
            return FieldRef.parse(name);
        } catch (IllegalArgumentException ex) {
            throw new RuleSyntaxException(line, where + ": " + ex.getMessage());
        }
    }

    private static SuppressionSpec suppression(Map<String, YamlNode.Entry> e) {
        YamlNode.Entry s = e.get("suppression");
        if (s == null) {
            return SuppressionSpec.NONE;
        }
        Map<String, List<String>> allowlist = new LinkedHashMap<>();
        Duration cooldown = null;
        for (YamlNode.Entry p : s.value().entries().values()) {
            switch (p.key()) {
                case "allowlist" -> {
                    for (YamlNode.Entry a : p.value().entries().values()) {
                        if (!Findings.ENTITY_COLUMNS.contains(a.key())) {
                            throw new RuleSyntaxException(a.keyLine(), "suppression.allowlist key '" + a.key()
                                    + "' is not an entity column; use one of " + Findings.ENTITY_COLUMNS);
                        }
                        allowlist.put(a.key(), a.value().texts());
                    }
                }
                case "cooldown" -> {
                    try {
                        cooldown = RuleDurations.parse(p.value().text());
                    } catch (IllegalArgumentException ex) {
                        throw new RuleSyntaxException(p.keyLine(), "suppression.cooldown: " + ex.getMessage());
                    }
                }
                default -> throw new RuleSyntaxException(p.keyLine(), "unknown key 'suppression." + p.key()
                        + "'; suppression has allowlist and cooldown");
            }
        }
        return new SuppressionSpec(allowlist, cooldown);
    }
}
