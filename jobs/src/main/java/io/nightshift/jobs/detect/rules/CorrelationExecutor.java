package io.nightshift.jobs.detect.rules;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.forall;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.get;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.nightshift.jobs.detect.Findings;
import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * Evaluates Sigma correlation rules over the rows the rules stage already flagged ({@link RuleStage#matchedRows}: one
 * flag column per rule), as a pure transformation: no pass over the day of its own.
 *
 * <p><b>Windows: sliding, anchored at each event.</b> A correlation holds for a group when some stretch of
 * {@code timespan} holds events passing its condition. Every such stretch can be slid until it ends at one of its
 * events, so it is enough to look, for each matched event, at the window {@code [its time - timespan, its time]}
 * (both ends included): that finds every qualifying stretch, wherever it falls, which tumbling or hopping windows
 * (Splunk's {@code bin}, a fixed grid) miss when a burst straddles a boundary. The specification asks for it ("the time
 * frame should not be restricted to boundaries"). The windows ending at each event of a burst overlap; the passing
 * windows of one group whose spans overlap are one <em>episode</em>, reported once by its strongest window (highest
 * measure, earliest on ties), as {@link RuleExecutor} reports its episodes.
 *
 * <p>Per window, the measure: {@code event_count} the events, {@code value_count} the distinct non-null values of the
 * field, {@code temporal} how many of the base rules matched, {@code temporal_ordered} how many of the base rules,
 * from the first, matched in their order (events at the same time count as in order). A group key with no value
 * leaves the event out, as backends' {@code group by} does.
 *
 * <p>Cost: one record per (flagged row, correlation, base rule of it), one window-function pass per distinct
 * timespan over those records (a frame's bounds are fixed per window, so correlations with equal timespans share
 * it), and one join of the few strongest windows with their records for times, entities and evidence.
 */
final class CorrelationExecutor {
    private static final StructType PARAMETERS = new StructType()
            .add("_c", DataTypes.IntegerType, false)
            .add("p_id", DataTypes.StringType, false)
            .add("p_title", DataTypes.StringType, false)
            .add("p_span", DataTypes.LongType, false)
            .add("p_gt", DataTypes.DoubleType, true)
            .add("p_gte", DataTypes.DoubleType, true)
            .add("p_lt", DataTypes.DoubleType, true)
            .add("p_lte", DataTypes.DoubleType, true)
            .add("p_eq", DataTypes.DoubleType, true)
            .add("p_neq", DataTypes.DoubleType, true)
            .add("p_score_limit", DataTypes.DoubleType, false)
            .add("p_base_score", DataTypes.DoubleType, false)
            .add("p_experimental", DataTypes.BooleanType, false)
            .add("p_expected", DataTypes.DoubleType, false)
            .add("p_tactic", DataTypes.StringType, true)
            .add("p_technique", DataTypes.StringType, true)
            .add("p_actions", DataTypes.createArrayType(DataTypes.StringType, true), false)
            .add("p_meta_keys", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("p_meta_values", DataTypes.createArrayType(DataTypes.StringType, true), false)
            .add("p_group_names", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("p_entity_keys", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("p_words", DataTypes.StringType, false)
            .add("p_condition_words", DataTypes.StringType, false);

    private final int maxEvidenceRows;

    CorrelationExecutor(int maxEvidenceRows) {
        this.maxEvidenceRows = maxEvidenceRows;
    }

    /**
     * The findings of {@code correlations} (without ids, in the columns {@link RuleSetExecutor} returns) over
     * {@code matched}, whose column {@link RuleStage#flag flag(i)} says whether a row matches the rule whose id
     * {@code flags} maps to {@code i}; every base rule of every correlation must have a flag.
     */
    Dataset<Row> findings(List<Correlation> correlations, Map<String, Integer> flags, Dataset<Row> matched) {
        if (correlations.isEmpty()) {
            throw new IllegalArgumentException("no correlations to run");
        }
        Dataset<Row> params = broadcast(parameters(correlations, matched.sparkSession()));
        Dataset<Row> records = records(correlations, flags, matched);
        Dataset<Row> anchors = null;
        for (Map.Entry<Long, List<Integer>> span : bySpan(correlations).entrySet()) {
            Dataset<Row> measured = measured(records.where(col("_c").isin(span.getValue().toArray())),
                    span.getKey(), correlations, span.getValue());
            anchors = anchors == null ? measured : anchors.unionByName(measured);
        }
        Dataset<Row> hits = strongestPerEpisode(passing(anchors.join(params, "_c")));
        return finish(withWindowRows(hits, records, params), matched.sparkSession().conf()
                .get("spark.sql.session.timeZone", "UTC"));
    }

    /** Correlation indexes by timespan in microseconds. */
    private static Map<Long, List<Integer>> bySpan(List<Correlation> correlations) {
        Map<Long, List<Integer>> out = new TreeMap<>();
        for (int c = 0; c < correlations.size(); c++) {
            out.computeIfAbsent(micros(correlations.get(c)), k -> new ArrayList<>()).add(c);
        }
        return out;
    }

    private static long micros(Correlation c) {
        return c.timespan().getSeconds() * 1_000_000L;
    }

    /**
     * One record per (flagged row, correlation, base rule of it the row matches): {@code _c}, {@code _p} (the base
     * rule's position), {@code _keys} (the group's values as text, read per base rule), {@code _value} (the counted
     * field of {@code value_count}), {@code _t} (microseconds), the row's id, time and entity columns. Records with a
     * group key missing are dropped.
     */
    private static Dataset<Row> records(List<Correlation> correlations, Map<String, Integer> flags,
                                        Dataset<Row> matched) {
        List<Column> parts = new ArrayList<>();
        for (int c = 0; c < correlations.size(); c++) {
            Correlation corr = correlations.get(c);
            for (int p = 0; p < corr.ruleIds().size(); p++) {
                Integer flag = flags.get(corr.ruleIds().get(p));
                if (flag == null) {
                    throw new IllegalArgumentException("correlation " + corr.id() + " refers to rule "
                            + corr.ruleIds().get(p) + ", which has no flag column");
                }
                List<Column> keys = new ArrayList<>();
                for (Correlation.GroupKey k : corr.groupBy()) {
                    keys.add(k.perRule().get(p).column().cast("string"));
                }
                Column value = corr.valueFields().isEmpty() ? lit(null).cast("string")
                        : corr.valueFields().get(p).column().cast("string");
                parts.add(when(col(RuleStage.flag(flag)), struct(lit(c).as("c"), lit(p).as("p"),
                        array(keys.toArray(Column[]::new)).cast("array<string>").as("keys"), value.as("value"))));
            }
        }
        List<Column> out = new ArrayList<>(List.of(col(CanonicalSchema.ROW_ID), col(CanonicalSchema.TIMESTAMP)));
        for (String e : Findings.ENTITY_COLUMNS) {
            out.add(col("`" + e + "`"));
        }
        out.add(explode(array_compact(array(parts.toArray(Column[]::new)))).as("_r"));
        return matched.select(out.toArray(Column[]::new))
                .withColumn("_c", col("_r.c"))
                .withColumn("_p", col("_r.p"))
                .withColumn("_keys", col("_r.keys"))
                .withColumn("_value", col("_r.value"))
                .withColumn("_t", unix_micros(col(CanonicalSchema.TIMESTAMP)))
                .drop("_r")
                .where(forall(col("_keys"), Column::isNotNull));
    }

    /**
     * Each record as the anchor of the window {@code [_t - span, _t]} of its group, with {@code _measure}: the
     * measure of its correlation's type over that window. Only the measures of the types present are computed.
     *
     * @param indexes the correlations (indexes into {@code correlations}) whose timespan is {@code span}
     */
    private static Dataset<Row> measured(Dataset<Row> records, long span, List<Correlation> correlations,
                                         List<Integer> indexes) {
        WindowSpec window = Window.partitionBy(col("_c"), col("_keys")).orderBy(col("_t")).rangeBetween(-span, 0);
        Column measure = lit(null).cast("double");
        for (Correlation.Type type : Correlation.Type.values()) {
            List<Integer> ofType = indexes.stream().filter(c -> correlations.get(c).type() == type).toList();
            if (!ofType.isEmpty()) {
                measure = when(col("_c").isin(ofType.toArray()), measure(type, window)).otherwise(measure);
            }
        }
        return records.withColumn("_measure", measure.cast("double"));
    }

    /** The measure of {@code type} over {@code window}. */
    private static Column measure(Correlation.Type type, WindowSpec window) {
        return switch (type) {
            case EVENT_COUNT -> count(lit(1)).over(window);
            case VALUE_COUNT -> size(collect_set(col("_value")).over(window));
            case TEMPORAL -> size(collect_set(col("_p")).over(window));
            // The longest prefix of the rules' order found in order: walk the window's records by time (rules'
            // order on equal times), each record advancing the count when it is the next rule wanted.
            case TEMPORAL_ORDERED -> aggregate(array_sort(collect_list(struct(col("_t"), col("_p"))).over(window)),
                    lit(0), (wanted, r) -> when(r.getField("_p").equalTo(wanted), wanted.plus(1)).otherwise(wanted));
        };
    }

    /** The anchors whose window's measure meets every bound of the correlation's condition. */
    private static Dataset<Row> passing(Dataset<Row> anchors) {
        Column m = col("_measure");
        Column pass = bound("p_gt", m::gt).and(bound("p_gte", m::geq)).and(bound("p_lt", m::lt))
                .and(bound("p_lte", m::leq)).and(bound("p_eq", m::equalTo)).and(bound("p_neq", m::notEqual));
        return anchors.where(pass);
    }

    private static Column bound(String param, java.util.function.Function<Column, Column> test) {
        return col(param).isNull().or(test.apply(col(param)));
    }

    /**
     * Passing windows of one group (correlation, keys) whose spans overlap form an episode (a new one starts when a
     * window begins after the previous passing window ended); each episode is kept once, by its strongest window.
     */
    private static Dataset<Row> strongestPerEpisode(Dataset<Row> hits) {
        WindowSpec byKey = Window.partitionBy(col("_c"), col("_keys")).orderBy(col("_t"));
        Column prev = lag(col("_t"), 1).over(byKey);
        WindowSpec episode = Window.partitionBy(col("_c"), col("_keys"), col("_episode"));
        return hits
                .withColumn("_new_episode", when(prev.isNull().or(col("_t").minus(col("p_span")).gt(prev)), 1)
                        .otherwise(0))
                .withColumn("_episode", sum(col("_new_episode")).over(
                        byKey.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
                .withColumn("_windows", count(lit(1)).over(episode))
                .withColumn("_rank", row_number().over(episode.orderBy(col("_measure").desc(), col("_t").asc())))
                .where(col("_rank").equalTo(1))
                .select(col("_c"), col("_keys"), col("_t").as("_anchor"), col("_measure"), col("_windows"));
    }

    /**
     * Each strongest window with what its records say: first and last time, the earliest evidence rows (by time, then
     * id; a row matching two base rules counted once), and each entity column's min and max.
     */
    private Dataset<Row> withWindowRows(Dataset<Row> hits, Dataset<Row> records, Dataset<Row> params) {
        Dataset<Row> windows = hits.join(params.select("_c", "p_span"), "_c");
        Column inWindow = col("w._c").equalTo(col("r._c")).and(col("w._keys").equalTo(col("r._keys")))
                .and(col("r._t").between(col("w._anchor").minus(col("w.p_span")), col("w._anchor")));
        Column ts = col("r." + CanonicalSchema.TIMESTAMP);
        List<Column> aggs = new ArrayList<>();
        aggs.add(max(ts).as("_last_seen"));
        aggs.add(slice(array_sort(array_distinct(collect_list(struct(ts.as("ts"),
                col("r." + CanonicalSchema.ROW_ID).as("id"))))), 1, maxEvidenceRows).getField("id").as("_evidence"));
        for (String e : Findings.ENTITY_COLUMNS) {
            aggs.add(min(col("r.`" + e + "`")).as("_min_" + e));
            aggs.add(max(col("r.`" + e + "`")).as("_max_" + e));
        }
        return windows.as("w").join(records.as("r"), inWindow)
                .groupBy(col("w._c"), col("w._keys"), col("w._anchor"), col("w._measure"), col("w._windows"))
                .agg(min(ts).as("_first_seen"), aggs.toArray(Column[]::new))
                .join(params, "_c");
    }

    /** The findings' columns, as {@link RuleSetExecutor} writes them for rules. */
    private static Dataset<Row> finish(Dataset<Row> hits, String timeZone) {
        List<Column> out = RuleSetExecutor.findingColumns(col("_measure"), metadata());
        out.add(description(timeZone).as("description"));
        out.add(lit(null).cast("string").as("suppression_reason"));
        out.add(lit(false).as("suppressed"));
        return hits.select(out.toArray(Column[]::new));
    }

    private static Column metadata() {
        Column start = timestamp_micros(col("_anchor").minus(col("p_span")));
        Column keys = concat(col("p_meta_keys"), array(lit("window_start"), lit("window_end"),
                lit("windows_over_threshold")), transform(col("p_group_names"), n -> concat(lit("group."), n)));
        Column values = concat(col("p_meta_values"), array(date_format(start, "yyyy-MM-dd'T'HH:mm:ss"),
                date_format(timestamp_micros(col("_anchor")), "yyyy-MM-dd'T'HH:mm:ss"),
                col("_windows").cast("string")), col("_keys"));
        return map_from_arrays(keys, values);
    }

    /** "12 events of failed_login for User=alice between 02:01 and 02:05 UTC; condition: gte 10 in 5 minutes". */
    private static Column description(String timeZone) {
        Column first = date_format(col("_first_seen"), "HH:mm");
        Column last = date_format(col("_last_seen"), "HH:mm");
        Column groups = array_join(transform(col("p_group_names"), (n, i) -> concat(n, lit("="),
                get(col("_keys"), i))), ", ");
        return concat(format_number(col("_measure"), 0), lit(" "), col("p_words"),
                when(size(col("p_group_names")).gt(0), concat(lit(" for "), groups)).otherwise(lit("")),
                when(first.equalTo(last), concat(lit(" at "), first))
                        .otherwise(concat(lit(" between "), first, lit(" and "), last)),
                lit(" " + timeZone + "; condition: "), col("p_condition_words"));
    }

    /** One row per correlation: what the findings' columns take from it. */
    private static Dataset<Row> parameters(List<Correlation> correlations, SparkSession spark) {
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < correlations.size(); c++) {
            rows.add(parameters(c, correlations.get(c)));
        }
        return spark.createDataFrame(rows, PARAMETERS);
    }

    private static Row parameters(int c, Correlation corr) {
        Double[] bounds = new Double[Correlation.Op.values().length];
        for (Correlation.Bound b : corr.condition()) {
            bounds[b.op().ordinal()] = b.value();
        }
        List<String> groupNames = corr.groupBy().stream().map(Correlation.GroupKey::name).toList();
        List<Integer> entityKeys = new ArrayList<>();
        for (String e : Findings.ENTITY_COLUMNS) {
            int at = -1;
            for (int i = 0; i < corr.groupBy().size() && at < 0; i++) {
                at = e.equals(corr.groupBy().get(i).entityColumn()) ? i : -1;
            }
            entityKeys.add(at);
        }
        String timespan = RuleDurations.format(corr.timespan());
        return RowFactory.create(c, corr.id(), corr.title(), micros(corr), bounds[0], bounds[1], bounds[2],
                bounds[3], bounds[4], bounds[5], Math.max(1.0, corr.limit()),
                (double) corr.severity().baseScore(), corr.status() == RuleStatus.EXPERIMENTAL, corr.limit(),
                corr.mitre().tactic(), corr.mitre().technique(), list(corr.nextSteps()),
                list(List.of("rule_file", "rule_line", "rule_status", "rule_severity", "rule_format",
                        "correlation_type", "correlation_rules", "measure", "window")),
                list(Arrays.asList(corr.sourceFile(), String.valueOf(corr.line()), corr.status().word(),
                        corr.severity().word(), RuleFormat.SIGMA.word(), corr.type().word(),
                        String.join(", ", corr.ruleIds()), corr.measureWords(), timespan)),
                list(groupNames), list(entityKeys), words(corr),
                corr.conditionWords() + " in " + timespan);
    }

    /** What the measure counts, in a finding's description. */
    private static String words(Correlation corr) {
        String rules = String.join(corr.type() == Correlation.Type.TEMPORAL_ORDERED ? " then " : ", ",
                corr.ruleIds());
        return switch (corr.type()) {
            case EVENT_COUNT -> "events of " + rules;
            case VALUE_COUNT -> corr.measureWords() + " in events of " + rules;
            case TEMPORAL, TEMPORAL_ORDERED -> corr.measureWords() + " (" + rules + ")";
        };
    }

    private static <T> scala.collection.immutable.Seq<T> list(List<T> values) {
        return scala.jdk.javaapi.CollectionConverters.asScala(values).toList();
    }
}
