package io.nightshift.jobs.cases;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.CapturedRun;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.cli.NightshiftCli;
import io.nightshift.jobs.incidents.EvidenceCollector;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.store.WarehouseTables;

/**
 * {@code incident list}, {@code incident show} and {@code evidence verify} read the warehouse through Iceberg without
 * Spark; on tables Spark wrote they must print exactly what the Spark queries they replaced printed: the same rows in
 * the same order (ties, nulls, NaN, characters beyond U+FFFF), the same values, the same verdicts.
 */
class CaseReadsWithoutSparkTest {
    static final String A = "INC-20261118-0000000a";
    static final String B = "INC-20261117-0000000b";
    static final String C = "INC-20261119-0000000c";
    static final String D = "INC-20261116-0000000d";
    static final String E = "INC-20261119-0000000e";
    static final List<String> ALL = List.of(A, B, C, D, E);

    static SparkSession spark;
    static ResultsStore store;
    static WarehouseTables tables;
    static Path config;

    @BeforeAll
    static void warehouse() throws IOException {
        spark = TestSpark.session();
        store = new ResultsStore(spark, TestSpark.freshWarehouse());
        store.ensureAll();
        seedEvidence();
        Map<String, String> manifests = new LinkedHashMap<>();
        for (Row r : EvidenceCollector.manifestHashes(store.read(ResultTables.INCIDENT_EVIDENCE)).collectAsList()) {
            manifests.put(r.getString(0), r.getString(1));
        }
        // C's second row is altered after its manifest was taken; D names a manifest but kept no rows.
        spark.sql("UPDATE " + store.fullName(ResultTables.INCIDENT_EVIDENCE)
                + " SET log_json = concat(log_json, ' ') WHERE incident_id = '" + C + "' AND row_id = 'r-2'");
        seedIncidents(manifests);
        seedCaseTables();
        tables = WarehouseTables.open(store.config(), Map.of());
        Path dir = Files.createTempDirectory("nightshift-case-reads");
        config = Files.writeString(dir.resolve("nightshift.yaml"), "warehouse: {path: '" + store.config().path()
                + "', catalog: " + store.config().catalog() + ", namespace: " + store.config().namespace() + "}\n");
    }

    @AfterAll
    static void close() {
        tables.close();
    }

    static void seedEvidence() {
        store.append(ResultTables.INCIDENT_EVIDENCE, spark.sql("SELECT incident_id, row_id, 'f-1' AS finding_id, "
                + "DATE'2026-11-18' AS log_date, log_json, sha2(log_json, 256) AS sha256, "
                + "DATE'2026-11-18' AS preserved_date FROM VALUES "
                + "('" + A + "', 'r-\uD83D\uDE00', '{\"message\":\"login failed for j\u00f6se \uD83D\uDE00\"}'), "
                + "('" + A + "', 'r-\uFF5E', '{\"message\":\"\uFF5E wave\"}'), "
                + "('" + A + "', 'r-a', '{\"message\":\"plain\"}'), "
                + "('" + C + "', 'r-1', '{\"message\":\"one\"}'), "
                + "('" + C + "', 'r-2', '{\"message\":\"two\"}') AS t(incident_id, row_id, log_json)"));
    }

