package io.nightshift.jobs.rules;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Column;

/**
 * Compiles a {@link Condition} to a Spark boolean {@code Column}. Every value enters as a literal ({@code lit},
 * {@code isin}) or as data of a Java function ({@link TextMatch}: regular expressions and case-insensitive
 * substrings); no part of a rule is spliced into SQL text.
 *
 * <p>Each leaf is two-valued: a test on a missing (null) field is false, never null, so {@code not} behaves as a
 * person reads it ("not user root" is true for a row without a user), as Sigma's filters expect.
 */
public final class ConditionCompiler {
    private ConditionCompiler() {
    }

    public static Column compile(Condition condition) {
        if (condition instanceof Condition.All all) {
            return all.parts().stream().map(ConditionCompiler::compile).reduce(Column::and).orElse(lit(true));
        }
        if (condition instanceof Condition.Any any) {
            return withRegexesMerged(any.parts()).stream().map(ConditionCompiler::compile).reduce(Column::or)
                    .orElse(lit(false));
        }
        if (condition instanceof Condition.Not not) {
            return compile(not.part()).unary_$bang();
        }
        Condition.Match m = (Condition.Match) condition;
        return coalesce(leaf(m), lit(false));
    }

    /**
     * The parts of an {@code any}, with the regular expressions on one field (and case rule) made one leaf holding all
     * of them, where the first of them was: the text is then decoded and scanned once, not once per expression (a
     * rule like "security controls disabled" tests four on every message). Leaves are two-valued, so the order of
     * an {@code or} does not change its result.
     */
    private static List<Condition> withRegexesMerged(List<Condition> parts) {
        Map<List<Object>, Integer> slotOf = new HashMap<>();
        List<Condition> out = new ArrayList<>();
        for (Condition c : parts) {
            if (c instanceof Condition.Match m && m.op() == Operator.REGEX) {
                List<Object> key = List.of(m.field(), m.ignoreCase());
                Integer slot = slotOf.get(key);
                if (slot != null) {
                    Condition.Match first = (Condition.Match) out.get(slot);
                    List<Object> values = new ArrayList<>(first.values());
                    values.addAll(m.values());
                    out.set(slot, new Condition.Match(m.field(), Operator.REGEX, values, m.ignoreCase()));
                    continue;
                }
                slotOf.put(key, out.size());
            }
            out.add(c);
        }
        return out;
    }

    private static Column leaf(Condition.Match m) {
        Column field = m.field().column();
        if (m.op() == Operator.EXISTS) {
            return (Boolean) m.values().get(0) ? field.isNotNull() : field.isNull();
        }
        if (m.op().numeric()) {
            Column number = m.field().numeric() ? field.cast("double") : field.try_cast("double");
            double v = ((BigDecimal) m.values().get(0)).doubleValue();
            return switch (m.op()) {
                case GT -> number.gt(lit(v));
                case GTE -> number.geq(lit(v));
                case LT -> number.lt(lit(v));
                default -> number.leq(lit(v));
            };
        }
        if (m.field().numeric()) {
            Object[] numbers = m.values().stream().map(v -> ((BigDecimal) v).doubleValue()).toArray();
            return field.cast("double").isin(numbers);
        }
        boolean ci = m.ignoreCase();
        Column text = ci ? lower(field) : field;
        List<String> values = m.values().stream()
                .map(v -> ci && m.op() != Operator.REGEX ? v.toString().toLowerCase(Locale.ROOT) : v.toString())
                .toList();
        return switch (m.op()) {
            case EQUALS -> text.equalTo(lit(values.get(0)));
            case IN -> text.isin(values.toArray());
            case CONTAINS -> containsAny(field, text, values, ci);
            case STARTSWITH -> anyOf(values.stream().map(v -> text.startsWith(lit(v))).toList());
            case ENDSWITH -> anyOf(values.stream().map(v -> text.endsWith(lit(v))).toList());
            // One Java function per row (TextMatch): the literals a match needs first, then the patterns.
            case REGEX -> TextMatch.regex(field, values, ci);
            default -> throw new IllegalStateException("operator " + m.op() + " is handled above");
        };
    }

    private static Column containsAny(Column field, Column text, List<String> values, boolean ci) {
        Column folded = ci ? TextMatch.containsAnyIgnoringCase(field, values) : null;
        return folded != null ? folded : anyOf(values.stream().map(v -> text.contains(lit(v))).toList());
    }

    private static Column anyOf(List<Column> tests) {
        return tests.stream().reduce(Column::or).orElse(lit(false));
    }
}
