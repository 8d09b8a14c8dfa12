package io.nightshift.jobs.detect.rules;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log2;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.window;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.detect.Findings;
import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * Runs one {@link Rule} over a day of canonical logs and returns its hits as rows in the shape of the
 * {@code findings} table (without {@code finding_id}/{@code fingerprint}; {@link RuleStage} adds those).
 *
 * <p>How: filter the rows (log source and condition), group them by the rule's entities in windows, measure each
 * group, keep groups past the threshold. Threshold rules use windows of the rule's length sliding by half of it, so
 * a burst that straddles a tumbling boundary (12 failures at 02:08, 12 at 02:11, threshold 20 in 10 minutes) is still
 * seen whole; the overlapping windows that pass for one entity are then merged into one <em>episode</em> and the
 * episode is reported once, by its strongest window. Rules without a threshold use tumbling windows (every row is a
 * hit; there is no boundary to straddle). All of this is one filter, one aggregation and window functions over the
 * (small) set of hits, nothing collected to the driver. {@link RuleStage} does the filtering for all rules in one
 * pass over the day and hands each rule its rows.
 *
 * <p>Deterministic: evidence row ids are the earliest {@code maxEvidenceRows} by (timestamp, row_id), entity values
 * come from min/max, and ties between windows go to the earliest.
 */
public final class RuleExecutor {
    public static final String DETECTOR = "rule";

    private final int maxEvidenceRows;

    public RuleExecutor(int maxEvidenceRows) {
        if (maxEvidenceRows < 1) {
            throw new IllegalArgumentException("maxEvidenceRows must be positive, got " + maxEvidenceRows);
        }
        this.maxEvidenceRows = maxEvidenceRows;
    }

    /** The rule's findings for {@code logs} (canonical schema), one row per episode per entity group. */
    public Dataset<Row> findings(Rule rule, Dataset<Row> logs) {
        return findingsOfMatched(rule, logs.where(matches(rule)));
    }

    /**
     * Whether a row is one the rule looks at (its log sources and condition, with a timestamp); never null. Rows it
     * is false for take no part in the rule's findings.
     */
    public static Column matches(Rule rule) {
        return matches(rule, ConditionCompiler.ALONE);
    }

    /** {@link #matches(Rule)} with its text tests compiled by {@code tests}. */
    static Column matches(Rule rule, ConditionCompiler.TextTests tests) {
        return coalesce(filter(rule, tests).and(col(CanonicalSchema.TIMESTAMP).isNotNull()), lit(false));
    }

    /**
     * The rule's findings over rows already known to {@link #matches match} it (canonical columns; more columns are
     * ignored), as when {@link RuleStage} selects every rule's rows in one pass over the day.
     */
    Dataset<Row> findingsOfMatched(Rule rule, Dataset<Row> logs) {
        ThresholdSpec t = rule.threshold();
        List<Column> keys = new ArrayList<>();
        List<Column> keyValues = new ArrayList<>();
        for (int i = 0; i < t.groupBy().size(); i++) {
            keys.add(col(key(i)));
            keyValues.add(t.groupBy().get(i).column().cast("string").as(key(i)));
        }
        Dataset<Row> matched = logs.select(columns(t, keyValues));
        if (t.requireKeys()) {
            for (Column k : keys) {
                matched = matched.where(k.isNotNull());
            }
        }
        Dataset<Row> hits = passing(t, windowed(t, matched).groupBy(with(keys, col("_w")).toArray(Column[]::new)).agg(
                measure(t).as("_measure_value"), aggregates().toArray(Column[]::new)));
        Dataset<Row> episodes = strongestPerEpisode(hits, keys);
        return finish(rule, withCooldown(rule, episodes, keys), logs.sparkSession().conf()
                .get("spark.sql.session.timeZone", "UTC"));
    }

    static String key(int i) {
        return "_k" + i;
    }

    private static Column filter(Rule rule, ConditionCompiler.TextTests tests) {
        Column c = ConditionCompiler.compile(rule.condition(), tests);
        if (!rule.services().isEmpty()) {
            c = col(CanonicalSchema.SERVICE).isin(rule.services().toArray()).and(c);
        }
        return c;
    }

    private static Column[] columns(ThresholdSpec t, List<Column> keyValues) {
        List<Column> cols = new ArrayList<>(keyValues);
        cols.add(col(CanonicalSchema.ROW_ID));
        cols.add(col(CanonicalSchema.TIMESTAMP));
        for (String e : Findings.ENTITY_COLUMNS) {
            cols.add(col("`" + e + "`"));
        }
        cols.add((t.countWhere() == null ? lit(true) : ConditionCompiler.compile(t.countWhere())).as("_counted"));
        cols.add((t.measureField() == null ? lit(null) : t.measureField().column()).as("_measure"));
        cols.add((t.followedBy() == null ? lit(false) : ConditionCompiler.compile(t.followedBy())).as("_follow"));
        return cols.toArray(Column[]::new);
    }

