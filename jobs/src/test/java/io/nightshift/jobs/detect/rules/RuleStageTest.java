package io.nightshift.jobs.detect.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestNights;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.detect.rules.load.RuleStarterPackTest;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.stage.StageOutputs;

/** The stage: all rules unioned once with ids, suppression, experimental scores, determinism, refusal of bad rules. */
class RuleStageTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    static final String DELETES = """
            id: T-DEL
            title: Mass deletion
            description: d
            severity: high
            status: experimental
            mitre: {tactic: TA0040 Impact, technique: T1485}
            condition: {field: action, equals: delete}
            group_by: [user]
            window: 10 minutes
            threshold: {more_than: 3}
            counting: deletions
            suppression:
              allowlist: {user: [svc-backup]}
              cooldown: 2 hours
            next_steps: [Ask the user]
            """;

    static LogRows deletes() {
        LogRows rows = new LogRows();
        rows.addAll(StarterPackFixtures.burst("01:00:00", 5, 30, r -> r.user("carol").action("delete")));
        rows.addAll(StarterPackFixtures.burst("02:00:00", 5, 30, r -> r.user("carol").action("delete")));
        rows.addAll(StarterPackFixtures.burst("05:00:00", 40, 5, r -> r.user("carol").action("delete")));
        rows.addAll(StarterPackFixtures.burst("01:00:00", 5, 30, r -> r.user("svc-backup").action("delete")));
        return rows;
    }

    @Test
    void allowlistAndCooldownKeepRowsButMarkThemAndExperimentalScoresLess() {
        RuleStage stage = new RuleStage(new RuleCatalog(List.of(RuleExecutorTest.rule(DELETES)), List.of(), List.of()),
                3);
        List<Row> f = stage.findings(deletes().frame(spark)).orderBy("user", "first_seen").collectAsList();
        assertThat(f).extracting(r -> r.<String>getAs("user")).containsExactly("carol", "carol", "carol", "svc-backup");
        assertThat(f).extracting(r -> r.<Boolean>getAs("suppressed")).containsExactly(false, true, false, true);
        assertThat(f.get(1).<String>getAs("suppression_reason"))
                .isEqualTo("cooldown: this rule already fired for the same entity until 01:02 (cooldown 2 hours)");
        assertThat(f.get(3).<String>getAs("suppression_reason")).isEqualTo("allowlisted user svc-backup");
        // 5 over 3: a small strength bonus on 75, times 0.6 for experimental; 40 over 3 gets the full bonus.
        assertThat(f.get(0).<Double>getAs("score")).isEqualTo(Math.round((75 + 10 * (Math.log(5 / 3.0) / Math.log(2)
                / 3)) * 0.6 * 10) / 10.0);
        assertThat(f.get(2).<Double>getAs("score")).isEqualTo(51.0);
        assertThat(f.get(2).<String>getAs("severity")).isEqualTo("medium");
        assertThat(f.get(2).getList(f.get(2).fieldIndex("evidence_row_ids"))).hasSize(3);
        assertThat(f).allSatisfy(r -> assertThat(r.<String>getAs("finding_id")).hasSize(24));
        assertThat(f.get(0).<String>getAs("fingerprint")).isEqualTo(f.get(1).<String>getAs("fingerprint"));
        assertThat(f.get(0).<String>getAs("finding_id")).isNotEqualTo(f.get(1).<String>getAs("finding_id"));
    }

    @Test
    void sameInputSameFindings() {
        RuleStage stage = new RuleStage(new RuleCatalog(List.of(RuleExecutorTest.rule(DELETES),
                RuleExecutorTest.rule(RuleExecutorTest.BRUTE)), List.of(), List.of()), 50);
        Dataset<Row> logs = deletes().frame(spark);
        List<Row> a = stage.findings(logs).orderBy("finding_id").collectAsList();
        List<Row> b = stage.findings(logs.repartition(3)).orderBy("finding_id").collectAsList();
        assertThat(a).isEqualTo(b);
    }

    @Test
    void theCatalogFindsWhatEachRuleFindsOnItsOwn() {
        List<Rule> rules = List.of(RuleExecutorTest.rule(DELETES), RuleExecutorTest.rule(RuleExecutorTest.BRUTE));
        LogRows rows = deletes();
        rows.addAll(StarterPackFixtures.burst("02:00:00", 8, 20, r -> r.user("alice").action("login")
                .outcome("failure")));
        rows.addAll(StarterPackFixtures.burst("03:00:00", 3, 20, r -> r.user("carol").action("login")
                .outcome("failure")));
        rows.addAll(StarterPackFixtures.burst("04:00:00", 20, 20, r -> r.user("dave").action("read")));
        Dataset<Row> logs = rows.frame(spark).repartition(2);
        RuleExecutor alone = new RuleExecutor(50);
        List<Row> expected = io.nightshift.jobs.detect.Findings.withIds(alone.findings(rules.get(0), logs)
                .unionByName(alone.findings(rules.get(1), logs))).orderBy("finding_id").collectAsList();

        List<Row> together = new RuleStage(new RuleCatalog(rules, List.of(), List.of()), 50).findings(logs)
                .orderBy("finding_id").collectAsList();

        assertThat(together).isEqualTo(expected);
        assertThat(together).extracting(r -> r.<String>getAs("detector_id"))
                .containsOnly("T-DEL", "T-BRUTE").contains("T-DEL", "T-BRUTE");
    }

    @Test
    void theStarterPacksOnePassFlagsTheRowsEachRuleMatchesAlone() {
        RuleCatalog pack = RuleStarterPackTest.pack();
        List<String> messages = List.of("Failed password for root from 10.0.0.1", "failed PASSWORD for admin",
                "audit logging was disabled by alice", "Firewall rule fw-1 removed", "MFA disabled for bob",
                "security agent stopped", "created a new admin user", "user Administrator added", "API key created",
                "created new api_key", "granted admin to carol", "role owner granted", "cat /etc/shadow", "sudo -l",
                "nothing interesting", "ADMİN İs here", "");
        List<String[]> actions = List.of(new String[] {"login", "failure"}, new String[] {"login", "success"},
                new String[] {"delete", null}, new String[] {"export", null}, new String[] {null, null});
        LogRows rows = new LogRows();
        int id = 0;
        for (String message : messages) {
            for (String[] action : actions) {
                for (String service : List.of("auth", "web", "iam", "cloudtrail")) {
                    for (int variant = 0; variant < 2; variant++) {
                        LogRows.LogRow r = rows.add("m" + (++id), "2026-11-20T0" + (id % 10) + ":00:00Z")
                                .message(message).service(service).user(variant == 0 ? "admin" : "svc-x")
                                .action(action[0]).outcome(action[1]);
                        r.attr("url", variant == 0 ? "/shell.php?CMD=ls" : "/index.html")
                                .attr("user_agent", variant == 0 ? "sqlmap/1.7" : "Mozilla/5.0");
                    }
                }
            }
        }
        Dataset<Row> logs = rows.frame(spark).cache();
        RuleStage stage = new RuleStage(pack, 50);
        Dataset<Row> matched = stage.matchedRows(logs).cache();
        long flagged = 0;
        for (int i = 0; i < pack.rules().size(); i++) {
            Rule rule = pack.rules().get(i);
            List<Row> alone = logs.where(RuleExecutor.matches(rule)).select("row_id").orderBy("row_id")
                    .collectAsList();
            List<Row> together = matched.where(org.apache.spark.sql.functions.col(RuleStage.flag(i)))
                    .select("row_id").orderBy("row_id").collectAsList();
            assertThat(together).as(rule.id()).isEqualTo(alone);
            flagged += alone.isEmpty() ? 0 : 1;
        }
        assertThat(flagged).as("rules matching some row").isGreaterThan(pack.rules().size() / 2);
        assertThat(matched.columns()).noneMatch(c -> c.startsWith("_text_scan_"));
        matched.unpersist();
        logs.unpersist();
    }

    @Test
    void runStagesFindingsOnceAndReportsSkippedSigma() {
        RuleValidationError skipped = new RuleValidationError("s.yml", 3, "x", "Sigma rule skipped: 'near' ...");
        RuleStage stage = new RuleStage(new RuleCatalog(List.of(RuleExecutorTest.rule(DELETES)), List.of(),
                List.of(skipped)), 50);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        String wholeStage = spark.conf().get("spark.sql.codegen.wholeStage");
        LogRows logs = deletes().addAll(StarterPackFixtures.burst("03:00:00", 7, 30, r -> r.user("dave")
                .action("read")));
        StageOutputs outputs = stage.run(TestNights.of(spark, LocalDate.parse("2026-11-20"), logs.frame(spark),
                new Progress(new PrintStream(progress, true, StandardCharsets.UTF_8), "test")));
        assertThat(outputs.get(ResultTables.FINDINGS).count()).isEqualTo(4);
        // 55 deletions of 62 rows; the reads match no rule
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("s.yml:3: rule x: Sigma rule skipped")
                .contains("1 rules (1 left out), 55 rows matched by some rule");
        // The pass that selects the rules' rows turns whole-stage code generation off for itself only
        assertThat(spark.conf().get("spark.sql.codegen.wholeStage")).isEqualTo(wholeStage).isEqualTo("true");
    }

    @Test
    void aCatalogWithErrorsRefusesToBuildAStage() {
        RuleCatalog bad = new RuleCatalog(List.of(), List.of(new RuleValidationError("a.yml", 4, "R", "bad")),
                List.of());
        assertThatThrownBy(() -> new RuleStage(bad, 50)).isInstanceOf(NightshiftException.class)
                .hasMessageContaining("a.yml:4: rule R: bad")
                .satisfies(e -> assertThat(((NightshiftException) e).exitCode()).isEqualTo(ExitCodes.BAD_CONFIG));
    }
}
