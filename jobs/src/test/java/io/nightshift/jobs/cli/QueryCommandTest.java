package io.nightshift.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.nightshift.jobs.CapturedRun;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.store.WarehouseLock;

/**
 * {@code query} is read-only unless told otherwise, never touches the evidence table, and writes CSV a spreadsheet
 * cannot be tricked by.
 */
class QueryCommandTest {
    static SparkSession spark;
    @TempDir
    static Path dir;
    static String ns;
    static Path config;

    @BeforeAll
    static void warehouseWithEvidence() throws Exception {
        spark = TestSpark.session();
        var warehouse = TestSpark.freshWarehouse();
        ns = warehouse.namespace();
        config = Files.writeString(dir.resolve("nightshift.yaml"), String.join("\n",
                "warehouse: {path: '" + TestSpark.warehouse() + "', catalog: nightshift, namespace: " + ns + "}", ""));
        new io.nightshift.jobs.store.ResultsStore(spark, warehouse).ensureAll();
        spark.sql("INSERT INTO nightshift." + ns + ".incident_evidence (incident_id, row_id, sha256, log_json) "
                + "VALUES ('INC-20261121-00000001', 'r1', 'h1', '{}')");
        spark.sql("INSERT INTO nightshift." + ns + ".triage (triage_id, incident_id, verdict, analyst, note) VALUES "
                + "('t1', 'INC-20261121-00000001', 'benign', 'ann', '=HYPERLINK(\"http://evil\")'), "
                + "('t2', 'INC-20261121-00000002', 'false_positive', 'bob', 'line one\nline two, with \"quotes\"')");
    }

    private static CapturedRun query(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "query";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--config";
        all[args.length + 2] = config.toString();
        return CapturedRun.of(all);
    }

    private static long evidenceRows() {
        spark.sql("REFRESH TABLE nightshift." + ns + ".incident_evidence");
        return spark.sql("SELECT count(*) FROM nightshift." + ns + ".incident_evidence").first().getLong(0);
    }

    /** Which statements write is {@link SqlStatementTest}'s; here, that the command refuses them and reads the rest. */
    @Test
    void aStatementThatWritesIsRefusedWithoutAllowWritesAndReadingOnesRun() {
        for (String sql : List.of("DROP TABLE incident_evidence", "/* a comment first */ DROP TABLE findings")) {
            CapturedRun refused = query(sql);
            assertThat(refused.exitCode()).as(sql).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err()).contains("query is read-only: this statement is a drop table; only SELECT")
                    .contains("--allow-writes");
        }
        assertThat(evidenceRows()).isEqualTo(1);
        assertThat(spark.catalog().tableExists("nightshift." + ns + ".findings")).isTrue();
        assertThat(query("SHOW TABLES").exitCode()).isZero();
        assertThat(query("--format", "csv", "SELECT count(*) AS n FROM incident_evidence").out()).contains("n", "1");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "UPDATE `incident_evidence` SET sha256 = 'forged'",
            "DROP TABLE IDENTIFIER('incident_' || 'evidence')"})
    void theEvidenceTableIsRefusedEvenWithAllowWrites(String sql) {
        String qualified = sql.replace("`incident_evidence`", "nightshift." + ns + ".`incident_evidence`");
        CapturedRun refused = query("--allow-writes", qualified);
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("incident_evidence, which is insert-only");
        assertThat(evidenceRows()).isEqualTo(1);
    }

    @Test
    void anAllowedWriteTakesTheLockAndIsRecordedInJobRuns() {
        String sql = "DELETE FROM triage WHERE analyst = 'nobody'";
        assertThat(query("--allow-writes", sql).exitCode()).isZero();
        spark.sql("REFRESH TABLE nightshift." + ns + ".job_runs");
        List<Row> runs = spark.sql("SELECT status, detail, ended_at FROM nightshift." + ns + ".job_runs "
                + "WHERE command = 'query --allow-writes'").collectAsList();
        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.getString(0)).isEqualTo("succeeded");
            assertThat(r.getString(1)).isEqualTo(sql);
            assertThat(r.<java.sql.Timestamp>getAs(2)).isNotNull();
        });
        assertThat(TestSpark.warehouse().resolve(WarehouseLock.FILE_NAME)).as("released").doesNotExist();
    }

    @Test
    void anAllowedWriteWaitsForNoOneWhenTheLockIsHeld() throws Exception {
        try (WarehouseLock held = WarehouseLock.acquire(TestSpark.warehouse().toString(),
                spark.sparkContext().hadoopConfiguration(), "run 2026-11-21", WarehouseLock.DEFAULT_STALE_AFTER)) {
            assertThat(query("--allow-writes", "DELETE FROM triage WHERE analyst = 'nobody'").exitCode())
                    .isEqualTo(ExitCodes.LOCK_HELD);
        }
    }

    @Test
    void csvIsRfc4180AndNeutralisesFormulasUnlessRaw() throws Exception {
        String sql = "SELECT analyst, note, -5 AS n FROM triage ORDER BY analyst";
        CapturedRun csv = query("--format", "csv", sql);
        assertThat(csv.exitCode()).isZero();
        List<CSVRecord> records = CSVFormat.RFC4180.parse(new StringReader(csv.out())).getRecords();
        assertThat(records).hasSize(3);
        assertThat(records.get(0).values()).containsExactly("analyst", "note", "n");
        assertThat(records.get(1).values()).containsExactly("ann", "'=HYPERLINK(\"http://evil\")", "-5");
        assertThat(records.get(2).values()).as("the line break stays inside its cell")
                .containsExactly("bob", "line one\nline two, with \"quotes\"", "-5");

        CapturedRun rawCsv = query("--format", "csv", "--raw", sql);
        assertThat(rawCsv.exitCode()).isZero();
        List<CSVRecord> raw = CSVFormat.RFC4180.parse(new StringReader(rawCsv.out())).getRecords();
        assertThat(raw.get(1).get(1)).isEqualTo("=HYPERLINK(\"http://evil\")");
    }

    @Test
    void formulaLookalikesAreEveryOwaspLeadingCharacter() {
        for (String s : List.of("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx")) {
            assertThat(CsvOutput.looksLikeFormula(s)).as(s).isTrue();
        }
        assertThat(CsvOutput.looksLikeFormula("a=1")).isFalse();
        assertThat(CsvOutput.looksLikeFormula("")).isFalse();
    }
}
