package io.nightshift.jobs.detect.rules;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;

/**
 * The {@code description} of a rule finding, in words a person reads on a pager:
 * "43 failed logins for user alice (tenant t-07) from 203.0.113.5 between 02:10 and 02:20 UTC; threshold: more than
 * 20 in 10 minutes". Built from the columns {@link RuleExecutor} has already shaped ({@code observed},
 * {@code first_seen}, {@code last_seen}, the entity columns and the group keys).
 */
final class RuleDescriptions {
    private RuleDescriptions() {
    }

    static Column describe(Rule rule, String timeZone) {
        ThresholdSpec t = rule.threshold();
        List<Column> parts = new ArrayList<>();
        parts.add(format_number(col("observed"), 0));
        parts.add(lit(" " + counting(t)));
        parts.add(phrase(" for user ", col("`user`"), ""));
        parts.add(phrase(" (tenant ", col("tenant_id"), ")"));
        parts.add(phrase(" from ", col("src_ip"), ""));
        parts.add(phrase(" on host ", col("host"), ""));
        for (int i = 0; i < t.groupBy().size(); i++) {
            FieldRef f = t.groupBy().get(i);
            if (f.entityColumn() == null || f.entityColumn().equals("service") || f.entityColumn().equals("region")
                    || f.entityColumn().equals("datacenter") || f.entityColumn().equals("farm")) {
                parts.add(phrase(" with " + f + " ", col(RuleExecutor.key(i)), ""));
            }
        }
        Column first = date_format(col("first_seen"), "HH:mm");
        Column last = date_format(col("last_seen"), "HH:mm");
        parts.add(when(first.equalTo(last), concat(lit(" at "), first))
                .otherwise(concat(lit(" between "), first, lit(" and "), last)));
        parts.add(lit(" " + timeZone));
        if (!t.implicit()) {
            parts.add(lit("; threshold: " + t.limitWords() + " in " + RuleDurations.format(t.window())));
        }
        if (t.followedBy() != null) {
            parts.add(concat(lit("; followed by " + (t.followedByLabel() == null ? "a matching event"
                    : t.followedByLabel()) + " at "), date_format(col("_last_follow"), "HH:mm")));
        }
        return concat(parts.toArray(Column[]::new));
    }

    static String counting(ThresholdSpec t) {
        if (t.counting() != null) {
            return t.counting();
        }
        return switch (t.measure()) {
            case COUNT -> "matching events";
            case DISTINCT -> "distinct values of " + t.measureField();
            case SUM -> t.measureField() + " in total";
        };
    }

    /** {@code prefix + value + suffix}, or "" when the value is null (so concat never turns null). */
    private static Column phrase(String prefix, Column value, String suffix) {
        return coalesce(concat(lit(prefix), value, lit(suffix)), lit(""));
    }
}