    private static Dataset<Row> windowed(ThresholdSpec t, Dataset<Row> matched) {
        long seconds = t.window().getSeconds();
        Column w = t.implicit()
                ? window(col(CanonicalSchema.TIMESTAMP), seconds + " seconds")
                : window(col(CanonicalSchema.TIMESTAMP), seconds + " seconds", (seconds / 2) + " seconds");
        return matched.withColumn("_w", w);
    }

    private static Column measure(ThresholdSpec t) {
        Column counted = col("_counted");
        return switch (t.measure()) {
            case COUNT -> count(when(counted, lit(1)));
            case DISTINCT -> count_distinct(when(counted, col("_measure")));
            case SUM -> coalesce(sum(when(counted, col("_measure").cast("double"))), lit(0.0));
        };
    }

    /**
     * A group's times, evidence and entity values, over rows with the canonical columns, {@code _counted} and
     * {@code _follow} (also what {@link RuleSetExecutor} computes per rule and group).
     */
    List<Column> aggregates() {
        Column ts = col(CanonicalSchema.TIMESTAMP);
        List<Column> aggs = new ArrayList<>();
        aggs.add(min(ts).as("_first_seen"));
        aggs.add(max(ts).as("_last_seen"));
        aggs.add(min(when(col("_counted"), ts)).as("_first_counted"));
        aggs.add(max(when(col("_follow"), ts)).as("_last_follow"));
        aggs.add(slice(array_sort(collect_list(struct(ts.as("ts"), col(CanonicalSchema.ROW_ID).as("id")))), 1,
                maxEvidenceRows).getField("id").as("_evidence"));
        for (String e : Findings.ENTITY_COLUMNS) {
            aggs.add(min(col("`" + e + "`")).as("_min_" + e));
            aggs.add(max(col("`" + e + "`")).as("_max_" + e));
        }
        return aggs;
    }

    private static Dataset<Row> passing(ThresholdSpec t, Dataset<Row> groups) {
        Column m = col("_measure_value");
        Column pass = t.strict() ? m.gt(lit(t.limit())) : m.geq(lit(t.limit()));
        if (t.followedBy() != null) {
            pass = pass.and(col("_last_follow").gt(col("_first_counted")));
        }
        return groups.where(pass);
    }

