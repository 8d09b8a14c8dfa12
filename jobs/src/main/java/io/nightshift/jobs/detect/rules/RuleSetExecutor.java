package io.nightshift.jobs.detect.rules;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.forall;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.get;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log2;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.detect.Findings;
import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * Runs many rules at once over the rows {@link RuleStage#matchedRows} selected (one boolean flag column per rule) and
 * returns the findings {@link RuleExecutor} would return for each rule on its own, row for row, in one plan whose
 * shape does not depend on how many rules there are: one aggregation and one window-function pass for all of them.
 *
 * <p>How: every matched row becomes one record per (rule it matches × window it falls in). The rules differ only in
 * data: which fields they group by, what they measure, their window length, threshold, cooldown and words; these are a
 * small table of per-rule parameters (one row per rule, broadcast), and the rows carry the values of every field some
 * rule groups by or measures as arrays, which each record indexes with its rule's parameters. Window starts are
 * computed arithmetically exactly as Spark's {@code window()} does (windows of the rule's length sliding by half of
 * it for threshold rules, tumbling for implicit ones), so the records are grouped by (rule, keys, window start) in one
 * aggregation; episodes, the strongest window per episode and cooldown are window functions partitioned by (rule,
 * keys); the finding's columns are expressions over the parameters. The per-rule plans of {@link RuleExecutor} cost
 * several shuffles each (seconds per rule even on a day of a hundred rows); this costs the same few whatever the
 * number of rules.
 *
 * <p>The conditions a rule adds to counting ({@code where}) and {@code followed_by} are evaluated only on rows some rule
 * using them matched, as the per-rule plan does, so a condition Spark cannot evaluate on other rows fails no more
 * often than before.
 */
final class RuleSetExecutor {
    private static final int COUNT = 0;
    private static final int DISTINCT = 1;
    private static final int SUM = 2;

    private final RuleExecutor executor;

    RuleSetExecutor(RuleExecutor executor) {
        this.executor = executor;
    }

    /**
     * The findings of {@code rules} (without ids) over {@code matched}: canonical columns plus, for rule {@code i},
     * the flag column {@link RuleStage#flag(int) flag(i)} saying whether the row matches it. Same rows as the union of
     * {@link RuleExecutor#findingsOfMatched} over each rule and its flagged rows.
     */
    Dataset<Row> findingsOfMatched(List<Rule> rules, Dataset<Row> matched) {
        return findingsOfMatched(rules, matched, java.util.Collections.nCopies(rules.size(), true));
    }

