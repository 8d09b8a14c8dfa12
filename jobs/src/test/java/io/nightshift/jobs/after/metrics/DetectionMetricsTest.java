package io.nightshift.jobs.after.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.config.MetricsConfig;

/**
 * detection_metrics from ten-row tables: counts, the false-positive rate (latest verdict or status), the review flag
 * at its threshold and minimum number of verdicts, and the three median times against the end of the first
 * succeeded run of a date.
 */
class DetectionMetricsTest {
    static SparkSession spark;
    static final Timestamp COMPUTED = ts("2026-11-20T00:00:00Z");
    static Map<String, Row> byId;

    final List<Row> findings = new ArrayList<>();
    final List<Row> incidents = new ArrayList<>();
    final List<Row> triage = new ArrayList<>();
    final List<Row> actions = new ArrayList<>();
    final List<Row> runs = new ArrayList<>();

    static Timestamp ts(String iso) {
        return Timestamp.from(Instant.parse(iso));
    }

    void finding(String detectorId, String id, String firstSeen, String date, String ruleStatus) {
        findings.add(RowFactory.create(detectorId.startsWith("R-") ? "rule" : "trend", detectorId, id, ts(firstSeen),
                Date.valueOf(date), ruleStatus == null ? Map.of() : Map.of("rule_status", ruleStatus)));
    }

    void incident(String id, String findingId, String status, String created, String closedAt) {
        incidents.add(RowFactory.create(id, List.of(findingId), status, Date.valueOf(created),
                closedAt == null ? null : ts(closedAt)));
    }

    void verdict(String incidentId, String verdict, String at) {
        triage.add(RowFactory.create(incidentId, verdict, ts(at)));
    }

    /** A rule with one incident per verdict (null: an incident without one), each from its own finding. */
    void ruleWithVerdicts(String ruleId, String... verdicts) {
        for (int i = 0; i < verdicts.length; i++) {
            String f = ruleId + "-f" + i;
            finding(ruleId, f, "2026-11-10T10:00:00Z", "2026-11-10", "experimental");
            incident(ruleId + "-i" + i, f, "open", "2026-11-10", null);
            if (verdicts[i] != null) {
                verdict(ruleId + "-i" + i, verdicts[i], "2026-11-11T08:00:00Z");
            }
        }
    }

    Map<String, Row> compute(MetricsConfig config) {
        Dataset<Row> out = new DetectionMetrics(config).compute(
                frame(findings, "detector STRING, detector_id STRING, finding_id STRING, first_seen TIMESTAMP, "
                        + "date DATE, metadata MAP<STRING, STRING>"),
                frame(incidents, "incident_id STRING, finding_ids ARRAY<STRING>, status STRING, created_date DATE, "
                        + "closed_at TIMESTAMP"),
                frame(triage, "incident_id STRING, verdict STRING, recorded_at TIMESTAMP"),
                frame(actions, "incident_id STRING, recorded_at TIMESTAMP"),
                frame(runs, "command STRING, status STRING, logical_date DATE, ended_at TIMESTAMP"), COMPUTED);
        Map<String, Row> rows = new java.util.HashMap<>();
        out.collectAsList().forEach(r -> rows.put(r.getAs("detector_id"), r));
        assertThat(out.columns()).containsExactly(io.nightshift.jobs.schema.ResultTables.DETECTION_METRICS.schema()
                .fieldNames());
        return rows;
    }

