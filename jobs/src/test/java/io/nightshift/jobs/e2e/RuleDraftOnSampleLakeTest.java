package io.nightshift.jobs.e2e;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nightshift.jobs.EndToEnd;
import io.nightshift.jobs.CapturedRun;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.config.ConfigLoader;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleCatalog;
import io.nightshift.jobs.detect.rules.RuleExecutor;
import io.nightshift.jobs.detect.rules.RuleStatus;
import io.nightshift.jobs.detect.rules.load.RuleLoader;
import io.nightshift.jobs.detect.rules.sigma.SigmaFieldMapping;
import io.nightshift.jobs.lake.LakeReader;

/**
 * Quality bar of lessons learned, on the warm scenario week ({@link WarmNight}): a rule drafted from the brute-force
 * incident through the command line, checked by {@code rules check}, and run alone on the day's logs, where it must
 * catch the same attack at the experimental score, and on a quiet day, where it must stay silent.
 */
@EndToEnd
class RuleDraftOnSampleLakeTest {
    static SparkSession spark;
    static Path config;
    static NightshiftConfig nightshift;
    static String ns;
    static JsonNode attack;
    static LocalDate day;
    static Path dir;

    @BeforeAll
    static void theBruteForceNight() throws Exception {
        spark = TestSpark.session();
        WarmNight week = WarmNight.get();
        attack = week.scenario("brute_force");
        day = LocalDate.parse(attack.get("date").asText());
        ns = week.namespace();
        config = week.config();
        dir = week.dir().resolve("rule-drafts");
        nightshift = ConfigLoader.load(config, config.getParent());
    }

    static String entity(String name) {
        return attack.get("entities").get(name).asText();
    }

    /** The incident whose indicators name the attacker's address. */
    static String bruteForceIncident() {
        List<Row> incidents = spark.table("nightshift." + ns + ".incidents")
                .where("exists(indicators, i -> i.type = 'ip' AND i.value = '" + entity("src_ip") + "')")
                .select("incident_id").collectAsList();
        assertThat(incidents).hasSize(1);
        return incidents.get(0).getString(0);
    }

    static Dataset<Row> logs(LocalDate date) {
        return new LakeReader(spark, nightshift.lake()).read(date).rows();
    }

    @Test
    void aRuleDraftedFromTheBruteForceIncidentPassesRulesCheckAndCatchesTheSameAttackAtTheExperimentalScore()
            throws Exception {
        String incident = bruteForceIncident();
        Path drafts = dir.resolve("drafts/new");
        CapturedRun draft = CapturedRun.of("rules", "draft", "--from-incident", incident, "--out", drafts.toString(),
                "--config", config.toString());
        assertThat(draft.exitCode()).as(draft.err()).isEqualTo(ExitCodes.OK);
        Path file = drafts.resolve("LL-" + incident + ".yml");
        System.out.println(Files.readString(file));
        assertThat(draft.out()).contains("drafted " + file + " from incident " + incident + "; it passes rules check.");
        assertThat(CapturedRun.of("rules", "check", drafts.toString()).exitCode()).isEqualTo(ExitCodes.OK);

        RuleCatalog catalog = new RuleLoader(SigmaFieldMapping.defaultMapping(), Map.of()).load(drafts);
        Rule rule = catalog.rules().get(0);
        assertThat(rule.id()).isEqualTo("LL-" + incident);
        assertThat(rule.status()).isEqualTo(RuleStatus.EXPERIMENTAL);
        assertThat(rule.description()).startsWith("Drafted from incident " + incident);

        Timestamp start = Timestamp.from(Instant.parse(attack.get("start").asText()));
        Timestamp end = Timestamp.from(Instant.parse(attack.get("end").asText()));
        List<Row> hits = new RuleExecutor(50).findings(rule, logs(day)).collectAsList();
        assertThat(hits).isNotEmpty().allSatisfy(h -> {
            assertThat(h.<String>getAs("src_ip")).isIn(entity("src_ip"), null);
            assertThat(h.<String>getAs("tenant_id")).isIn(entity("tenant_id"), null);
            assertThat(h.<String>getAs("user")).isIn(entity("user"), null);
            assertThat(h.<Timestamp>getAs("first_seen")).isBetween(start, end);
            // Experimental: 0.6 of what the same rule would score as stable.
            double limit = rule.threshold().limit();
            double strength = Math.min(1, Math.max(0, Math.log(h.<Double>getAs("observed") / limit) / Math.log(2) / 3));
            double stable = Math.min(100, rule.severity().baseScore() + 10 * strength);
            assertThat(h.<Double>getAs("score")).isCloseTo(stable * RuleStatus.EXPERIMENTAL_SCORE_FACTOR,
                    org.assertj.core.data.Offset.offset(0.051));
            assertThat(h.<scala.collection.Map<String, String>>getAs("metadata").get("rule_status").get())
                    .isEqualTo("experimental");
        });
        assertThat(hits).anySatisfy(h -> assertThat(h.<String>getAs("src_ip")).isEqualTo(entity("src_ip")));

        // The day before the attack has no brute force: the draft stays silent.
        assertThat(new RuleExecutor(50).findings(rule, logs(day.minusDays(1))).count()).isZero();
    }

