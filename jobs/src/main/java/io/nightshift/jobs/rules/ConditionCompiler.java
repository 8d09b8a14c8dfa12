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
 * {@code rlike} with a pattern string, {@code isin}); no part of a rule is spliced into SQL text.
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
            case CONTAINS -> anyOf(values.stream().map(v -> text.contains(lit(v))).toList());
            case STARTSWITH -> anyOf(values.stream().map(v -> text.startsWith(lit(v))).toList());
            case ENDSWITH -> anyOf(values.stream().map(v -> text.endsWith(lit(v))).toList());
            case REGEX -> anyOf(values.stream().map(v -> regex(field, v, ci)).toList());
            default -> throw new IllegalStateException("operator " + m.op() + " is handled above");
        };
    }

    /**
     * {@code rlike} takes the pattern as a literal; (?i) makes the match itself case-insensitive. When every match
     * must contain one of a few literals ({@link RegexLiterals}), a substring search for them comes first and the
     * regular expression runs only on the rows that have one: most rows of a day have none, and the search from
     * every position of every message was most of a rule's cost.
     */
    private static Column regex(Column field, String pattern, boolean ci) {
        Column match = field.rlike(ci ? "(?i)" + pattern : pattern);
        return RegexLiterals.required(pattern, ci).map(literals -> {
            Column text = ci ? lower(field) : field;
            return anyOf(literals.stream().map(l -> text.contains(lit(l))).toList()).and(match);
        }).orElse(match);
    }

    private static Column anyOf(List<Column> tests) {
        return tests.stream().reduce(Column::or).orElse(lit(false));
    }
}
