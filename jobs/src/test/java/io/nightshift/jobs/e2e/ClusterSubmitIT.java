package io.nightshift.jobs.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.nightshift.jobs.ObjectStoreServers;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.after.maintenance.MaintenanceJob;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.lakegen.GeneratorSpec;
import io.nightshift.lakegen.LakeGenerator;

/**
 * End to end on a real Spark standalone cluster, slow (a few minutes; a failsafe integration test because it needs
 * the packaged jars): starts a loopback master and worker with {@code scripts/cluster-up}, submits {@code run} with
 * {@code scripts/submit} (the submit jar without Spark, Iceberg and the S3 connector shipped with --jars, executors in
 * the worker's own JVMs reading the lake from an S3 bucket and writing the warehouse), runs the same date locally
 * with {@code scripts/nightshift} into a second warehouse, and checks that both warehouses hold the same rows.
 */
class ClusterSubmitIT {
    static final LocalDate START = LocalDate.parse("2026-10-01");
    static final int DAYS = 5;
    /** The last day: an error storm (trend findings) and a known-bad IP (threat intelligence) with seed 11. */
    static final LocalDate DATE = START.plusDays(DAYS - 1L);
    static final String NAMESPACE = "it";

    /**
     * Columns that legitimately differ between two runs of the same date, per table; every other column of every
     * table must be equal. job_runs: the run id is random, the times and stage durations are wall-clock, and the
     * master and application id say where the run happened (spark_master is checked separately below).
     * model_registry: the training time is wall-clock, and the model is stored inside each run's own warehouse;
     * its model card is compared without the model uids (see {@link #withoutModelUids}). detection_metrics: the
     * times to detect, triage and close are measured to the wall-clock end of each warehouse's own runs.
     */
    static final Map<String, List<String>> RUN_SPECIFIC_COLUMNS = Map.of(
            "job_runs", List.of("run_id", "started_at", "ended_at", "stage_seconds", "spark_master", "spark_app_id"),
            "model_registry", List.of("trained_at", "path"),
            "detection_metrics", List.of("median_minutes_to_detect", "median_hours_to_triage", "median_hours_to_close",
                    "computed_at"));

    /** The lake, both warehouses, the cluster and the output of every script; kept after the test for a look. */
    static Path dir;
    static Path repo;
    /** pid files and logs of the cluster, and the worker's folder with the executors' logs. */
    static Path clusterDir;
    static Map<String, String> env;
    static String master;
    static Path config;
    static SparkSession spark;

