package io.nightshift.jobs.rules;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

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
            return any.parts().stream().map(ConditionCompiler::compile).reduce(Column::or).orElse(lit(false));
        }
        if (condition instanceof Condition.Not not) {
            return compile(not.part()).unary_$bang();
        }
        Condition.Match m = (Condition.Match) condition;
        return coalesce(leaf(m), lit(false));
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
            // One Java function per row (TextMatch): the literals a match needs first, then the pattern.
            case REGEX -> anyOf(values.stream().map(v -> TextMatch.regex(field, v, ci)).toList());
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
