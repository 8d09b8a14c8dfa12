package io.nightshift.bench;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.pipeline.NightlyPipeline;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.JobRunLog;
import io.nightshift.jobs.store.ResultsStore;

/**
 * The soak's warehouse checks on a small hand-made warehouse: consistent dates pass, and each kind of damage the soak
 * looks for is named.
 */
class SoakChecksTest {
    static final LocalDate D1 = LocalDate.parse("2026-10-08");
    static final LocalDate D2 = LocalDate.parse("2026-10-09");
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    private static void succeededRun(ResultsStore store, String runId, LocalDate date, long trendRows) {
        new JobRunLog(store).ended(runId, NightlyPipeline.COMMAND, date, Instant.now(), new JobRunLog.Outcome(
                JobRunLog.SUCCEEDED, 10, 0, 0, 1, Map.of(ResultTables.TREND_HOURLY.name(), trendRows), Map.of(), null));
    }

    private static void trendRows(ResultsStore store, LocalDate date, int rows) {
        store.replaceDate(ResultTables.TREND_HOURLY, date, spark.range(rows)
                .select(lit(Timestamp.valueOf(date.atStartOfDay())).as("hour")));
    }

    private static void findings(ResultsStore store, LocalDate date, String... ids) {
        var rows = spark.createDataset(List.of(ids), org.apache.spark.sql.Encoders.STRING()).toDF("finding_id")
                .withColumn("detector", lit("rule")).withColumn("detector_id", lit("NS-TEST-001"));
        store.replaceDate(ResultTables.FINDINGS, date, rows);
    }

    @Test
    void aConsistentWarehousePassesAndEachDamageIsNamed() {
        ResultsStore store = new ResultsStore(spark, TestSpark.freshWarehouse());
        store.ensureAll();
        succeededRun(store, "r1", D1, 3);
        trendRows(store, D1, 3);
        findings(store, D1, "f1", "f2");
        SoakChecks checks = new SoakChecks(store);
        assertThat(checks.consistency(List.of(D1))).isEmpty();

        succeededRun(store, "r2", D2, 5);
        trendRows(store, D2, 4);
        findings(store, D2, "f2");
        assertThat(checks.consistency(List.of(D1, D2))).containsExactly(
                "trend_hourly holds 4 rows of 2026-10-09, its run recorded 5",
                "findings has 1 finding_id values on more than one row, e.g. f2");

        succeededRun(store, "r3", D1, 3);
        assertThat(checks.consistency(List.of(D1))).containsExactly(
                "2026-10-08 has 2 succeeded runs in job_runs, expected exactly 1",
                "findings has 1 finding_id values on more than one row, e.g. f2");
        assertThat(checks.maintenance(D1)).isEmpty();
    }

    @Test
    void theCensusCountsSnapshotsOlderThanTheRetention() {
        ResultsStore store = new ResultsStore(spark, TestSpark.freshWarehouse());
        store.ensureAll();
        for (int i = 0; i < 4; i++) {
            succeededRun(store, "r" + i, D1, 0);
        }
        Instant now = Instant.now();
        SnapshotCensus.Result unmaintained = SnapshotCensus.take(spark, store.config(), now, Duration.ZERO, 3);
        assertThat(unmaintained.maxTable()).isEqualTo("job_runs");
        assertThat(unmaintained.maxSnapshots()).isEqualTo(4);
        assertThat(unmaintained.problems()).singleElement().asString()
                .startsWith("job_runs keeps 4 snapshots committed before ").endsWith("at most 3 may stay");
        assertThat(SnapshotCensus.take(spark, store.config(), now, Duration.ofHours(1), 3).problems())
                .as("nothing is older than an hour").isEmpty();
    }
}
