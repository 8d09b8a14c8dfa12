package io.nightshift.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.TestLogs;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.cli.ExitCodes;
import io.nightshift.jobs.cli.NightshiftCli;

/** Degenerate nights go through every stage of the real {@code run}: they succeed and say what they saw. */
class EdgeDaysTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    private record Night(int exitCode, String namespace, String output) {
        Row lastRun() {
            return spark.sql("SELECT status, input_rows, quarantined_rows, stage_counts FROM nightshift." + namespace
                    + ".job_runs WHERE command = 'run' ORDER BY started_at DESC LIMIT 1").first();
        }

        long count(String table) {
            return spark.sql("SELECT count(*) FROM nightshift." + namespace + "." + table).first().getLong(0);
        }
    }

    private static Night run(Path dir, String date) throws Exception {
        String namespace = TestSpark.freshWarehouse().namespace();
        Path config = Files.writeString(dir.resolve("nightshift.yaml"), String.join("\n",
                "lake: {root: lake, dedup_key: event_id}",
                "warehouse: {path: '" + TestSpark.warehouse() + "', catalog: nightshift, namespace: " + namespace + "}",
                "rules: {directory: '" + TestSpark.repoRoot().resolve("rules") + "'}",
                "intel: {directory: '" + TestSpark.repoRoot().resolve("data-samples/threat_intel") + "'}",
                "reference: {service_catalog: '"
                        + TestSpark.repoRoot().resolve("data-samples/reference/service_catalog.csv")
                        + "', tenant_directory: '" + TestSpark.repoRoot().resolve("data-samples/reference/tenants.csv")
                        + "'}",
                ""));
        Files.createDirectories(dir.resolve("lake"));
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = NightshiftCli.execute("run", "--date", date, "--config", config.toString());
        } finally {
            System.setOut(saved);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        return new Night(exit, namespace, printed);
    }

    @Test
    void anEmptyDaySucceedsAndRecordsZeroRows(@TempDir Path dir) throws Exception {
        Night night = run(dir, "2026-11-20");
        assertThat(night.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(night.lastRun().<String>getAs("status")).isEqualTo("succeeded");
        assertThat(night.lastRun().<Long>getAs("input_rows")).isZero();
        assertThat(night.count("trend_hourly")).isZero();
        assertThat(night.count("incidents")).isZero();
    }

    @Test
    void aSingleRowDayGoesThroughEveryStage(@TempDir Path dir) throws Exception {
        new TestLogs().add("only", "2026-11-20T04:00:00Z", "checkout", "h1", "GET /cart 200 in 12 ms", "INFO")
                .writePartition(spark, dir.resolve("lake"), "2026-11-20");
        Night night = run(dir, "2026-11-20");
        assertThat(night.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(night.lastRun().<Long>getAs("input_rows")).isEqualTo(1L);
        assertThat(night.count("trend_hourly")).isEqualTo(1);
        assertThat(night.output()).contains("read-lake", "trend-aggregates", "cluster-anomalies", "rules",
                "threat-intel", "incidents", "publish");
    }

    @Test
    void aDayWhoseRowsAreAllQuarantinedSucceedsWithEveryRowKept(@TempDir Path dir) throws Exception {
        new TestLogs()
                .add("a", "not a time", "checkout", "h1", "x", "INFO")
                .add("b", "2026-11-20T01:00:00Z", null, "h1", "no service", "INFO")
                .add("c", "2026-11-20T02:00:00Z", "checkout", "h1", null, "INFO")
                .writePartition(spark, dir.resolve("lake"), "2026-11-20");
        Night night = run(dir, "2026-11-20");
        assertThat(night.exitCode()).isEqualTo(ExitCodes.OK);
        Row last = night.lastRun();
        assertThat(last.<Long>getAs("input_rows")).isEqualTo(3L);
        assertThat(last.<Long>getAs("quarantined_rows")).isEqualTo(3L);
        List<Row> quarantine = spark.sql("SELECT row_id, reason FROM nightshift." + night.namespace()
                + ".quarantine ORDER BY row_id").collectAsList();
        assertThat(quarantine).extracting(r -> r.<String>getAs("row_id")).containsExactly("a", "b", "c");
        assertThat(night.count("trend_hourly")).isZero();
    }
}