    @Test
    void draftingRefusesAnIncidentThatDoesNotExist() {
        CapturedRun missing = CapturedRun.of("rules", "draft", "--from-incident", "INC-20261117-00000000", "--out",
                dir.resolve("none").toString(), "--config", config.toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.err()).contains("no incident with id 'INC-20261117-00000000'");
        assertThat(dir.resolve("none")).doesNotExist();
    }

    @Test
    void theNightRecomputesDetectionMetricsAndTheMetricsCommandCountsAVerdict() {
        String incident = bruteForceIncident();
        String table = "nightshift." + ns + ".detection_metrics";
        // The rule behind the incident's findings (the week has other rule incidents, which keep their counts).
        String ruleId = spark.sql("SELECT f.detector_id FROM nightshift." + ns + ".findings f JOIN nightshift." + ns
                + ".incidents i ON array_contains(i.finding_ids, f.finding_id) WHERE i.incident_id = '" + incident
                + "' AND f.detector = 'rule' ORDER BY f.score DESC").first().getString(0);
        Row before = spark.table(table).where(col("detector_id").equalTo(ruleId)).first();
        assertThat(before.<Long>getAs("incidents")).isEqualTo(1L);
        assertThat(before.<Long>getAs("verdicts")).isZero();
        assertThat(before.<Double>getAs("median_minutes_to_detect")).isPositive();
        assertThat(before.<String>getAs("rule_status")).isEqualTo("stable");

        assertThat(CapturedRun.of("triage", "--incident", incident, "--verdict", "false_positive", "--analyst", "ann",
                "--note", "pen test", "--config", config.toString()).exitCode()).isEqualTo(ExitCodes.OK);
        CapturedRun metrics = CapturedRun.of("metrics", "--config", config.toString());
        assertThat(metrics.exitCode()).as(metrics.err()).isEqualTo(ExitCodes.OK);
        assertThat(metrics.out()).containsPattern("(?m)^  rule +" + ruleId + " +stable +\\d+ +1 +1 +1 +100% ");
        assertThat(metrics.out()).contains("flagged for review (!)");
        Row after = spark.table(table).where(col("detector_id").equalTo(ruleId)).first();
        assertThat(List.of(after.getAs("verdicts"), after.getAs("false_positives"))).containsExactly(1L, 1L);
        // One verdict is fewer than metrics.min_verdicts (3): not flagged yet.
        assertThat(after.<Boolean>getAs("flagged_for_review")).isFalse();
        assertThat(after.<Double>getAs("median_hours_to_triage")).isPositive();
        assertThat(spark.table(table).where(col("detector_id").equalTo(ruleId)).count()).isEqualTo(1);
    }
}
