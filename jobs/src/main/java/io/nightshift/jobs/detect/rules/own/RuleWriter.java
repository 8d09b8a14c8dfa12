package io.nightshift.jobs.detect.rules.own;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.nightshift.jobs.detect.rules.Condition;
import io.nightshift.jobs.detect.rules.FieldRef;
import io.nightshift.jobs.detect.rules.Mitre;
import io.nightshift.jobs.detect.rules.Operator;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleDurations;
import io.nightshift.jobs.detect.rules.SuppressionSpec;
import io.nightshift.jobs.detect.rules.ThresholdSpec;

/**
 * Writes a {@link Rule} as a Nightshift rule file (the format {@link RuleParser} reads, see {@code rules/README.md}),
 * so that a rule built in code — a draft from an incident, a Sigma rule compiled to our condition tree — becomes an
 * ordinary catalog file a person can read, edit and {@code rules check}. Reading the text back gives the same rule
 * (condition, threshold, suppression, classification); only {@code sourceFile} and {@code line} differ.
 *
 * <p>Values are quoted only when YAML would read them as something else (numbers, booleans, text with {@code :},
 * {@code #}, brackets...); condition leaves are written in flow style, one per line, like the shipped rules.
 */
public final class RuleWriter {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_./@-]*( [A-Za-z0-9_./@()-]+)*");
    private static final Set<String> YAML_WORDS = Set.of("true", "false", "yes", "no", "on", "off", "null", "y", "n");
    private static final int WRAP = 110;
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z0-9_.:@/-]+");

    private RuleWriter() {
    }

    /** The rule as YAML, after {@code comment} lines (each written as {@code # line}). */
    public static String write(Rule rule, List<String> comment) {
        Lines out = new Lines();
        comment.forEach(c -> out.add(0, "# " + c));
        out.add(0, "id: " + scalar(rule.id()));
        out.add(0, "title: " + scalar(rule.title()));
        text(out, "description", rule.description());
        out.add(0, "severity: " + rule.severity().word());
        out.add(0, "status: " + rule.status().word());
        Mitre m = rule.mitre();
        out.add(0, "mitre: {tactic: " + scalar(m.tactic())
                + (m.technique() == null ? "" : ", technique: " + scalar(m.technique())) + "}");
        out.add(0, "logsource: " + (rule.services().isEmpty() ? "any" : "{services: " + list(rule.services()) + "}"));
        keyed(out, 0, "condition", rule.condition());
        threshold(out, rule.threshold());
        suppression(out, rule.suppression());
        if (!rule.nextSteps().isEmpty()) {
            out.add(0, "next_steps:");
            rule.nextSteps().forEach(s -> out.add(1, "- " + scalar(s)));
        }
        return out.text();
    }

    /** {@code key: {leaf}} on one line, or {@code key:} with the group below it. */
    private static void keyed(Lines out, int depth, String key, Condition c) {
        if (c instanceof Condition.Match match) {
            out.add(depth, key + ": " + leaf(match));
        } else {
            out.add(depth, key + ":");
            condition(out, depth + 1, c);
        }
    }

    /**
     * Long prose as a folded block ({@code >-}) wrapped near {@link #WRAP} columns, as the shipped rules write it;
     * anything folding would not give back exactly (double or edge spaces, control characters) as one scalar.
     */
    private static void text(Lines out, String key, String value) {
        boolean foldable = value.length() > WRAP && value.equals(value.strip()) && !value.contains("  ")
                && value.chars().noneMatch(ch -> ch < 0x20);
        if (!foldable) {
            out.add(0, key + ": " + scalar(value));
            return;
        }
        out.add(0, key + ": >-");
        StringBuilder line = new StringBuilder();
        for (String word : value.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > WRAP) {
                out.add(1, line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        out.add(1, line.toString());
    }

    private static void condition(Lines out, int depth, Condition c) {
        if (c instanceof Condition.All all) {
            group(out, depth, "all", all.parts());
        } else if (c instanceof Condition.Any any) {
            group(out, depth, "any", any.parts());
        } else if (c instanceof Condition.Not not) {
            out.add(depth, "not:");
            condition(out, depth + 1, not.part());
        } else {
            out.add(depth, leaf((Condition.Match) c));
        }
    }

    private static void group(Lines out, int depth, String key, List<Condition> parts) {
        if (parts.isEmpty()) {
            out.add(depth, key + ": []");
            return;
        }
        out.add(depth, key + ":");
        for (Condition part : parts) {
            if (part instanceof Condition.Match match) {
                out.add(depth + 1, "- " + leaf(match));
            } else {
                // A nested group is a one-key map inside the list item.
                Lines nested = new Lines();
                condition(nested, 0, part);
                List<String> lines = nested.lines;
                out.add(depth + 1, "- " + lines.get(0));
                for (String l : lines.subList(1, lines.size())) {
                    out.add(depth + 2, l);
                }
            }
        }
    }

    /** {@code {field: outcome, in: [failure, denied], ignore_case: true}}. */
    static String leaf(Condition.Match m) {
        String value = m.op().acceptsList() && m.values().size() > 1 || m.op() == Operator.IN
                ? "[" + String.join(", ", m.values().stream().map(RuleWriter::value).toList()) + "]"
                : value(m.values().get(0));
        return "{field: " + scalar(field(m.field())) + ", " + m.op().word() + ": " + value
                + (m.ignoreCase() ? ", ignore_case: true" : "") + "}";
    }

    private static String field(FieldRef f) {
        if (f.kind() == FieldRef.Kind.ATTRIBUTE && !ATTRIBUTE_KEY.matcher(f.name()).matches()) {
            return "attributes['" + f.name() + "']";
        }
        return f.toString();
    }

    private static String value(Object v) {
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        return scalar(v.toString());
    }

    private static void threshold(Lines out, ThresholdSpec t) {
        if (t.counting() != null) {
            out.add(0, "counting: " + scalar(t.counting()));
        }
        if (t.implicit()) {
            return;
        }
        if (!t.groupBy().isEmpty()) {
            out.add(0, "group_by: " + list(t.groupBy().stream().map(RuleWriter::field).toList()));
        }
        out.add(0, "window: " + RuleDurations.format(t.window()));
        out.add(0, "threshold:");
        out.add(1, (t.strict() ? "more_than: " : "at_least: ") + number(t.limit()));
        switch (t.measure()) {
            case DISTINCT -> out.add(1, "distinct: " + scalar(field(t.measureField())));
            case SUM -> out.add(1, "sum: " + scalar(field(t.measureField())));
            case COUNT -> {
            }
        }
        if (t.countWhere() != null) {
            keyed(out, 1, "where", t.countWhere());
        }
        if (t.followedBy() != null) {
            out.add(0, "followed_by:");
            keyed(out, 1, "where", t.followedBy());
            if (t.followedByLabel() != null) {
                out.add(1, "label: " + scalar(t.followedByLabel()));
            }
        }
    }

    private static void suppression(Lines out, SuppressionSpec s) {
        if (s.allowlist().isEmpty() && s.cooldown() == null) {
            return;
        }
        out.add(0, "suppression:");
        if (!s.allowlist().isEmpty()) {
            out.add(1, "allowlist:");
            for (Map.Entry<String, List<String>> e : s.allowlist().entrySet()) {
                out.add(2, e.getKey() + ": " + list(e.getValue()));
            }
        }
        if (s.cooldown() != null) {
            out.add(1, "cooldown: " + RuleDurations.format(s.cooldown()));
        }
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : BigDecimal.valueOf(v).toPlainString();
    }

    private static String list(List<String> values) {
        return "[" + String.join(", ", values.stream().map(RuleWriter::scalar).toList()) + "]";
    }

    /**
     * A text value as YAML reads it back unchanged: plain when it is a simple word or phrase that is not a YAML
     * keyword or number, single-quoted otherwise, double-quoted (with escapes) when it holds control characters.
     */
    static String scalar(String s) {
        if (PLAIN.matcher(s).matches() && !YAML_WORDS.contains(s.toLowerCase(Locale.ROOT))) {
            return s;
        }
        if (s.chars().noneMatch(ch -> ch < 0x20)) {
            return "'" + s.replace("'", "''") + "'";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> sb.append(ch < 0x20 ? String.format("\\x%02x", (int) ch) : String.valueOf(ch));
            }
        }
        return sb.append('"').toString();
    }

    /** Indented lines, two spaces per level. */
    private static final class Lines {
        final List<String> lines = new ArrayList<>();

        void add(int depth, String line) {
            lines.add("  ".repeat(depth) + line);
        }

        String text() {
            return String.join("\n", lines) + "\n";
        }
    }
}