    static void seedIncidents(Map<String, String> manifests) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("incident_id", "'" + A + "'");
        a.put("status", "'new'");
        a.put("title", "'Brute force <script>alert(1)</script>' || char(27) || '[31m red \uFF5E \uD83D\uDE00'");
        a.put("summary", "'night 1 | *bold* _x_'");
        a.put("severity", "'high'");
        a.put("severity_score", "72.0D");
        a.put("severity_reasons", "array('privacy: +20', 'scope: +10')");
        a.put("priority", "'P2'");
        a.put("priority_reasons", "array('functional impact medium')");
        a.put("functional_impact", "'medium'");
        a.put("information_impact", "'privacy'");
        a.put("recoverability", "'regular'");
        a.put("first_seen", "TIMESTAMP'2026-11-18 01:00:00.5'");
        a.put("last_seen", "TIMESTAMP'2026-11-18 02:30:00.123456'");
        a.put("regions", "array('eu')");
        a.put("datacenters", "array('eu-1', NULL)");
        a.put("services", "array('auth')");
        a.put("farms", "CAST(NULL AS ARRAY<STRING>)");
        a.put("hosts", "array('h1', 'h2')");
        a.put("tenants", "array('tn-01', 'tn-02')");
        a.put("affected_tenant_count", "2");
        a.put("indicators", "array(named_struct('type', 'ip', 'value', '203.0.113.9'), "
                + "named_struct('type', 'template', 'value', 't-1'))");
        a.put("finding_ids", "array('f-1', 'f-2', 'f-3', 'f-gone')");
        a.put("fingerprints", "array('fp-1')");
        a.put("related_incident_ids", "array('" + B + "', 'INC-20261101-00000000')");
        a.put("recommended_actions", "array('block the source address')");
        a.put("evidence_sha256", "'" + manifests.get(A) + "'");
        a.put("created_date", "DATE'2026-11-18'");
        a.put("updated_date", "DATE'2026-11-19'");
        a.put("owner_team", "'identity'");
        a.put("secondary_teams", "CAST(array() AS ARRAY<STRING>)");
        a.put("escalation_teams", "array('identity', 'security-response')");
        a.put("escalation_reasons", "array('critical service in scope')");
        a.put("incident_version", "2");
        store.upsert(ResultTables.INCIDENTS, select(a).unionByName(select(Map.of("incident_id", "'" + B + "'",
                "status", "'open'", "title", "'Silent host'", "severity", "'critical'", "severity_score", "90.0D",
                "priority", "'P1'", "updated_date", "DATE'2026-11-17'", "lessons_learned", "'watch heartbeats'")), true)
                .unionByName(select(Map.of("incident_id", "'" + C + "'", "status", "'new'", "severity", "'high'",
                        "severity_score", "72.0D", "priority", "'P2'", "evidence_sha256", "'" + manifests.get(C) + "'",
                        "updated_date", "DATE'2026-11-19'")), true), ResultTables.INCIDENTS.keys());
        // A second commit, so the table has more than one file.
        store.upsert(ResultTables.INCIDENTS, select(Map.of("incident_id", "'" + D + "'", "status", "'closed'",
                "evidence_sha256", "'" + "ab".repeat(32) + "'", "closed_at", "TIMESTAMP'2026-11-17 10:00:00'",
                "lessons_learned", "'tune the rule'")).unionByName(select(Map.of("incident_id", "'" + E + "'",
                "status", "'false_positive'", "severity", "'low'", "severity_score", "double('NaN')", "priority", "'P3'",
                "updated_date", "DATE'2026-11-19'")), true), ResultTables.INCIDENTS.keys());
    }

    static void seedCaseTables() {
        // f-2 before f-1 in the file, both at 01:00: the record breaks the tie by id. f-3 has no time: first.
        store.replaceDate(ResultTables.FINDINGS, java.time.LocalDate.parse("2026-11-18"), spark.sql("SELECT * FROM VALUES "
                + "('f-2', 'trend', 'error_rate', 'Error surge', 61.25D, 'medium', TIMESTAMP'2026-11-18 01:00:00', "
                + "TIMESTAMP'2026-11-18 02:00:00', true), "
                + "('f-1', 'rule', 'LL-BRUTE', 'Many failures', 80.5D, 'high', TIMESTAMP'2026-11-18 01:00:00', "
                + "TIMESTAMP'2026-11-18 01:30:00', false) AS t(finding_id, detector, detector_id, title, score, "
                + "severity, first_seen, last_seen, suppressed)"));
        store.replaceDate(ResultTables.FINDINGS, java.time.LocalDate.parse("2026-11-19"), spark.sql("SELECT 'f-3' AS "
                + "finding_id, 'cluster' AS detector, 'host_10m' AS detector_id, NULL AS title, NULL AS score, "
                + "CAST(NULL AS TIMESTAMP) AS first_seen"));
        store.append(ResultTables.INCIDENT_ACTIONS, spark.sql("SELECT * FROM VALUES "
                + "('act-2', '" + A + "', 'investigate', 'ana', 'looking <b>at</b> it', 'new', 'open', "
                + "TIMESTAMP'2026-11-18 09:00:00'), "
                + "('act-1', '" + A + "', 'note', 'bo', 'same second', 'open', 'open', TIMESTAMP'2026-11-18 09:00:00') "
                + "AS t(action_id, incident_id, action, analyst, text, status_before, status_after, recorded_at)"));
        store.append(ResultTables.INCIDENT_ACTIONS, spark.sql("SELECT 'act-3' AS action_id, '" + A + "' AS "
                + "incident_id, 'contain' AS action, 'cy' AS analyst, 'blocked\\nat the edge' AS text, "
                + "TIMESTAMP'2026-11-18 08:00:00' AS recorded_at"));
        store.append(ResultTables.TRIAGE, spark.sql("SELECT 'tr-1' AS triage_id, '" + A + "' AS incident_id, "
                + "'true_positive' AS verdict, 'ana' AS analyst, NULL AS note, TIMESTAMP'2026-11-19 07:00:00' AS "
                + "recorded_at, array('fp-1') AS fingerprints, DATE'2026-12-19' AS suppress_until"));
        store.append(ResultTables.NOTIFICATIONS, spark.sql("SELECT * FROM VALUES "
                + "('" + A + "/v2/hook', '" + A + "', 2, 'hook', 'webhook', 'delivered', 1, NULL, "
                + "TIMESTAMP'2026-11-19 06:00:00', TIMESTAMP'2026-11-19 06:00:01', 'p2'), "
                + "('" + A + "/v1/hook', '" + A + "', 1, 'hook', 'webhook', 'failed', 3, 'HTTP 500', "
                + "TIMESTAMP'2026-11-18 06:00:00', NULL, 'p1') AS t(notification_id, incident_id, incident_version, "
                + "sink, sink_type, status, attempts, last_error, created_at, delivered_at, payload_sha256)"));
        store.append(ResultTables.AFFECTED_CUSTOMERS, spark.sql("SELECT * FROM VALUES "
                + "('" + A + "', 'tn-02', 'Beta', 'finance', array('PCI DSS', 'SOX'), 12L), "
                + "('" + A + "', 'tn-01', 'Alpha <i>', NULL, array(), 3L) "
                + "AS t(incident_id, tenant_id, tenant_name, industry, regulations, event_count)"));
    }

    private static Dataset<Row> select(Map<String, String> columns) {
        List<String> exprs = new ArrayList<>();
        columns.forEach((name, expr) -> exprs.add(expr + " AS " + name));
        return spark.sql("SELECT " + String.join(", ", exprs));
    }

    @Test
    void theCaseRecordIsWhatSparkReadInEveryFormat() {
        for (String id : ALL) {
            CaseRecord viaSpark = CaseRecord.load(new SparkCaseSource(store), id);
            CaseRecord viaIceberg = CaseRecord.load(tables, id);
            for (CaseRecordFormat f : CaseRecordFormat.values()) {
                assertThat(f.render(viaIceberg)).as("%s as %s", id, f).isEqualTo(f.render(viaSpark));
            }
        }
        // What the comparison covers: ties broken by id, nulls first, rows that are not there left out.
        Map<String, Object> a = CaseRecord.load(tables, A).sections();
        assertThat(rows(a, "findings")).extracting(f -> f.get("finding_id"))
                .containsExactly("f-3", "f-1", "f-2");
        assertThat(rows(a, "actions taken")).extracting(f -> f.get("analyst"))
                .containsExactly("cy", "bo", "ana");
        assertThat((List<?>) a.get("related incidents")).hasSize(1);
        assertThat(((Map<?, ?>) a.get("incident")).get("last_seen")).isEqualTo("2026-11-18T02:30:00.123456Z");
        assertThat(((Map<?, ?>) a.get("ownership and escalation")).get("secondary_teams")).isEqualTo(List.of());
        assertThat(((Map<?, ?>) a.get("scope")).get("datacenters")).isEqualTo(List.of("eu-1", "null"));
        assertThat(((Map<?, ?>) a.get("evidence")).get("verification"))
                .isEqualTo("intact: every row matches its SHA-256 and the manifest matches");
        assertThatThrownBy(() -> CaseRecord.load(tables, "INC-20261101-00000000"))
                .isInstanceOf(NightshiftException.class)
                .hasMessage("no incident with id 'INC-20261101-00000000' (list them with: scripts/nightshift incident "
                        + "list)");
    }

    @Test
    void incidentShowPrintsTheRecordAsSparkReadIt() {
        for (String format : List.of("text", "json", "markdown")) {
            Printed shown = printed("incident", "show", A, "--format", format, "--config", config.toString());
            assertThat(shown.exitCode()).isZero();
            assertThat(shown.out()).as(format).isEqualTo(CaseRecordFormat.parse(format)
                    .render(CaseRecord.load(new SparkCaseSource(store), A)));
        }
    }

    @Test
    void incidentListIsSparksListing() {
        List<IncidentListing> listings = List.of(new IncidentListing(null, null, null),
                new IncidentListing(CaseStatus.NEW, null, null), new IncidentListing(null, Severity.HIGH, null),
                new IncidentListing(null, null, java.time.LocalDate.parse("2026-11-19")),
                new IncidentListing(CaseStatus.CLOSED, Severity.CRITICAL, null));
        for (IncidentListing listing : listings) {
            for (int limit : new int[] {200, 2, 0}) {
                IncidentListing.Page page = listing.read(tables, limit);
                SparkListing expected = SparkListing.of(listing, limit);
                assertThat(page.shown().stream().map(IncidentListing::cells).toList())
                        .as("%s, limit %d", listing, limit).isEqualTo(expected.cells());
                assertThat(page.total()).isEqualTo(expected.total());
            }
        }
        // Nulls first by priority, NaN above every score, equal scores by id.
        assertThat(new IncidentListing(null, null, null).read(tables, 200).shown())
                .extracting(r -> r.string("incident_id")).containsExactly(D, B, A, C, E);

        Printed listed = printed("incident", "list", "--limit", "2", "--config", config.toString());
        assertThat(listed.exitCode()).isZero();
        SparkListing top = SparkListing.of(new IncidentListing(null, null, null), 2);
        StringBuilder expected = new StringBuilder(String.format(SparkListing.FORMAT, "INCIDENT", "PRI", "SEVERITY",
                "STATUS", "OWNER", "UPDATED", "TITLE"));
        top.cells().forEach(cells -> expected.append(String.format(SparkListing.FORMAT, cells.toArray())));
        expected.append("5 incidents (2 shown; --limit for more)\n");
        assertThat(listed.out()).isEqualTo(expected.toString());
    }

    @Test
    void evidenceVerifiesAsSparkVerifies() {
        for (String id : ALL) {
            assertThat(new EvidenceVerifier(tables).verify(id)).as(id)
                    .isEqualTo(new SparkCaseSource(store).evidence(id));
        }
        EvidenceVerifier verifier = new EvidenceVerifier(tables);
        assertThat(verifier.verify(A).ok()).isTrue();
        assertThat(verifier.verify(A).rows()).isEqualTo(3);
        assertThat(verifier.verify(C).tamperedRows()).containsExactly("r-2");
        assertThat(verifier.verify(C).ok()).isFalse();
        assertThat(verifier.verify(B).noEvidence()).isTrue();
        assertThat(verifier.verify(B).ok()).isTrue();
        assertThat(verifier.verify(D).ok()).isFalse();
        assertThatThrownBy(() -> verifier.verify("INC-20261101-00000000"))
                .hasMessage("no incident with id 'INC-20261101-00000000'");
    }

    @Test
    void evidenceVerifySaysWhatItFound() {
        CapturedRun none = CapturedRun.of("evidence", "verify", "--incident", B, "--config", config.toString());
        assertThat(none.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(none.out()).isEqualTo(B + ": no evidence rows were preserved for this incident (its findings "
                + "point at no log rows), so there is nothing to verify\n");

        EvidenceVerifier.Result c = new SparkCaseSource(store).evidence(C);
        CapturedRun altered = CapturedRun.of("evidence", "verify", "--incident", C, "--config", config.toString());
        assertThat(altered.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(altered.out()).isEqualTo(C + ": 2 evidence rows\n"
                + "  manifest on incident: " + c.expectedManifest() + "\n"
                + "  manifest recomputed:  " + c.actualManifest() + "\n"
                + "  rows whose content no longer matches their hash: [r-2]\n"
                + "FAILED: evidence does not match its hashes\n");

        CapturedRun intact = CapturedRun.of("evidence", "verify", "--incident", A, "--config", config.toString());
        assertThat(intact.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(intact.out()).contains(A + ": 3 evidence rows").endsWith("OK: evidence intact\n");

        CapturedRun unknown = CapturedRun.of("evidence", "verify", "--incident", "INC-20261101-00000000",
                "--config", config.toString());
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(unknown.err()).contains("no incident with id 'INC-20261101-00000000'");
    }

    @Test
    void aWarehouseWithoutTheTablesIsNamedNotReadAsEmpty(@org.junit.jupiter.api.io.TempDir Path dir) {
        String elsewhere = dir.resolve("warehouse").toString();
        for (List<String> command : List.of(List.of("incident", "list"), List.of("incident", "show", A),
                List.of("evidence", "verify", "--incident", A))) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--config", config.toString(), "--warehouse", elsewhere));
            CapturedRun run = CapturedRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as("%s", command).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(run.err()).as("%s", command).contains("no table " + store.config().namespace()
                    + ".incidents in catalog '" + store.config().catalog() + "' (hadoop, warehouse " + elsewhere
                    + "): no night has written to this warehouse yet");
            assertThat(run.out()).as("%s", command).isEmpty();
        }
    }

    /**
     * The commands in a JVM of their own, as an analyst runs them: the same output as here, and neither a Spark session
     * nor Spark's SQL parser loaded (starting the one and initialising the other was most of what made them slow).
     * A few of Spark's classes are still loaded, not initialised: Iceberg's runtime registers its Spark readers when
     * it reads its first file.
     */
    @Test
    void theCommandsNeverLoadSpark() throws Exception {
        List<List<String>> commands = List.of(List.of("incident", "list"), List.of("incident", "show", A),
                List.of("evidence", "verify", "--incident", C), List.of("tables"),
                List.of("rules", "check", TestSpark.repoRoot().resolve("rules").toString()),
                List.of("rules", "list", TestSpark.repoRoot().resolve("rules").toString()));
        for (List<String> command : commands) {
            boolean reads = command.get(0).equals("incident") || command.get(0).equals("evidence");
            List<String> args = new ArrayList<>(command);
            if (reads) {
                args.addAll(List.of("--config", config.toString()));
            }
            Path classes = Files.createTempFile("nightshift-classes", ".log");
            Path err = Files.createTempFile("nightshift-stderr", ".txt");
            List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Dfile.encoding=UTF-8", "-Xlog:class+load=info:file=" + classes,
                    "-cp", System.getProperty("java.class.path"), NightshiftCli.class.getName()));
            line.addAll(args);
            Process p = new ProcessBuilder(line).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String loaded = Files.readString(classes);
            String errors = Files.readString(err);
            Files.delete(classes);
            Files.delete(err);
            assertThat(loaded).as("%s loaded", command).contains("io.nightshift.jobs.cli.NightshiftCli ")
                    .doesNotContain("org.apache.spark.sql.SparkSession ", "org.apache.spark.SparkContext ",
                            "org.apache.spark.SparkConf ", "org.apache.spark.sql.catalyst.parser.AbstractParser ");
            if (command.get(0).equals("incident")) {
                Printed here = printed(args.toArray(String[]::new));
                assertThat(out).as("%s in its own JVM", command).isEqualTo(here.out());
                assertThat(p.exitValue()).isEqualTo(here.exitCode());
            } else if (command.get(0).equals("evidence")) {
                CapturedRun here = CapturedRun.of(args.toArray(String[]::new));
                assertThat(out).as("%s in its own JVM", command).isEqualTo(here.out());
                assertThat(p.exitValue()).isEqualTo(here.exitCode());
            } else {
                assertThat(p.exitValue()).as("%s: %s", command, errors).isZero();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Map<String, Object> sections, String section) {
        return (List<Map<String, Object>>) sections.get(section);
    }

    /** A command's exit code and what it printed to its standard output, captured as text (no charset between). */
    record Printed(int exitCode, String out) {
    }

    private static Printed printed(String... args) {
        StringWriter out = new StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new NightshiftCli());
        cli.setOut(new PrintWriter(out));
        int code = cli.execute(args);
        return new Printed(code, out.toString());
    }

    /** The Spark query {@code incident list} ran before it read through Iceberg, and its cells as it printed them. */
    record SparkListing(List<List<String>> cells, long total) {
        static final String FORMAT = "%-21s %-3s %-13s %-14s %-20s %-10s %s%n";

        static SparkListing of(IncidentListing listing, int limit) {
            Column where = lit(true);
            if (listing.status() != null) {
                where = where.and(col("status").equalTo(listing.status().word()));
            }
            if (listing.severity() != null) {
                List<String> atLeast = new ArrayList<>();
                for (Severity s : Severity.values()) {
                    if (s.compareTo(listing.severity()) >= 0) {
                        atLeast.add(s.word());
                    }
                }
                where = where.and(col("severity").isin(atLeast.toArray()));
            }
            if (listing.since() != null) {
                where = where.and(col("updated_date").geq(lit(listing.since().toString()).cast("date")));
            }
            Dataset<Row> rows = store.read(ResultTables.INCIDENTS).where(where)
                    .orderBy(col("priority"), col("severity_score").desc(), col("incident_id"))
                    .select(IncidentListing.COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
            List<List<String>> cells = new ArrayList<>();
            for (Row r : rows.limit(limit).collectAsList()) {
                List<String> row = new ArrayList<>();
                for (int c = 0; c < r.size(); c++) {
                    row.add(r.isNullAt(c) ? "-" : CaseRecordFormat.plain(r.get(c)));
                }
                cells.add(row);
            }
            return new SparkListing(cells, rows.count());
        }
    }
}
