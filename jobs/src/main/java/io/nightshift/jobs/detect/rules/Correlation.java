package io.nightshift.jobs.detect.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.nightshift.jobs.base.Severity;

/**
 * A Sigma correlation rule, resolved against the rules it refers to: it fires when the rows its base rules match,
 * grouped by {@code groupBy}, pass {@code condition} within {@code timespan} (see {@link CorrelationExecutor} for the
 * windows). Built only by the Sigma loader; its base rules are ordinary {@link Rule}s of the same catalog, flagged in
 * the rules stage's one pass like every other rule.
 *
 * @param ruleIds     the base rules, by their catalog id, in the order the correlation lists them (the order
 *                    {@code temporal_ordered} requires)
 * @param groupBy     the group keys: each names, per base rule, the field it is read from (aliases resolved)
 * @param valueFields for {@code value_count}, the field whose distinct values are counted, per base rule; empty
 *                    otherwise
 * @param condition   the bounds the measure must all meet (one, or two for a range)
 * @param generate    whether the base rules also report their own matches (Sigma's {@code generate}; false by
 *                    default, as in the specification)
 * @param fields      how each field the correlation names resolved, per base rule, for {@code rules show}
 */
public record Correlation(String id, String title, String description, Severity severity, RuleStatus status,
                          Mitre mitre, Type type, List<String> ruleIds, List<GroupKey> groupBy,
                          List<FieldRef> valueFields, Duration timespan, List<Bound> condition, boolean generate,
                          List<String> nextSteps, String sourceFile, int line, List<FieldResolution> fields) {
    public Correlation {
        ruleIds = List.copyOf(ruleIds);
        groupBy = List.copyOf(groupBy);
        valueFields = List.copyOf(valueFields);
        condition = List.copyOf(condition);
        nextSteps = List.copyOf(nextSteps);
        fields = List.copyOf(fields);
    }

    /** The correlation types of the Sigma specification (v2). */
    public enum Type {
        EVENT_COUNT, VALUE_COUNT, TEMPORAL, TEMPORAL_ORDERED;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The type written {@code word}, or null. */
        public static Type parse(String word) {
            for (Type t : values()) {
                if (t.word().equals(word)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** One group-by key: the name the correlation gives it and the field each base rule reads it from. */
    public record GroupKey(String name, List<FieldRef> perRule) {
        public GroupKey {
            perRule = List.copyOf(perRule);
        }

        /** The entity column this key is for every base rule ({@code user}, {@code src_ip}, ...), or null. */
        public String entityColumn() {
            String first = perRule.get(0).entityColumn();
            return first != null && perRule.stream().allMatch(f -> first.equals(f.entityColumn())) ? first : null;
        }
    }

    /** One comparison of the measure with a number: {@code gte: 10}. */
    public record Bound(Op op, double value) {
        @Override
        public String toString() {
            return op.word() + " " + ThresholdSpec.formatNumber(value);
        }
    }

    /** The comparisons a correlation condition may use. */
    public enum Op {
        GT, GTE, LT, LTE, EQ, NEQ;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The Sigma fields no mapping resolved (read from {@code attributes['<name>']}), by name. */
    public List<String> unmappedFields() {
        return fields.stream().filter(f -> !f.mapped()).map(FieldResolution::ruleField).distinct().toList();
    }

    /** "count", "distinct User", "rules matched", "rules matched in order": what is measured per window. */
    public String measureWords() {
        return switch (type) {
            case EVENT_COUNT -> "events";
            case VALUE_COUNT -> "distinct " + valueFieldName();
            case TEMPORAL -> "of " + ruleIds.size() + " rules matched";
            case TEMPORAL_ORDERED -> "of " + ruleIds.size() + " rules matched in order";
        };
    }

    /** "gte 10", "gt 100 and lte 200". */
    public String conditionWords() {
        return condition.stream().map(Bound::toString).collect(Collectors.joining(" and "));
    }

    /** The number findings compare with ({@code expected}) and score against: the first bound's. */
    public double limit() {
        return condition.get(0).value();
    }

    private String valueFieldName() {
        List<String> names = new ArrayList<>();
        for (FieldRef f : valueFields) {
            if (!names.contains(f.toString())) {
                names.add(f.toString());
            }
        }
        return String.join("/", names);
    }
}