    /**
     * {@link #findingsOfMatched(List, Dataset)} for the rules whose {@code reported} entry is true: the others only
     * feed Sigma correlations, and their matches are no findings of their own.
     */
    Dataset<Row> findingsOfMatched(List<Rule> rules, Dataset<Row> matched, List<Boolean> reported) {
        if (!reported.contains(true)) {
            throw new IllegalArgumentException("no rule to report: RuleStage runs none when every rule only feeds"
                    + " correlations");
        }
        Inputs inputs = new Inputs();
        for (int i = 0; i < rules.size(); i++) {
            inputs.register(i, rules.get(i).threshold());
        }
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("no rules to run: RuleStage runs none when its catalog has none");
        }
        Dataset<Row> params = broadcast(parameters(rules, inputs, matched.sparkSession()));
        Dataset<Row> records = records(reported, inputs, matched, params);
        Dataset<Row> groups = records.groupBy(col("_r"), col("_keys"), col("_start")).agg(
                count(when(col("_counted"), lit(1))).as("_count"), aggregates().toArray(Column[]::new));
        Dataset<Row> hits = passing(groups.join(params, "_r"));
        return finish(withCooldown(strongestPerEpisode(hits)), matched.sparkSession().conf()
                .get("spark.sql.session.timeZone", "UTC"));
    }

    /**
     * The values the rules read besides the canonical columns, each computed once per matched row: the fields rules
     * group by or measure (as text, in one array), the numeric fields summed (as doubles, in another), and the
     * {@code where}/{@code followed_by} conditions (in a third), each with the rules that use it.
     */
    private static final class Inputs {
        final Map<String, Column> texts = new LinkedHashMap<>();
        final Map<String, Column> numbers = new LinkedHashMap<>();
        final Map<Condition, List<Integer>> conditions = new LinkedHashMap<>();

        void register(int rule, ThresholdSpec t) {
            for (FieldRef f : t.groupBy()) {
                text(f);
            }
            if (t.measure() == ThresholdSpec.Measure.DISTINCT) {
                distinct(t.measureField());
            } else if (t.measure() == ThresholdSpec.Measure.SUM) {
                if (t.measureField().dataType().equals(DataTypes.StringType)) {
                    text(t.measureField());
                } else {
                    number(t.measureField());
                }
            }
            for (Condition c : new Condition[] {t.countWhere(), t.followedBy()}) {
                if (c != null) {
                    conditions.computeIfAbsent(c, k -> new ArrayList<>()).add(rule);
                }
            }
        }

        /** The field as the per-rule plan groups by it: its text form. */
        int text(FieldRef f) {
            return slot(texts, "text " + f, f.column().cast("string"));
        }

        /**
         * A text form with one value per value {@code count_distinct} tells apart: -0.0 and 0.0 are one value as
         * Spark groups them, and a timestamp's local text can repeat when clocks go back, its microseconds cannot.
         */
        int distinct(FieldRef f) {
            DataType type = f.dataType();
            Column c = f.column();
            if (type.equals(DataTypes.DoubleType) || type.equals(DataTypes.FloatType)) {
                return slot(texts, "distinct " + f, when(c.equalTo(lit(0)), lit(0.0)).otherwise(c.cast("double"))
                        .cast("string"));
            }
            if (type.equals(DataTypes.TimestampType)) {
                return slot(texts, "distinct " + f, unix_micros(c).cast("string"));
            }
            return text(f);
        }

        /** A non-text field summed: cast to double here, as the per-rule plan does (a cast that cannot fail). */
        int number(FieldRef f) {
            return slot(numbers, "number " + f, f.column().cast("double"));
        }

        int condition(Condition c) {
            return c == null ? -1 : new ArrayList<>(conditions.keySet()).indexOf(c);
        }

        int measureSlot(ThresholdSpec t) {
            return switch (t.measure()) {
                case COUNT -> -1;
                case DISTINCT -> distinct(t.measureField());
                case SUM -> t.measureField().dataType().equals(DataTypes.StringType) ? text(t.measureField())
                        : number(t.measureField());
            };
        }

        private static int slot(Map<String, Column> slots, String name, Column value) {
            Column before = slots.putIfAbsent(name, value);
            return before == null ? slots.size() - 1 : new ArrayList<>(slots.keySet()).indexOf(name);
        }

        /** Each condition, evaluated on the rows one of the rules using it matched (null elsewhere). */
        Column conditionValues() {
            List<Column> out = new ArrayList<>();
            for (Map.Entry<Condition, List<Integer>> e : conditions.entrySet()) {
                List<Column> used = new ArrayList<>();
                for (int rule : e.getValue()) {
                    used.add(col(RuleStage.flag(rule)));
                }
                out.add(when(anyOf(used), ConditionCompiler.compile(e.getKey())));
            }
            return out.isEmpty() ? lit(null).cast("array<boolean>") : array(out.toArray(Column[]::new));
        }

        static Column values(Map<String, Column> slots, String type) {
            return slots.isEmpty() ? lit(null).cast("array<" + type + ">")
                    : array(slots.values().toArray(Column[]::new));
        }
    }

    /**
     * True when one of {@code tests} is, as a balanced tree of ORs: a chain of thousands (one per rule) is as deep as
     * it is long, and Spark's recursive tree walks overflow the stack on it (3,000 rules did).
     */
    static Column anyOf(List<Column> tests) {
        if (tests.isEmpty()) {
            return lit(false);
        }
        if (tests.size() == 1) {
            return tests.get(0);
        }
        int half = tests.size() / 2;
        return anyOf(tests.subList(0, half)).or(anyOf(tests.subList(half, tests.size())));
    }

    private static final StructType PARAMETERS = new StructType()
            .add("_r", DataTypes.IntegerType, false)
            .add("p_key_slots", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("p_require_keys", DataTypes.BooleanType, false)
            .add("p_measure", DataTypes.IntegerType, false)
            .add("p_measure_slot", DataTypes.IntegerType, false)
            .add("p_sum_text", DataTypes.BooleanType, false)
            .add("p_counted", DataTypes.IntegerType, false)
            .add("p_follow", DataTypes.IntegerType, false)
            .add("p_window", DataTypes.LongType, false)
            .add("p_slide", DataTypes.LongType, false)
            .add("p_windows_per_row", DataTypes.IntegerType, false)
            .add("p_limit", DataTypes.DoubleType, false)
            .add("p_strict", DataTypes.BooleanType, false)
            .add("p_cooldown", DataTypes.LongType, true)
            .add("p_cooldown_words", DataTypes.StringType, true)
            .add("p_id", DataTypes.StringType, true)
            .add("p_title", DataTypes.StringType, true)
            .add("p_score_limit", DataTypes.DoubleType, false)
            .add("p_base_score", DataTypes.DoubleType, false)
            .add("p_experimental", DataTypes.BooleanType, false)
            .add("p_expected", DataTypes.DoubleType, true)
            .add("p_tactic", DataTypes.StringType, true)
            .add("p_technique", DataTypes.StringType, true)
            .add("p_actions", DataTypes.createArrayType(DataTypes.StringType, true), false)
            .add("p_meta_keys", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("p_meta_values", DataTypes.createArrayType(DataTypes.StringType, true), false)
            .add("p_group_meta_keys", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("p_group_meta_slots", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("p_entity_keys", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("p_key_phrases", DataTypes.createArrayType(DataTypes.StringType, true), false)
            .add("p_counting", DataTypes.StringType, false)
            .add("p_threshold_words", DataTypes.StringType, false)
            .add("p_follow_words", DataTypes.StringType, true)
            .add("p_allowlist", DataTypes.createArrayType(new StructType()
                    .add("entity", DataTypes.IntegerType, false)
                    .add("prefix", DataTypes.StringType, false)
                    .add("values", DataTypes.createArrayType(DataTypes.StringType, true), false), false), false);

    /** One row per rule: everything the per-rule plan of {@link RuleExecutor} writes as literals, as data. */
    private static Dataset<Row> parameters(List<Rule> rules, Inputs inputs, SparkSession spark) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            rows.add(parameters(r, rules.get(r), inputs));
        }
        return spark.createDataFrame(rows, PARAMETERS);
    }

    private static Row parameters(int r, Rule rule, Inputs inputs) {
        ThresholdSpec t = rule.threshold();
        List<FieldRef> keys = t.groupBy();
        List<Integer> keySlots = new ArrayList<>();
        List<String> groupMetaKeys = new ArrayList<>();
        List<Integer> groupMetaSlots = new ArrayList<>();
        List<String> keyPhrases = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            FieldRef f = keys.get(i);
            keySlots.add(inputs.text(f));
            if (f.entityColumn() == null) {
                groupMetaKeys.add("group." + f);
                groupMetaSlots.add(i);
            }
            keyPhrases.add(describedKey(f) ? " with " + f + " " : null);
        }
        List<Integer> entityKeys = new ArrayList<>();
        for (String e : Findings.ENTITY_COLUMNS) {
            int at = -1;
            for (int i = 0; i < keys.size() && at < 0; i++) {
                at = e.equals(keys.get(i).entityColumn()) ? i : -1;
            }
            entityKeys.add(at);
        }
        List<Row> allowlist = new ArrayList<>();
        rule.suppression().allowlist().forEach((column, values) -> allowlist.add(RowFactory.create(
                Findings.ENTITY_COLUMNS.indexOf(column), "allowlisted " + column + " ", list(values))));
        long window = t.window().getSeconds();
        long slide = t.implicit() ? window : window / 2;
        SuppressionSpec s = rule.suppression();
        return RowFactory.create(r, list(keySlots), t.requireKeys(), measure(t), inputs.measureSlot(t), sumsText(t),
                inputs.condition(t.countWhere()), inputs.condition(t.followedBy()), window * 1_000_000L,
                slide * 1_000_000L, (int) ((window + slide - 1) / slide), t.limit(), t.strict(),
                s.cooldown() == null ? null : s.cooldown().getSeconds(),
                s.cooldown() == null ? null : " (cooldown " + RuleDurations.format(s.cooldown()) + ")",
                rule.id(), rule.title(), Math.max(1.0, t.limit()), (double) rule.severity().baseScore(),
                rule.status() == RuleStatus.EXPERIMENTAL, t.implicit() ? null : t.limit(),
                rule.mitre().tactic(), rule.mitre().technique(), list(rule.nextSteps()),
                list(List.of("rule_file", "rule_line", "rule_status", "rule_severity", "rule_format", "measure",
                        "window")),
                list(java.util.Arrays.asList(rule.sourceFile(), String.valueOf(rule.line()), rule.status().word(),
                        rule.severity().word(), rule.format().word(), t.measureWords(),
                        RuleDurations.format(t.window()))),
                list(groupMetaKeys), list(groupMetaSlots), list(entityKeys), list(keyPhrases),
                " " + RuleDescriptions.counting(t),
                t.implicit() ? "" : "; threshold: " + t.limitWords() + " in " + RuleDurations.format(t.window()),
                t.followedBy() == null ? null : "; followed by " + (t.followedByLabel() == null
                        ? "a matching event" : t.followedByLabel()) + " at ",
                list(allowlist));
    }

    /** The group keys {@link RuleDescriptions#describe} names: those that are no entity it already names. */
    private static boolean describedKey(FieldRef f) {
        return f.entityColumn() == null || List.of("service", "region", "datacenter", "farm")
                .contains(f.entityColumn());
    }

    private static boolean sumsText(ThresholdSpec t) {
        return t.measure() == ThresholdSpec.Measure.SUM && t.measureField().dataType().equals(DataTypes.StringType);
    }

    private static int measure(ThresholdSpec t) {
        return switch (t.measure()) {
            case COUNT -> COUNT;
            case DISTINCT -> DISTINCT;
            case SUM -> SUM;
        };
    }

    private static <T> scala.collection.immutable.Seq<T> list(List<T> values) {
        return scala.jdk.javaapi.CollectionConverters.asScala(values).toList();
    }

    /**
     * One record per (matched row, rule it matches, window it falls in): the rule's keys, whether the row counts,
     * whether it is a follow-up, its measured value, the window start in microseconds.
     */
    private static Dataset<Row> records(List<Boolean> reported, Inputs inputs, Dataset<Row> matched,
                                        Dataset<Row> params) {
        Column ts = col(CanonicalSchema.TIMESTAMP);
        List<Column> ruleIndexes = new ArrayList<>();
        for (int i = 0; i < reported.size(); i++) {
            if (reported.get(i)) {
                ruleIndexes.add(when(col(RuleStage.flag(i)), lit(i)));
            }
        }
        List<Column> carried = new ArrayList<>(List.of(col(CanonicalSchema.ROW_ID), ts));
        for (String e : Findings.ENTITY_COLUMNS) {
            carried.add(col("`" + e + "`"));
        }
        List<Column> first = new ArrayList<>(carried);
        first.add(Inputs.values(inputs.texts, "string").as("_texts"));
        first.add(Inputs.values(inputs.numbers, "double").as("_numbers"));
        first.add(inputs.conditionValues().as("_conditions"));
        first.add(explode(array_compact(array(ruleIndexes.toArray(Column[]::new)))).as("_r"));
        Dataset<Row> perRule = matched.select(first.toArray(Column[]::new)).join(params.select("_r", "p_key_slots",
                "p_require_keys", "p_measure", "p_measure_slot", "p_sum_text", "p_counted", "p_follow", "p_window", "p_slide",
                "p_windows_per_row"), "_r");

        Column counted = when(col("p_counted").lt(0), lit(true)).otherwise(get(col("_conditions"), col("p_counted")));
        Column keys = transform(col("p_key_slots"), s -> get(col("_texts"), s));
        List<Column> second = new ArrayList<>(carried);
        second.add(col("_r"));
        second.add(keys.as("_keys"));
        second.add(counted.as("_counted"));
        second.add(when(col("p_follow").lt(0), lit(false)).otherwise(get(col("_conditions"), col("p_follow")))
                .as("_follow"));
        second.add(when(col("p_measure").equalTo(DISTINCT), when(counted,
                get(col("_texts"), col("p_measure_slot")))).as("_distinct"));
        // A numeric field was cast to double up front (a cast that cannot fail); a text one is cast here, on the rows
        // the rule counts only, as the per-rule plan does: a text that is no number fails on the same rows.
        second.add(when(col("p_measure").equalTo(SUM), when(counted, when(col("p_sum_text"),
                get(col("_texts"), col("p_measure_slot")).cast("double"))
                .otherwise(get(col("_numbers"), col("p_measure_slot"))))).as("_sum"));
        second.add(col("p_require_keys"));
        second.add(col("p_window"));
        second.add(col("p_slide"));
        second.add(col("p_windows_per_row"));
        Dataset<Row> keyed = perRule.select(second.toArray(Column[]::new))
                .where(col("p_require_keys").unary_$bang().or(forall(col("_keys"), Column::isNotNull)));

        // Spark's window(): the latest window start at or before the row, then each earlier one by the slide, kept
        // while the row is still before its end.
        Column micros = unix_micros(ts);
        Column latest = micros.minus(pmod(micros, col("p_slide")));
        Column start = latest.minus(col("_nth").multiply(col("p_slide")));
        return keyed
                .withColumn("_nth", explode(sequence(lit(0), col("p_windows_per_row").minus(1))))
                .withColumn("_start", start)
                .where(micros.lt(col("_start").plus(col("p_window"))))
                .drop("_nth", "p_require_keys", "p_window", "p_slide", "p_windows_per_row");
    }

    /** The measures of every shape, then {@link RuleExecutor}'s times, evidence and entity values. */
    private List<Column> aggregates() {
        List<Column> aggs = new ArrayList<>();
        aggs.add(count_distinct(col("_distinct")).as("_distinct_count"));
        aggs.add(sum(col("_sum")).as("_sum_total"));
        aggs.addAll(executor.aggregates());
        return aggs;
    }

    /** The groups past their rule's threshold (and, for a {@code followed_by} rule, followed), with the measure. */
    private static Dataset<Row> passing(Dataset<Row> groups) {
        Column measure = when(col("p_measure").equalTo(COUNT), col("_count").cast("double"))
                .when(col("p_measure").equalTo(DISTINCT), col("_distinct_count").cast("double"))
                .otherwise(coalesce(col("_sum_total"), lit(0.0)));
        Column m = col("_measure_value");
        Column pass = when(col("p_strict"), m.gt(col("p_limit"))).otherwise(m.geq(col("p_limit")))
                .and(when(col("p_follow").geq(0), col("_last_follow").gt(col("_first_counted")))
                        .otherwise(lit(true)));
        return groups.withColumn("_measure_value", measure)
                .withColumn("_w_start", timestamp_micros(col("_start")))
                .withColumn("_w_end", timestamp_micros(col("_start").plus(col("p_window"))))
                .where(pass);
    }

    /** {@link RuleExecutor}'s episodes, per (rule, keys): the strongest window of each run of overlapping ones. */
    private static Dataset<Row> strongestPerEpisode(Dataset<Row> hits) {
        WindowSpec byKey = Window.partitionBy(col("_r"), col("_keys")).orderBy(col("_w_start"));
        Column prevEnd = lag(col("_w_end"), 1).over(byKey);
        WindowSpec episode = Window.partitionBy(col("_r"), col("_keys"), col("_episode"));
        return hits
                .withColumn("_new_episode", when(prevEnd.isNull().or(col("_w_start").geq(prevEnd)), 1).otherwise(0))
                .withColumn("_episode", sum(col("_new_episode")).over(
                        byKey.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
                .withColumn("_windows", count(lit(1)).over(episode))
                .withColumn("_rank", row_number().over(episode
                        .orderBy(col("_measure_value").desc(), col("_w_start").asc())))
                .where(col("_rank").equalTo(1));
    }

    /** {@link RuleExecutor}'s cooldown, per (rule, keys), for the rules that have one. */
    private static Dataset<Row> withCooldown(Dataset<Row> episodes) {
        WindowSpec byKey = Window.partitionBy(col("_r"), col("_keys")).orderBy(col("_first_seen"), col("_w_start"));
        Column prevLast = lag(col("_last_seen"), 1).over(byKey);
        Column cooling = col("p_cooldown").isNotNull().and(prevLast.isNotNull())
                .and(unix_seconds(col("_first_seen")).minus(unix_seconds(prevLast)).lt(col("p_cooldown")));
        return episodes.withColumn("_cooldown_reason", when(cooling, concat(
                lit("cooldown: this rule already fired for the same entity until "), date_format(prevLast, "HH:mm"),
                col("p_cooldown_words"))));
    }

    /** The findings' columns, in {@link RuleExecutor}'s order, from the parameters instead of literals. */
    private static Dataset<Row> finish(Dataset<Row> hits, String timeZone) {
        List<Column> out = findingColumns(col("_measure_value"), metadata());
        for (String c : List.of("_keys", "_last_follow", "_cooldown_reason", "p_key_phrases", "p_counting",
                "p_threshold_words", "p_follow_words", "p_allowlist")) {
            out.add(col(c));
        }
        return hits.select(out.toArray(Column[]::new))
                .withColumn("description", description(timeZone))
                .withColumn("suppression_reason", coalesce(allowlistReason(), col("_cooldown_reason")))
                .withColumn("suppressed", col("suppression_reason").isNotNull())
                .drop("_keys", "_last_follow", "_cooldown_reason", "p_key_phrases", "p_counting",
                        "p_threshold_words", "p_follow_words", "p_allowlist");
    }

    /**
     * The findings table's columns from {@code detector} to {@code metadata}, over a strongest window with its
     * parameters ({@code p_id}, {@code p_title}, {@code p_entity_keys}, {@code p_expected}, {@code p_tactic},
     * {@code p_technique}, {@code p_actions}, and those {@link #score} reads) and aggregates ({@code _keys},
     * {@code _first_seen}, {@code _last_seen}, {@code _evidence}, {@code _min_}/{@code _max_} per entity column);
     * shared by rules and correlations.
     */
    static List<Column> findingColumns(Column measure, Column metadata) {
        List<Column> out = new ArrayList<>();
        out.add(lit(RuleExecutor.DETECTOR).as("detector"));
        out.add(col("p_id").as("detector_id"));
        out.add(col("p_title").as("title"));
        for (int e = 0; e < Findings.ENTITY_COLUMNS.size(); e++) {
            String name = Findings.ENTITY_COLUMNS.get(e);
            Column keyAt = get(col("p_entity_keys"), lit(e));
            out.add(when(keyAt.geq(0), get(col("_keys"), keyAt))
                    .otherwise(when(col("_min_" + name).equalTo(col("_max_" + name)), col("_min_" + name)))
                    .as(name));
        }
        Column score = score(measure);
        out.add(col("_first_seen").as("first_seen"));
        out.add(col("_last_seen").as("last_seen"));
        out.add(score.as("score"));
        out.add(Findings.severityOf(score).as("severity"));
        out.add(measure.as("observed"));
        out.add(col("p_expected").as("expected"));
        out.add(lit(null).cast("double").as("expected_spread"));
        out.add(col("p_tactic").as("mitre_tactic"));
        out.add(col("p_technique").as("mitre_technique"));
        out.add(col("_evidence").as("evidence_row_ids"));
        out.add(col("p_actions").as("recommended_actions"));
        out.add(metadata.as("metadata"));
        return out;
    }

    /**
     * {@link RuleExecutor#score} with the rule's limit, severity and status as columns ({@code p_score_limit},
     * {@code p_base_score}, {@code p_experimental}; {@link CorrelationExecutor} scores with the same).
     */
    static Column score(Column measure) {
        Column strength = least(lit(1.0), greatest(lit(0.0), log2(measure.divide(col("p_score_limit")))
                .divide(lit(3.0))));
        Column score = least(lit(100.0), col("p_base_score").plus(strength.multiply(lit(Severity.MAX_STRENGTH_BONUS))));
        return round(when(col("p_experimental"), score.multiply(lit(RuleStatus.EXPERIMENTAL_SCORE_FACTOR)))
                .otherwise(score), 1);
    }

    private static Column metadata() {
        Column keys = concat(col("p_meta_keys"), array(lit("window_start"), lit("windows_over_threshold")),
                col("p_group_meta_keys"));
        Column values = concat(col("p_meta_values"), array(date_format(col("_w_start"), "yyyy-MM-dd'T'HH:mm:ss"),
                col("_windows").cast("string")), transform(col("p_group_meta_slots"), s -> get(col("_keys"), s)));
        return map_from_arrays(keys, values);
    }

    /** {@link RuleDescriptions#describe}, its per-rule words read from the parameters. */
    private static Column description(String timeZone) {
        Column first = date_format(col("first_seen"), "HH:mm");
        Column last = date_format(col("last_seen"), "HH:mm");
        return concat(
                format_number(col("observed"), 0),
                col("p_counting"),
                phrase(" for user ", col("`user`"), ""),
                phrase(" (tenant ", col("tenant_id"), ")"),
                phrase(" from ", col("src_ip"), ""),
                phrase(" on host ", col("host"), ""),
                array_join(transform(col("p_key_phrases"), (p, i) -> coalesce(concat(p, get(col("_keys"), i)),
                        lit(""))), ""),
                when(first.equalTo(last), concat(lit(" at "), first))
                        .otherwise(concat(lit(" between "), first, lit(" and "), last)),
                lit(" " + timeZone),
                col("p_threshold_words"),
                when(col("p_follow_words").isNull(), lit(""))
                        .otherwise(concat(col("p_follow_words"), date_format(col("_last_follow"), "HH:mm"))));
    }

    private static Column phrase(String prefix, Column value, String suffix) {
        return coalesce(concat(lit(prefix), value, lit(suffix)), lit(""));
    }

    /** The first allowlist entry of the rule that holds the finding's entity value, in the rule's order. */
    private static Column allowlistReason() {
        List<Column> entities = new ArrayList<>();
        for (String e : Findings.ENTITY_COLUMNS) {
            entities.add(col("`" + e + "`"));
        }
        Column values = array(entities.toArray(Column[]::new));
        Column reasons = transform(col("p_allowlist"), a -> when(array_contains(a.getField("values"),
                get(values, a.getField("entity"))), concat(a.getField("prefix"), get(values, a.getField("entity")))));
        return get(filter(reasons, Column::isNotNull), lit(0));
    }
}