    /**
     * Overlapping passing windows of one entity group form an episode (a new one starts when a window begins at or
     * after the previous one ended); each episode is reported once, by its strongest window (earliest on ties).
     */
    private static Dataset<Row> strongestPerEpisode(Dataset<Row> hits, List<Column> keys) {
        WindowSpec byKey = partition(keys).orderBy(col("_w.start"));
        Column prevEnd = lag(col("_w.end"), 1).over(byKey);
        List<Column> episodeKeys = with(keys, col("_episode"));
        return hits
                .withColumn("_new_episode", when(prevEnd.isNull().or(col("_w.start").geq(prevEnd)), 1).otherwise(0))
                .withColumn("_episode", sum(col("_new_episode")).over(
                        byKey.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
                .withColumn("_windows", count(lit(1)).over(partition(episodeKeys)))
                .withColumn("_rank", row_number().over(partition(episodeKeys)
                        .orderBy(col("_measure_value").desc(), col("_w.start").asc())))
                .where(col("_rank").equalTo(1));
    }

    /** Marks an episode suppressed when the same entity group's previous episode ended less than cooldown before. */
    private static Dataset<Row> withCooldown(Rule rule, Dataset<Row> episodes, List<Column> keys) {
        if (rule.suppression().cooldown() == null) {
            return episodes.withColumn("_cooldown_reason", lit(null).cast("string"));
        }
        long cooldown = rule.suppression().cooldown().getSeconds();
        WindowSpec byKey = partition(keys).orderBy(col("_first_seen"), col("_w.start"));
        Column prevLast = lag(col("_last_seen"), 1).over(byKey);
        Column cooling = prevLast.isNotNull()
                .and(unix_seconds(col("_first_seen")).minus(unix_seconds(prevLast)).lt(lit(cooldown)));
        return episodes.withColumn("_cooldown_reason", when(cooling, org.apache.spark.sql.functions.concat(
                lit("cooldown: this rule already fired for the same entity until "),
                org.apache.spark.sql.functions.date_format(prevLast, "HH:mm"),
                lit(" (cooldown " + RuleDurations.format(rule.suppression().cooldown()) + ")"))));
    }

    private Dataset<Row> finish(Rule rule, Dataset<Row> hits, String timeZone) {
        ThresholdSpec t = rule.threshold();
        List<Column> out = new ArrayList<>();
        out.add(lit(DETECTOR).as("detector"));
        out.add(lit(rule.id()).as("detector_id"));
        out.add(lit(rule.title()).as("title"));
        Column score = score(rule, col("_measure_value"));
        for (String e : Findings.ENTITY_COLUMNS) {
            out.add(entityValue(t, e).as(e));
        }
        out.add(col("_first_seen").as("first_seen"));
        out.add(col("_last_seen").as("last_seen"));
        out.add(score.as("score"));
        out.add(Findings.severityOf(score).as("severity"));
        out.add(col("_measure_value").cast("double").as("observed"));
        out.add((t.implicit() ? lit(null) : lit(t.limit())).cast("double").as("expected"));
        out.add(lit(null).cast("double").as("expected_spread"));
        out.add(lit(rule.mitre().tactic()).cast("string").as("mitre_tactic"));
        out.add(lit(rule.mitre().technique()).cast("string").as("mitre_technique"));
        out.add(col("_evidence").as("evidence_row_ids"));
        out.add(array(rule.nextSteps().stream().map(s -> lit(s)).toArray(Column[]::new))
                .cast("array<string>").as("recommended_actions"));
        out.add(metadata(rule).as("metadata"));
        out.add(col("_last_follow"));
        out.add(col("_cooldown_reason"));
        Dataset<Row> shaped = hits.select(with(out, keysOf(t)).toArray(Column[]::new));
        Column allowlisted = allowlistReason(rule);
        return shaped
                .withColumn("description", RuleDescriptions.describe(rule, timeZone))
                .withColumn("suppression_reason", coalesce(allowlisted, col("_cooldown_reason")))
                .withColumn("suppressed", col("suppression_reason").isNotNull())
                .drop("_last_follow", "_cooldown_reason")
                .drop(keyNames(t));
    }

    private static List<Column> keysOf(ThresholdSpec t) {
        List<Column> ks = new ArrayList<>();
        for (int i = 0; i < t.groupBy().size(); i++) {
            ks.add(col(key(i)));
        }
        return ks;
    }

    private static String[] keyNames(ThresholdSpec t) {
        String[] names = new String[t.groupBy().size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = key(i);
        }
        return names;
    }

    /** A grouped entity is the group's value; any other entity column is filled when the group has one value. */
    private static Column entityValue(ThresholdSpec t, String entity) {
        for (int i = 0; i < t.groupBy().size(); i++) {
            if (entity.equals(t.groupBy().get(i).entityColumn())) {
                return col(key(i));
            }
        }
        return when(col("_min_" + entity).equalTo(col("_max_" + entity)), col("_min_" + entity));
    }

    /**
     * Base score of the severity, plus up to {@link Severity#MAX_STRENGTH_BONUS} for how far the measure is over the
     * threshold (full bonus at 8×, on a log scale), capped at 100; experimental rules get
     * {@link RuleStatus#EXPERIMENTAL_SCORE_FACTOR} of it.
     */
    static Column score(Rule rule, Column measure) {
        double limit = Math.max(1.0, rule.threshold().limit());
        Column strength = least(lit(1.0), greatest(lit(0.0), log2(measure.cast("double").divide(lit(limit)))
                .divide(lit(3.0))));
        Column score = least(lit(100.0), lit((double) rule.severity().baseScore())
                .plus(strength.multiply(lit(Severity.MAX_STRENGTH_BONUS))));
        if (rule.status() == RuleStatus.EXPERIMENTAL) {
            score = score.multiply(lit(RuleStatus.EXPERIMENTAL_SCORE_FACTOR));
        }
        return round(score, 1);
    }

    private static Column metadata(Rule rule) {
        ThresholdSpec t = rule.threshold();
        List<Column> kv = new ArrayList<>(List.of(
                lit("rule_file"), lit(rule.sourceFile()),
                lit("rule_line"), lit(String.valueOf(rule.line())),
                lit("rule_status"), lit(rule.status().word()),
                lit("rule_severity"), lit(rule.severity().word()),
                lit("rule_format"), lit(rule.format().word()),
                lit("measure"), lit(t.measureWords()),
                lit("window"), lit(RuleDurations.format(t.window())),
                lit("window_start"), org.apache.spark.sql.functions.date_format(col("_w.start"),
                        "yyyy-MM-dd'T'HH:mm:ss"),
                lit("windows_over_threshold"), col("_windows").cast("string")));
        for (int i = 0; i < t.groupBy().size(); i++) {
            FieldRef f = t.groupBy().get(i);
            if (f.entityColumn() == null) {
                kv.add(lit("group." + f));
                kv.add(col(key(i)));
            }
        }
        return org.apache.spark.sql.functions.map(kv.toArray(Column[]::new));
    }

    private static Column allowlistReason(Rule rule) {
        Column reason = lit(null).cast("string");
        List<Map.Entry<String, List<String>>> entries = new ArrayList<>(rule.suppression().allowlist().entrySet());
        for (int i = entries.size() - 1; i >= 0; i--) {
            var e = entries.get(i);
            Column v = col("`" + e.getKey() + "`");
            reason = when(v.isin(e.getValue().toArray()),
                    org.apache.spark.sql.functions.concat(lit("allowlisted " + e.getKey() + " "), v))
                    .otherwise(reason);
        }
        return reason;
    }

    private static WindowSpec partition(List<Column> keys) {
        return Window.partitionBy(keys.toArray(Column[]::new));
    }

    private static List<Column> with(List<Column> list, Column extra) {
        List<Column> out = new ArrayList<>(list);
        out.add(extra);
        return out;
    }

    private static List<Column> with(List<Column> list, List<Column> extra) {
        List<Column> out = new ArrayList<>(list);
        out.addAll(extra);
        return out;
    }
}
