package io.nightshift.jobs.detect.rules;

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

    /**
     * How a {@link TextMatch} test of a field becomes a column: a Java function of its own per test
     * ({@link #ALONE}), or a bit of one scan of the field shared by many tests ({@link TextScans}).
     */
    @FunctionalInterface
    interface TextTests {
        Column test(Column field, TextMatch match);
    }

    static final TextTests ALONE = (field, match) -> match.on(field);

    public static Column compile(Condition condition) {
        return compile(condition, ALONE);
    }

    static Column compile(Condition condition, TextTests tests) {
        if (condition instanceof Condition.All all) {
            return all.parts().stream().map(c -> compile(c, tests)).reduce(Column::and).orElse(lit(true));
        }
        if (condition instanceof Condition.Any any) {
            return withTextTestsMerged(any.parts()).stream().map(c -> compile(c, tests)).reduce(Column::or)
                    .orElse(lit(false));
        }
        if (condition instanceof Condition.Not not) {
            return compile(not.part(), tests).unary_$bang();
        }
        Condition.Match m = (Condition.Match) condition;
        return coalesce(leaf(m, tests), lit(false));
    }

    /**
     * The parts of an {@code any}, with the regular expressions on one field (and case rule) made one leaf holding all
     * of them, where the first of them was, and likewise the substrings of {@code contains} leaves: the text is then
     * decoded and scanned once, not once per expression (a rule like "security controls disabled" tests four on
     * every message, and a Sigma {@code |contains} list is one leaf per value). Leaves are two-valued, so the order
     * of an {@code or} does not change its result.
     */
    private static List<Condition> withTextTestsMerged(List<Condition> parts) {
        Map<List<Object>, Integer> slotOf = new HashMap<>();
        List<Condition> out = new ArrayList<>();
        for (Condition c : parts) {
            if (c instanceof Condition.Match m && (m.op() == Operator.REGEX || m.op() == Operator.CONTAINS)) {
                List<Object> key = List.of(m.field(), m.op(), m.ignoreCase());
                Integer slot = slotOf.get(key);
                if (slot != null) {
                    Condition.Match first = (Condition.Match) out.get(slot);
                    List<Object> values = new ArrayList<>(first.values());
                    values.addAll(m.values());
                    out.set(slot, new Condition.Match(m.field(), m.op(), values, m.ignoreCase()));
                    continue;
                }
                slotOf.put(key, out.size());
            }
            out.add(c);
        }
        return out;
    }

    private static Column leaf(Condition.Match m, TextTests tests) {
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
            case CONTAINS -> containsAny(field, text, values, ci, tests);
            case STARTSWITH -> anyOf(values.stream().map(v -> text.startsWith(lit(v))).toList());
            case ENDSWITH -> anyOf(values.stream().map(v -> text.endsWith(lit(v))).toList());
            // A Java test per row (TextMatch, alone or in a field's shared scan): the literals a match needs first,
            // then the patterns.
            case REGEX -> tests.test(field, TextMatch.regex(values, ci));
            default -> throw new IllegalStateException("operator " + m.op() + " is handled above");
        };
    }

    private static Column containsAny(Column field, Column text, List<String> values, boolean ci, TextTests tests) {
        TextMatch folded = ci ? TextMatch.containsAnyIgnoringCase(values) : null;
        return folded != null ? tests.test(field, folded)
                : anyOf(values.stream().map(v -> text.contains(lit(v))).toList());
    }

    private static Column anyOf(List<Column> tests) {
        return tests.stream().reduce(Column::or).orElse(lit(false));
    }
}