    @BeforeAll
    static void generateLakeAndStartCluster() throws Exception {
        repo = TestSpark.repoRoot();
        dir = repo.resolve("jobs/target/cluster-it");
        clusterDir = dir.resolve("cluster");
        env = Map.of(
                "NIGHTSHIFT_CLUSTER_DIR", clusterDir.toString(),
                // Maven packaged the jars in this very build; the scripts must not start another Maven.
                "NIGHTSHIFT_NO_BUILD", "1",
                // Free ports, not Spark's defaults: other builds on the machine may run a cluster too.
                "NIGHTSHIFT_MASTER_PORT", String.valueOf(freePort()),
                "NIGHTSHIFT_MASTER_UI_PORT", String.valueOf(freePort()),
                "NIGHTSHIFT_WORKER_UI_PORT", String.valueOf(freePort()),
                // The local run of scripts/nightshift: the cores a worker offers here, a modest heap.
                "NIGHTSHIFT_MASTER", "local[2]",
                "NIGHTSHIFT_DRIVER_MEMORY", "2g");
        script("cluster-down");   // a cluster left by an earlier, killed run of this test
        deleteRecursively(dir);
        Files.createDirectories(clusterDir);

        spark = TestSpark.session();
        Path sample = dir.resolve("sample");
        LakeGenerator.generate(spark, new GeneratorSpec(11L, START, DAYS, 2000, sample, true));
        // The lake, reference data and feeds where a company keeps them: in an S3 bucket (the S3 server of
        // scripts/objectstore-up), read by the driver and by the executors through the connector that
        // scripts/submit --connector s3 ships.
        assertThat(script("connectors", "s3").exitCode()).as("scripts/connectors s3").isZero();
        Map<String, String> s3a = ObjectStoreServers.s3aSettings();
        String bucket = "s3a://" + ObjectStoreServers.up().get("NIGHTSHIFT_S3_BUCKET") + "/cluster-it-"
                + System.currentTimeMillis();
        String uploaded = bucket + "/sample";
        ObjectStoreServers.upload(sample, uploaded);
        List<String> lines = new ArrayList<>(List.of(
                "lake: {root: '" + uploaded + "/lake', dedup_key: event_id}",
                "warehouse: {path: '" + dir.resolve("unused-warehouse") + "', catalog: nightshift, namespace: "
                        + NAMESPACE + "}",
                "reference: {service_catalog: '" + uploaded + "/reference/service_catalog.csv', "
                        + "tenant_directory: '" + uploaded + "/reference/tenants.csv'}",
                "rules: {directory: '" + repo.resolve("rules") + "'}",
                "intel: {directory: '" + uploaded + "/threat_intel'}",
                "trends: {history_days: 4, min_history_points: 3}",
                "anomaly: {training_days: 4}",
                "spark:"));
        s3a.forEach((k, v) -> lines.add("  " + k + ": '" + v + "'"));
        lines.add("");
        config = Files.writeString(dir.resolve("nightshift.yaml"), String.join("\n", lines));

        ScriptRun up = script("cluster-up", "--workers", "1", "--cores", "2", "--memory", "2g");
        assertThat(up.exitCode()).as("scripts/cluster-up exit code; logs in %s", dir).isZero();
        master = up.stdout().strip();
        assertThat(master).isEqualTo("spark://127.0.0.1:" + env.get("NIGHTSHIFT_MASTER_PORT"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (env != null) {
            ScriptRun down = script("cluster-down");
            assertThat(down.exitCode()).as("scripts/cluster-down exit code").isZero();
            assertThat(script("cluster-down").exitCode()).as("scripts/cluster-down, a second time").isZero();
        }
    }

    @Test
    void aRunSubmittedToTheClusterWritesTheSameTablesAsALocalRun() throws Exception {
        Path onCluster = dir.resolve("warehouse-cluster");
        Path local = dir.resolve("warehouse-local");

        // Both runs use the same shuffle partitions (the local default of 8; Spark's cluster default of 200 would
        // make a thousand stages of 200 tasks on this small lake). Not a convenience: the log-anomaly model
        // trained on the same rows currently depends on the partitioning (with 3 partitions instead of 8 the
        // silhouette picked other k per view and every anomaly score changed), so only equal settings can give
        // equal tables; see the README's known limits.
        String partitions = "spark.sql.shuffle.partitions=8";
        ScriptRun submitted = script("submit", "--project-spark", "--connector", "s3", "--master", master,
                "--deploy-mode", "client",
                "--driver-memory", "2g", "--executor-memory", "1g", "--conf", partitions,
                "run", "--date", DATE.toString(), "--config", config.toString(), "--warehouse", onCluster.toString());
        assertThat(submitted.exitCode()).as("scripts/submit exit code; logs in %s", dir).isEqualTo(ExitCodes.OK);
        ScriptRun ranLocally = script("nightshift", "run", "--date", DATE.toString(), "--config", config.toString(),
                "--warehouse", local.toString(), "--conf", partitions);
        assertThat(ranLocally.exitCode()).as("scripts/nightshift exit code").isEqualTo(ExitCodes.OK);

        // The executors ran in the worker and got Iceberg from --jars: the worker has no Iceberg of its own.
        try (Stream<Path> files = Files.walk(clusterDir.resolve("worker-1"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("iceberg-spark-runtime-"));
        }
        register("on_cluster", onCluster);
        register("local", local);
        assertThat(spark.sql("SELECT DISTINCT spark_master FROM on_cluster." + NAMESPACE + ".job_runs")
                .as(Encoders.STRING()).collectAsList()).containsExactly(master);
        for (String table : List.of("findings", "incidents", "anomaly_scores", "trend_hourly")) {
            assertThat(spark.table("on_cluster." + NAMESPACE + "." + table).count())
                    .as("rows of %s written on the cluster", table).isPositive();
        }

        // Every table, every row: what one run wrote and the other did not (a few rows each, for the message).
        Map<String, List<String>> differences = new TreeMap<>();
        for (ResultTable table : ResultTables.all()) {
            List<String> skipped = RUN_SPECIFIC_COLUMNS.getOrDefault(table.name(), List.of());
            Dataset<String> a = rows("on_cluster", table.name(), skipped);
            Dataset<String> b = rows("local", table.name(), skipped);
            List<String> rows = new ArrayList<>();
            a.exceptAll(b).limit(3).collectAsList().forEach(r -> rows.add("only on the cluster: " + r));
            b.exceptAll(a).limit(3).collectAsList().forEach(r -> rows.add("only locally: " + r));
            if (!rows.isEmpty()) {
                differences.put(table.name(), rows);
            }
        }
        assertThat(differences).as("tables whose rows differ between the cluster run and the local run").isEmpty();
    }

    /** Rows of a table as JSON, without the columns that differ from run to run. */
    private static Dataset<String> rows(String catalog, String table, List<String> skipped) {
        Dataset<Row> rows = spark.table(catalog + "." + NAMESPACE + "." + table);
        if (table.equals("job_runs")) {
            // The maintenance after the run counts data files, and how many files a write makes depends on where
            // its tasks ran; that it ran, and how it ended, is compared.
            rows = rows.withColumn("stage_counts", when(col("command").equalTo(MaintenanceJob.COMMAND), lit(null))
                    .otherwise(col("stage_counts")));
        }
        Dataset<String> json = rows.drop(skipped.toArray(String[]::new)).toJSON();
        return table.equals("model_registry")
                ? json.map((MapFunction<String, String>) ClusterSubmitIT::withoutModelUids, Encoders.STRING())
                : json;
    }

    /**
     * A model_registry row with its model card parsed, the model uids removed and every object's keys sorted. The
     * card names each view's model by the uid Spark ML draws at random for every estimator, and lists the params in
     * an order that follows their hash, which includes that uid; everything else in the card is compared.
     */
    static String withoutModelUids(String rowJson) throws IOException {
        ObjectMapper mapper = JsonMapper.builder().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                .build();
        Map<String, Object> row = mapper.readValue(rowJson, new TypeReference<Map<String, Object>>() { });
        Map<String, Map<String, Object>> card = mapper.readValue((String) row.get("model_card"),
                new TypeReference<Map<String, Map<String, Object>>>() { });
        card.values().forEach(view -> view.remove("model_uid"));
        row.put("model_card", card);
        return mapper.writeValueAsString(row);
    }

    /** Makes the warehouse at {@code path} readable in this session as catalog {@code name}. */
    private static void register(String name, Path path) {
        spark.conf().set("spark.sql.catalog." + name, "org.apache.iceberg.spark.SparkCatalog");
        spark.conf().set("spark.sql.catalog." + name + ".type", "hadoop");
        spark.conf().set("spark.sql.catalog." + name + ".warehouse", path.toString());
    }

    record ScriptRun(int exitCode, String stdout) {
    }

    /**
     * Runs {@code scripts/NAME ARGS} from the repository root with {@link #env}, its output in files of
     * {@link #dir} and echoed here (a child process must not write to a forked test JVM's own stdout).
     */
    private static ScriptRun script(String name, String... args) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(repo.resolve("scripts/" + name).toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, name + "-", ".out");
        Path err = Files.createTempFile(dir, name + "-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(20, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("scripts/" + name + " did not finish within 20 minutes; see " + err);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        System.out.println("$ scripts/" + name + " " + String.join(" ", args) + "  (exit " + process.exitValue() + ")");
        System.out.print(stdout);
        System.out.print(Files.readString(err, StandardCharsets.UTF_8));
        return new ScriptRun(process.exitValue(), stdout);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
