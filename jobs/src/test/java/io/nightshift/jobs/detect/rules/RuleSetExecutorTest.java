package io.nightshift.jobs.detect.rules;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.map_keys;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.exchange.Exchange;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.detect.Findings;
import io.nightshift.jobs.detect.rules.load.RuleStarterPackTest;

/**
 * The one-plan execution of a whole catalog ({@link RuleSetExecutor}, what {@link RuleStage} runs) against the
 * reference it replaces: each rule's own {@link RuleExecutor} plan over its flagged rows, unioned. Same findings row
 * for row (evidence, episodes, cooldown, words, metadata order), and a plan whose shuffles do not grow with the rules.
 */
class RuleSetExecutorTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    /** The per-rule path the stage ran before: one {@link RuleExecutor} plan per rule, unioned, then ids. */
    static Dataset<Row> perRule(List<Rule> rules, Dataset<Row> matched, int maxEvidence) {
        RuleExecutor executor = new RuleExecutor(maxEvidence);
        Dataset<Row> all = null;
        for (int i = 0; i < rules.size(); i++) {
            Dataset<Row> part = executor.findingsOfMatched(rules.get(i), matched.where(
                    org.apache.spark.sql.functions.col(RuleStage.flag(i))));
            all = all == null ? part : all.unionByName(part);
        }
        return Findings.withIds(all);
    }

    static Dataset<Row> together(List<Rule> rules, Dataset<Row> matched, int maxEvidence) {
        return Findings.withIds(new RuleSetExecutor(new RuleExecutor(maxEvidence)).findingsOfMatched(rules, matched));
    }

    /** Both paths over {@code logs}; asserts identical rows and column types, returns the findings. */
    static List<Row> assertSameFindings(List<Rule> rules, Dataset<Row> logs, int maxEvidence) {
        RuleStage stage = new RuleStage(new RuleCatalog(rules, List.of(), List.of()), maxEvidence);
        Dataset<Row> matched = stage.matchedRows(logs).cache();
        try {
            Dataset<Row> reference = perRule(rules, matched, maxEvidence);
            Dataset<Row> candidate = together(rules, matched, maxEvidence);
            assertThat(types(candidate)).isEqualTo(types(reference));
            // Rows show a map as a hash map: its keys in their stored order make the order part of the comparison.
            List<Row> expected = sorted(reference.withColumn("metadata_keys", map_keys(col("metadata"))));
            List<Row> actual = sorted(candidate.withColumn("metadata_keys", map_keys(col("metadata"))));
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i).toString()).isEqualTo(expected.get(i).toString());
                assertThat(actual.get(i)).isEqualTo(expected.get(i));
            }
            assertThat(actual).allSatisfy(r -> assertThat(r.getList(r.fieldIndex("metadata_keys")).subList(0, 9))
                    .containsExactly("rule_file", "rule_line", "rule_status", "rule_severity", "rule_format",
                            "measure", "window", "window_start", "windows_over_threshold"));
            return actual;
        } finally {
            matched.unpersist();
        }
    }

    private static List<String> types(Dataset<Row> findings) {
        List<String> out = new ArrayList<>();
        for (StructField f : findings.schema().fields()) {
            out.add(f.name() + " " + f.dataType().simpleString());
        }
        return out;
    }

    private static List<Row> sorted(Dataset<Row> findings) {
        List<Row> rows = new ArrayList<>(findings.collectAsList());
        rows.sort(java.util.Comparator.comparing(Row::toString));
        return rows;
    }

    @Test
    void theStarterPackFindsTheSameOnEveryFixtureAtOnce() {
        List<Rule> pack = RuleStarterPackTest.pack().rules();
        LogRows day = new LogRows();
        for (StarterPackFixtures.Fixture f : StarterPackFixtures.all().values()) {
            day.addAll(f.fires()).addAll(f.quiet());
        }
        List<Row> found = assertSameFindings(pack, day.frame(spark).repartition(3), 50);
        // Every rule fires on its fixture: the comparison covers every rule's shape, not an empty result.
        assertThat(found).extracting(r -> r.<String>getAs("detector_id")).containsAll(
                pack.stream().map(Rule::id).toList());
    }

    @Test
    void theExecutorAndStageTestDaysFindTheSame() {
        List<Rule> rules = List.of(RuleExecutorTest.rule(RuleStageTest.DELETES),
                RuleExecutorTest.rule(RuleExecutorTest.BRUTE), RuleExecutorTest.rule(RuleExecutorTest.EXPORTS));
        LogRows rows = RuleStageTest.deletes();
        rows.addAll(StarterPackFixtures.burst("02:00:00", 8, 20, r -> r.user("alice").action("login")
                .outcome("failure")));
        rows.addAll(StarterPackFixtures.burst("02:07:00", 8, 45, r -> r.user("bob").tenant("t-07")
                .src("203.0.113.5").action("login").outcome("failure")));
        rows.addAll(StarterPackFixtures.burst("03:00:00", 3, 20, r -> r.user("carol").action("login")
                .outcome("failure")));
        rows.addAll(StarterPackFixtures.burst("04:00:00", 20, 20, r -> r.user("dave").action("read")));
        rows.addAll(RuleExecutorTest.exports());
        List<Row> found = assertSameFindings(rules, rows.frame(spark).repartition(2), 3);
        assertThat(found).extracting(r -> r.<String>getAs("detector_id")).contains("T-DEL", "T-BRUTE", "T-EXPORT");
        assertThat(found).extracting(r -> r.<String>getAs("suppression_reason"))
                .contains("allowlisted user svc-backup",
                        "cooldown: this rule already fired for the same entity until 01:02 (cooldown 2 hours)");
    }

    /**
     * Shapes the pack lacks: a window of an odd number of seconds (three overlapping windows a row; only rules built
     * in code have one), a short window with a cooldown of seconds, a non-entity group
     * key (metadata and words), distinct over a double with -0.0 and 0.0, at_least, several allowlist entries, a
     * rule sharing its counting condition with another, a sum over a text attribute, rows missing a required key.
     */
    @Test
    void unusualShapesFindTheSame() {
        Rule odd = RuleExecutorTest.rule("""
                id: T-ODD
                title: Short window
                description: d
                severity: low
                mitre: {tactic: TA0007 Discovery}
                condition: {field: action, equals: probe}
                group_by: [attributes.port, host]
                window: 4 seconds
                threshold: {at_least: 2, where: {field: outcome, equals: failure}}
                suppression:
                  allowlist: {host: [h9], user: [nobody]}
                  cooldown: 10 seconds
                next_steps: [Look]
                """);
        Rule shared = RuleExecutorTest.rule("""
                id: T-SHARED
                title: Shares the counting condition
                description: d
                severity: critical
                mitre: {tactic: TA0007 Discovery, technique: T1046}
                condition: {field: action, in: [probe, scan]}
                group_by: [src_ip]
                window: 1 minute
                threshold: {distinct: duration_ms, more_than: 1, where: {field: outcome, equals: failure}}
                followed_by: {where: {field: outcome, equals: success}}
                next_steps: [Look]
                """);
        Rule summed = new Rule("T-SUM", "Attribute sum", "d", Severity.MEDIUM, RuleStatus.STABLE,
                new Mitre("TA0010 Exfiltration", null), List.of("auth"), odd.condition(),
                new ThresholdSpec(List.of(FieldRef.column("user")), true, ThresholdSpec.Measure.SUM,
                        FieldRef.attribute("size"), false, 6, Duration.ofSeconds(7), null, null, null, null, false),
                new SuppressionSpec(Map.of(), null), List.of(), RuleFormat.NIGHTSHIFT, "inline", 1);
        LogRows rows = new LogRows();
        java.time.Instant t0 = java.time.Instant.parse("2026-11-20T06:00:00.250Z");
        for (int i = 0; i < 40; i++) {
            // bursts of five rows 1.7 s apart, 4.7 s between bursts
            LogRows.LogRow r = rows.add("p" + i, t0.plusMillis(i * 1700L + (i / 5) * 3000L).toString())
                    .action(i % 5 == 0 ? "scan" : "probe").outcome(i % 7 == 3 ? "success" : "failure")
                    .host(i % 11 == 0 ? "h9" : "h" + (i / 20)).src("192.0.2." + (i % 3))
                    .attr("port", String.valueOf(20 + (i / 10) % 2)).attr("size", String.valueOf(i % 6));
            if (i % 9 != 4) {
                r.user("u" + (i / 10) % 2);
            }
            r.duration = i % 4 == 0 ? -0.0 : i % 4 == 1 ? 0.0 : (double) (i % 3);
        }
        List<Row> found = assertSameFindings(List.of(odd, shared, summed), rows.frame(spark).repartition(2), 4);
        assertThat(found).extracting(r -> r.<String>getAs("detector_id")).contains("T-ODD", "T-SHARED", "T-SUM");
        assertThat(found).anySatisfy(r -> assertThat(r.<String>getAs("description")).contains(" with attributes.port "));
        assertThat(found).anySatisfy(r -> assertThat(r.<String>getAs("suppression_reason")).startsWith("cooldown"));
    }

    /** The new plan's shuffles are as many for 50 rules as for 5; the per-rule plan's grow with the rules. */
    @Test
    void theNumberOfShufflesDoesNotGrowWithTheRules() {
        LogRows rows = new LogRows();
        for (int i = 0; i < 20; i++) {
            rows.add("g" + i, "2026-11-20T03:0" + (i % 10) + ":00Z").user("u" + (i % 3)).action("a" + (i % 5))
                    .outcome("failure").attr("port", String.valueOf(i % 4));
        }
        Dataset<Row> logs = rows.frame(spark);
        int[] together = new int[2];
        int[] alone = new int[2];
        int[] sizes = {5, 50};
        for (int s = 0; s < 2; s++) {
            List<Rule> rules = generated(sizes[s]);
            Dataset<Row> matched = new RuleStage(new RuleCatalog(rules, List.of(), List.of()), 50).matchedRows(logs);
            together[s] = exchanges(together(rules, matched, 50));
            alone[s] = exchanges(perRule(rules, matched, 50));
        }
        assertThat(together[1]).isEqualTo(together[0]).isLessThanOrEqualTo(6);
        assertThat(alone[1]).isGreaterThan(alone[0] * 5);
    }

    /** {@code n} rules of the shapes a catalog holds, cycling: thresholds with group-by, distinct, sum, implicit. */
    static List<Rule> generated(int n) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String threshold = switch (i % 4) {
                case 0 -> "group_by: [user]\nwindow: 10 minutes\nthreshold: {more_than: " + (i % 7) + "}\n";
                case 1 -> "group_by: [user, attributes.port]\nwindow: 1 hour\nthreshold: {distinct: outcome, "
                        + "at_least: 1}\n";
                case 2 -> "group_by: [tenant_id]\nwindow: 30 minutes\nthreshold: {sum: bytes_out, more_than: 0}\n";
                default -> "";
            };
            rules.add(RuleExecutorTest.rule("id: G-" + i + "\ntitle: Generated " + i + "\ndescription: d\n"
                    + "severity: low\nmitre: {tactic: TA0007 Discovery}\ncondition: {field: action, equals: a"
                    + (i % 5) + "}\n" + threshold + "next_steps: [Look]\n"));
        }
        return rules;
    }

    /** Exchanges (shuffles and broadcasts) in the physical plan Spark would run, before adaptive re-planning. */
    static int exchanges(Dataset<Row> findings) {
        return exchanges(findings.queryExecution().executedPlan());
    }

    private static int exchanges(SparkPlan plan) {
        if (plan instanceof AdaptiveSparkPlanExec adaptive) {
            return exchanges(adaptive.executedPlan());
        }
        int n = plan instanceof Exchange ? 1 : 0;
        for (SparkPlan child : scala.jdk.javaapi.CollectionConverters.asJava(plan.children())) {
            n += exchanges(child);
        }
        return n;
    }
}