    static Dataset<Row> frame(List<Row> rows, String ddl) {
        return spark.createDataFrame(rows, StructType.fromDDL(ddl));
    }

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    @Test
    void falsePositiveRateCountsLatestVerdictsAndStatusAndFlagsAboveTheThresholdWithEnoughVerdicts() {
        runs.add(RowFactory.create("run", "succeeded", Date.valueOf("2026-11-10"), ts("2026-11-11T02:00:00Z")));
        // 3 of 5 judged incidents false: one by status alone, one whose false_positive was later overturned.
        ruleWithVerdicts("R-NOISY", "false_positive", "false_positive", "true_positive", "false_positive", "benign",
                null);
        verdict("R-NOISY-i1", "true_positive", "2026-11-12T08:00:00Z");
        incident("R-NOISY-i6", "R-NOISY-f5", "false_positive", "2026-11-10", "2026-11-11T09:00:00Z");
        finding("R-NOISY", "R-NOISY-unlinked", "2026-11-10T11:00:00Z", "2026-11-10", "experimental");
        ruleWithVerdicts("R-EDGE", "false_positive", "false_positive", "true_positive", "benign");
        ruleWithVerdicts("R-FEW", "false_positive", "false_positive");
        finding("error_rate_surge", "t1", "2026-11-10T10:00:00Z", "2026-11-10", null);

        Map<String, Row> m = compute(new MetricsConfig(0.5, 3));

        Row noisy = m.get("R-NOISY");
        assertThat(List.of(noisy.getAs("findings"), noisy.getAs("incidents"), noisy.getAs("verdicts"),
                noisy.getAs("false_positives"))).containsExactly(7L, 7L, 6L, 3L);
        assertThat(noisy.<Double>getAs("false_positive_rate")).isEqualTo(0.5);
        // 0.5 is the limit, not above it: add one more false positive and it is flagged.
        assertThat(noisy.<Boolean>getAs("flagged_for_review")).isFalse();
        verdict("R-NOISY-i5", "false_positive", "2026-11-11T10:00:00Z");
        noisy = compute(new MetricsConfig(0.5, 3)).get("R-NOISY");
        assertThat(noisy.<Double>getAs("false_positive_rate")).isCloseTo(4 / 7.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(noisy.<Boolean>getAs("flagged_for_review")).isTrue();
        assertThat(noisy.<String>getAs("review_reason")).isEqualTo("4 of 7 triaged incidents were false positives"
                + " (57%), above metrics.max_false_positive_rate (50%): review it (tune its threshold or allowlist, or"
                + " retire it)");
        assertThat(noisy.<String>getAs("rule_status")).isEqualTo("experimental");

        Row edge = m.get("R-EDGE");
        assertThat(edge.<Double>getAs("false_positive_rate")).isEqualTo(0.5);
        assertThat(edge.<Boolean>getAs("flagged_for_review")).isFalse();
        assertThat(edge.<String>getAs("review_reason")).isNull();
        // Every verdict false, but two verdicts are fewer than min_verdicts.
        Row few = m.get("R-FEW");
        assertThat(few.<Double>getAs("false_positive_rate")).isEqualTo(1.0);
        assertThat(few.<Boolean>getAs("flagged_for_review")).isFalse();
        assertThat(compute(new MetricsConfig(0.5, 2)).get("R-FEW").<Boolean>getAs("flagged_for_review")).isTrue();
        // A detector without incidents: zero counts, no rate, not flagged.
        Row trend = m.get("error_rate_surge");
        assertThat(List.of(trend.getAs("detector"), trend.getAs("findings"), trend.getAs("incidents"),
                trend.getAs("verdicts"))).containsExactly("trend", 1L, 0L, 0L);
        assertThat(trend.<Double>getAs("false_positive_rate")).isNull();
        assertThat(trend.<String>getAs("rule_status")).isNull();
        assertThat(trend.<Boolean>getAs("flagged_for_review")).isFalse();
        assertThat(trend.<Timestamp>getAs("computed_at")).isEqualTo(COMPUTED);
    }

    @Test
    void timesToDetectTriageAndCloseAreMediansFromTheFirstSucceededRunOfTheDate() {
        runs.add(RowFactory.create("run", "succeeded", Date.valueOf("2026-11-10"), ts("2026-11-11T02:00:00Z")));
        runs.add(RowFactory.create("run", "failed", Date.valueOf("2026-11-11"), ts("2026-11-12T01:00:00Z")));
        runs.add(RowFactory.create("run", "succeeded", Date.valueOf("2026-11-11"), ts("2026-11-12T03:00:00Z")));
        runs.add(RowFactory.create("run", "succeeded", Date.valueOf("2026-11-11"), ts("2026-11-13T09:00:00Z")));
        runs.add(RowFactory.create("maintain", "succeeded", Date.valueOf("2026-11-10"), ts("2026-11-10T00:00:00Z")));
        // Detected after 180, 300 and 1,500 minutes.
        finding("R-TIMES", "a", "2026-11-10T23:00:00Z", "2026-11-10", "stable");
        finding("R-TIMES", "b", "2026-11-10T21:00:00Z", "2026-11-10", "stable");
        finding("R-TIMES", "c", "2026-11-11T02:00:00Z", "2026-11-11", "stable");
        // Created at 02:00 on the 11th; first response after 2 h (an action before the verdict) and 10 h.
        incident("A", "a", "closed", "2026-11-10", "2026-11-12T02:00:00Z");
        verdict("A", "true_positive", "2026-11-11T06:00:00Z");
        actions.add(RowFactory.create("A", ts("2026-11-11T04:00:00Z")));
        incident("B", "b", "open", "2026-11-10", null);
        actions.add(RowFactory.create("B", ts("2026-11-11T12:00:00Z")));
        incident("C", "c", "new", "2026-11-11", null);

        Row times = compute(MetricsConfig.defaults()).get("R-TIMES");

        assertThat(times.<Double>getAs("median_minutes_to_detect")).isEqualTo(300.0);
        assertThat(times.<Double>getAs("median_hours_to_triage")).isEqualTo(6.0);
        assertThat(times.<Double>getAs("median_hours_to_close")).isEqualTo(24.0);
        assertThat(List.of(times.getAs("incidents"), times.getAs("verdicts"), times.getAs("false_positives")))
                .containsExactly(3L, 1L, 0L);
        assertThat(times.<Double>getAs("false_positive_rate")).isEqualTo(0.0);
    }
}
