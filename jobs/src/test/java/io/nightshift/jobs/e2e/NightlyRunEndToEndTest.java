package io.nightshift.jobs.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.EndToEnd;
import io.nightshift.jobs.TestNights;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.cli.NightshiftCli;
import io.nightshift.jobs.config.AnomalyConfig;
import io.nightshift.jobs.config.ConfigLoader;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.detect.clusters.ClusterStage;
import io.nightshift.jobs.detect.clusters.LogAnomalyModel;
import io.nightshift.jobs.detect.clusters.ScoringModel;
import io.nightshift.lakegen.GeneratorSpec;
import io.nightshift.lakegen.LakeGenerator;
import io.nightshift.jobs.lake.LakeReader;
import io.nightshift.jobs.pipeline.ModelFreshness;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.stage.StageOutputs;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.models.templates.MinedTemplate;

/**
 * End to end, slow: generates a small lake, runs the real {@code run} command (every stage) for its last date
 * through the command line, checks the tables, and reruns to check the tables did not change.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
@EndToEnd
class NightlyRunEndToEndTest {
    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path config;
    static final LocalDate START = LocalDate.parse("2026-10-01");
    /** The run date: the brute-force scenario's day, so the night has rule findings with evidence rows. */
    static LocalDate LAST;

    @BeforeAll
    static void generate() throws Exception {
        spark = TestSpark.session();
        LakeGenerator.generate(spark, new GeneratorSpec(7L, START, 9, 4000, dir.resolve("sample"), true));
        for (var s : new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                dir.resolve("sample/ground_truth.json").toFile())) {
            if (s.get("kind").asText().equals("brute_force")) {
                LAST = LocalDate.parse(s.get("date").asText());
            }
        }
        String namespace = "e2e_" + ProcessHandle.current().pid();
        config = TestSpark.generatedLakeConfig(dir, namespace,
                "trends: {history_days: 7, min_history_points: 5}",
                "anomaly: {training_days: 5}",
                "notifications: {sinks: [{name: outbox, type: directory, path: outbox}]}");
    }

    private static int run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return NightshiftCli.execute(args);
        } finally {
            System.setOut(saved);
            System.out.print(out.toString(StandardCharsets.UTF_8));
        }
    }

    private static List<String> table(String sql) {
        return spark.sql(sql).toJSON().collectAsList().stream().sorted().toList();
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void runWritesEveryTableAndARerunChangesNothing() {
        assertThat(run("run", "--date", LAST.toString(), "--config", config.toString())).isEqualTo(ExitCodes.OK);
        String ns = "nightshift.e2e_" + ProcessHandle.current().pid();
        String day = "DATE'" + LAST + "'";

        List<Row> runs = spark.sql("SELECT command, status, input_rows, stage_counts FROM " + ns + ".job_runs")
                .collectAsList();
        assertThat(runs).anySatisfy(r -> {
            assertThat(r.<String>getAs("command")).isEqualTo("run");
            assertThat(r.<String>getAs("status")).isEqualTo("succeeded");
            assertThat(r.<Long>getAs("input_rows")).isGreaterThan(3000L);
        });
        assertThat(runs).anySatisfy(r -> assertThat(r.<String>getAs("command")).isEqualTo("bootstrap-history"));
        // Choosing (here: training) the model before the read pass is timed apart from reading the lake.
        assertThat(spark.sql("SELECT stage_seconds FROM " + ns + ".job_runs WHERE command = 'run'").first()
                .<String, Double>getJavaMap(0)).containsKeys("plan", "read-lake");
        long events = spark.sql("SELECT sum(event_count) FROM " + ns + ".trend_hourly WHERE date = " + day)
                .first().getLong(0);
        long read = spark.read().parquet(dir.resolve("sample/lake/date=" + LAST).toString()).count();
        assertThat(events).isEqualTo(read);
        long historyDays = Math.min(7, java.time.temporal.ChronoUnit.DAYS.between(START, LAST));
        assertThat(spark.sql("SELECT count(DISTINCT date) FROM " + ns + ".trend_hourly").first().getLong(0))
                .as("history bootstrapped for the trailing days plus the run's date").isEqualTo(historyDays + 1);
        List<Row> templates = spark.sql("SELECT template_id, template, is_new FROM " + ns
                + ".log_templates WHERE date = " + day).collectAsList();
        assertThat(templates).hasSizeGreaterThan(10);
        // Learned templates take their text from the model, new ones from their rows: each text is its id's.
        assertThat(templates).allSatisfy(t ->
                assertThat(MinedTemplate.idOf(t.getString(1))).isEqualTo(t.getString(0)));
        assertThat(templates).anySatisfy(t -> assertThat(t.getBoolean(2)).isFalse());
        assertThat(spark.sql("SELECT * FROM " + ns + ".anomaly_scores WHERE date = " + day).count()).isGreaterThan(100);
        assertThat(spark.sql("SELECT * FROM " + ns + ".model_registry").count()).isEqualTo(1);
        // After the commit, each incident of the night went to the directory sink, one file per incident version.
        long nightIncidents = spark.sql("SELECT * FROM " + ns + ".incidents WHERE updated_date = " + day).count();
        assertThat(nightIncidents).isPositive();
        assertThat(spark.sql("SELECT * FROM " + ns + ".notifications WHERE status = 'delivered'").count())
                .isEqualTo(nightIncidents);
        assertThat(dir.resolve("outbox").toFile().list()).hasSize((int) nightIncidents);

        List<String> tables = List.of("trend_hourly", "trend_daily", "findings", "log_templates", "anomaly_scores",
                "incidents", "incident_evidence", "affected_customers", "quarantine", "notifications");
        List<List<String>> before = tables.stream().map(t -> table("SELECT * FROM " + ns + "." + t)).toList();
        // The rerun splits the input and the shuffles differently, as another cluster (or the same one on another
        // night) would: task and merge order must not show in the tables.
        Map<String, String> saved = Map.of("spark.sql.shuffle.partitions", spark.conf().get("spark.sql.shuffle.partitions"),
                "spark.sql.files.maxPartitionBytes", spark.conf().get("spark.sql.files.maxPartitionBytes"));
        try {
            assertThat(run("run", "--date", LAST.toString(), "--config", config.toString(),
                    "--conf", "spark.sql.shuffle.partitions=5", "--conf", "spark.sql.files.maxPartitionBytes=65536"))
                    .isEqualTo(ExitCodes.OK);
        } finally {
            saved.forEach(spark.conf()::set);
        }
        List<List<String>> after = tables.stream().map(t -> table("SELECT * FROM " + ns + "." + t)).toList();
        for (int i = 0; i < tables.size(); i++) {
            assertThat(after.get(i)).as("table %s after a rerun", tables.get(i)).isEqualTo(before.get(i));
        }
    }

    /**
     * The nightly run assigns templates while it reads the lake ({@link ClusterStage#beforeCache}); the stage run
     * alone over the canonical rows assigns them itself. Both must stage the same templates, scores and findings.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void clusterStageAloneStagesWhatTheNightlyRunWrote() {
        String ns = "nightshift.e2e_" + ProcessHandle.current().pid();
        NightshiftConfig cfg = ConfigLoader.load(config, config.getParent());
        Dataset<Row> logs = new LakeReader(spark, cfg.lake()).read(LAST).cachedRows();
        StageOutputs outputs = StageOutputs.empty();
        try {
            ScoringModel tonight = new ModelFreshness(cfg, new ResultsStore(spark, cfg.warehouse()),
                    new Progress(System.err, "[cluster alone] ")).tonight(LAST, null).orElseThrow();
            outputs = new ClusterStage(tonight, cfg.anomaly(), cfg.incidents().maxEvidencePerFinding())
                    .run(TestNights.of(spark, LAST, logs));
            for (ResultTable t : List.of(ResultTables.LOG_TEMPLATES, ResultTables.ANOMALY_SCORES)) {
                Dataset<Row> staged = outputs.get(t);
                Dataset<Row> written = spark.table(ns + "." + t.name())
                        .where(col("date").equalTo(lit(LAST.toString()).cast("date"))).select(staged.columns()[0],
                                java.util.Arrays.copyOfRange(staged.columns(), 1, staged.columns().length));
                assertThat(staged.toJSON().collectAsList().stream().sorted().toList()).as(t.name())
                        .hasSizeGreaterThan(10).isEqualTo(written.toJSON().collectAsList().stream().sorted().toList());
            }
            String[] finding = {"detector_id", "user", "host", "service", "first_seen", "last_seen", "score",
                "evidence_row_ids"};
            Dataset<Row> stagedFindings = outputs.get(ResultTables.FINDINGS).selectExpr(finding);
            Dataset<Row> writtenFindings = spark.table(ns + ".findings").where(col("detector").equalTo("cluster")
                    .and(col("date").equalTo(lit(LAST.toString()).cast("date")))).selectExpr(finding);
            assertThat(stagedFindings.toJSON().collectAsList().stream().sorted().toList())
                    .isEqualTo(writtenFindings.toJSON().collectAsList().stream().sorted().toList());
        } finally {
            outputs.tables().values().forEach(Dataset::unpersist);
            logs.unpersist();
        }
    }

    /** The parts load side by side; what one part throws still reaches the caller as thrown. */
    @Test
    @org.junit.jupiter.api.Order(2)
    void theNightsModelLoadsEveryViewAndNamesOneItWasNotTrainedFor() {
        String ns = "nightshift.e2e_" + ProcessHandle.current().pid();
        NightshiftConfig cfg = ConfigLoader.load(config, config.getParent());
        String path = spark.sql("SELECT path FROM " + ns + ".model_registry").first().getString(0);

        LogAnomalyModel model = LogAnomalyModel.load(path, cfg.anomaly().views());
        assertThat(model.views()).extracting(v -> v.view().name())
                .containsExactlyElementsOf(cfg.anomaly().views().stream().map(AnomalyConfig.View::name).toList());
        assertThat(model.templates().templateList()).hasSizeGreaterThan(10);

        List<AnomalyConfig.View> withUntrained = new java.util.ArrayList<>(cfg.anomaly().views());
        withUntrained.add(new AnomalyConfig.View("tenant_5m", List.of("tenant_id"), "5m"));
        assertThatThrownBy(() -> LogAnomalyModel.load(path, withUntrained))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no view 'tenant_5m'; retrain");
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void evidenceVerifiesExportsAsOcsfAndAFalsePositiveVerdictSuppressesItsFindings() throws Exception {
        String ns = "nightshift.e2e_" + ProcessHandle.current().pid();
        Row incident = spark.sql("SELECT incident_id, fingerprints FROM " + ns + ".incidents i WHERE EXISTS "
                + "(SELECT 1 FROM " + ns + ".incident_evidence e WHERE e.incident_id = i.incident_id) "
                + "ORDER BY severity_score DESC, incident_id LIMIT 1").first();
        String id = incident.getAs("incident_id");
        assertThat(run("evidence", "verify", "--incident", id, "--config", config.toString())).isEqualTo(ExitCodes.OK);

        Path ocsf = dir.resolve("night.ocsf.jsonl");
        assertThat(run("export", "--date", LAST.toString(), "--format", "ocsf", "--out", ocsf.toString(),
                "--config", config.toString())).isEqualTo(ExitCodes.OK);
        List<String> lines = Files.readAllLines(ocsf);
        assertThat(lines).anyMatch(l -> l.contains("\"class_uid\":2005") && l.contains(id));
        assertThat(lines).anyMatch(l -> l.contains("\"class_uid\":2004"));
        for (String l : lines) {
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(l).get("metadata").get("version")
                    .asText()).isEqualTo("1.3.0");
        }

        assertThat(run("triage", "--incident", id, "--verdict", "false_positive", "--analyst", "ana",
                "--note", "expected maintenance", "--config", config.toString())).isEqualTo(ExitCodes.OK);
        assertThat(spark.sql("SELECT status FROM " + ns + ".incidents WHERE incident_id = '" + id + "'").first()
                .getString(0)).isEqualTo("false_positive");
        List<String> fingerprints = incident.getList(incident.fieldIndex("fingerprints"));

        assertThat(run("run", "--date", LAST.toString(), "--config", config.toString())).isEqualTo(ExitCodes.OK);
        List<Row> again = spark.sql("SELECT suppressed, suppression_reason FROM " + ns + ".findings WHERE date = DATE'"
                + LAST + "' AND fingerprint IN ('" + String.join("','", fingerprints) + "')").collectAsList();
        assertThat(again).isNotEmpty().allSatisfy(r -> {
            assertThat(r.<Boolean>getAs("suppressed")).isTrue();
            assertThat(r.<String>getAs("suppression_reason")).contains("false positive per triage of " + id, "ana");
        });

        // Tampering with preserved evidence is detected.
        spark.sql("UPDATE " + ns + ".incident_evidence SET log_json = concat(log_json, ' ') WHERE incident_id = '"
                + id + "'");
        assertThat(run("evidence", "verify", "--incident", id, "--config", config.toString()))
                .isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(run("triage", "--incident", "INC-1'; DROP TABLE x", "--verdict", "benign", "--analyst", "ana",
                "--config", config.toString())).isEqualTo(ExitCodes.USAGE);
    }
}
