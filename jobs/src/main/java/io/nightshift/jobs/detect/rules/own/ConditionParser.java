package io.nightshift.jobs.detect.rules.own;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.nightshift.jobs.detect.rules.Condition;
import io.nightshift.jobs.detect.rules.FieldRef;
import io.nightshift.jobs.detect.rules.Operator;
import io.nightshift.jobs.detect.rules.RuleSyntaxException;
import io.nightshift.jobs.detect.rules.YamlNode;

/**
 * Reads the structured condition form of a Nightshift rule into a {@link Condition}:
 * <pre>
 * condition:
 *   all:                                      # also: any: [...], not: {...}; a bare list means all
 *     - {field: action, equals: login}
 *     - {field: outcome, in: [failure, denied]}
 *     - {field: attributes.user_agent, regex: '(?i)sqlmap|nikto', ignore_case: true}
 * </pre>
 * A leaf has {@code field}, exactly one operator ({@link Operator#words()}) and optionally {@code ignore_case}.
 */
final class ConditionParser {
    private static final String FIELD = "field";
    private static final String IGNORE_CASE = "ignore_case";

    private ConditionParser() {
    }

    static Condition parse(YamlNode node) {
        if (node.isSequence()) {
            return new Condition.All(parseAll(node.items()));
        }
        Map<String, YamlNode.Entry> entries = node.entries();
        if (entries.isEmpty()) {
            throw new RuleSyntaxException(node.line(), "empty condition; write all:, any:, not: or a field test");
        }
        if (!entries.containsKey(FIELD)) {
            if (entries.size() != 1) {
                throw new RuleSyntaxException(node.line(), "a condition group has exactly one of all, any, not; got "
                        + entries.keySet());
            }
            YamlNode.Entry e = entries.values().iterator().next();
            return switch (e.key()) {
                case "all" -> new Condition.All(parseAll(e.value().items()));
                case "any" -> new Condition.Any(parseAll(e.value().items()));
                case "not" -> new Condition.Not(parse(e.value()));
                default -> throw new RuleSyntaxException(e.keyLine(), "unknown condition key '" + e.key()
                        + "'; expected all, any, not, or field with one of: " + Operator.words());
            };
        }
        return leaf(node, entries);
    }

    private static List<Condition> parseAll(List<YamlNode> items) {
        List<Condition> parts = new ArrayList<>();
        for (YamlNode item : items) {
            parts.add(parse(item));
        }
        return parts;
    }

    private static Condition leaf(YamlNode node, Map<String, YamlNode.Entry> entries) {
        YamlNode.Entry fieldEntry = entries.get(FIELD);
        FieldRef field;
        try {
            field = FieldRef.parse(fieldEntry.value().text());
        } catch (IllegalArgumentException e) {
            throw new RuleSyntaxException(fieldEntry.keyLine(), e.getMessage());
        }
        boolean ignoreCase = false;
        Operator op = null;
        YamlNode.Entry opEntry = null;
        for (YamlNode.Entry e : entries.values()) {
            if (e.key().equals(FIELD)) {
                continue;
            }
            if (e.key().equals(IGNORE_CASE)) {
                ignoreCase = bool(e);
                continue;
            }
            Operator o = Operator.parse(e.key());
            if (o == null) {
                throw new RuleSyntaxException(e.keyLine(), "unknown operator '" + e.key() + "' on field '" + field
                        + "'; operators are " + Operator.words() + " (and ignore_case)");
            }
            if (op != null) {
                throw new RuleSyntaxException(e.keyLine(), "field test on '" + field + "' has two operators ('"
                        + op.word() + "' and '" + o.word() + "'); combine two tests with all: or any:");
            }
            op = o;
            opEntry = e;
        }
        if (op == null) {
            throw new RuleSyntaxException(node.line(), "field test on '" + field + "' has no operator; add one of "
                    + Operator.words());
        }
        List<Object> values = new ArrayList<>();
        YamlNode v = opEntry.value();
        if (v.isNull()) {
            values.add(null);
        } else {
            values.addAll(v.texts());
        }
        try {
            return Condition.Match.of(field, op, values, ignoreCase);
        } catch (IllegalArgumentException e) {
            throw new RuleSyntaxException(opEntry.keyLine(), e.getMessage());
        }
    }

    private static boolean bool(YamlNode.Entry e) {
        String t = e.value().text();
        if (!t.equals("true") && !t.equals("false")) {
            throw new RuleSyntaxException(e.keyLine(), "'" + e.key() + "' takes true or false, got '" + t + "'");
        }
        return Boolean.parseBoolean(t);
    }
}
