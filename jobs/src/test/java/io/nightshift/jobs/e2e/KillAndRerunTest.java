package io.nightshift.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.nightshift.jobs.EndToEnd;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.cli.NightshiftCli;
import io.nightshift.lakegen.GeneratorSpec;
import io.nightshift.lakegen.LakeGenerator;
import io.nightshift.jobs.store.WarehouseLock;

/**
 * A run stopped with SIGTERM at the start of publishing, or killed with SIGKILL (no shutdown hooks, no cleanup) 1.5 s
 * into it, then rerun,
 * leaves exactly the tables of a run that was never interrupted — and no lock behind. The interrupted run's
 * {@code job_runs} row never stays {@code running}: on SIGTERM the command stops its Spark jobs and records the run
 * failed (exit 143), and the rerun marks a SIGKILLed one abandoned.
 */
@EndToEnd
class KillAndRerunTest {
    static SparkSession spark;
    @TempDir
    static Path dir;
    static final LocalDate START = LocalDate.parse("2026-10-01");
    static final LocalDate NIGHT = START.plusDays(3);
    static final List<String> TABLES = List.of("trend_hourly", "trend_daily", "trend_host_hourly",
            "trend_entity_hourly", "findings", "log_templates", "anomaly_scores", "incidents", "incident_evidence",
            "affected_customers", "quarantine");
    static String reference;

    @BeforeAll
    static void generateAndRunOnceUninterrupted() throws Exception {
        spark = TestSpark.session();
        LakeGenerator.generate(spark, new GeneratorSpec(11L, START, 4, 1500, dir.resolve("sample"), true));
        String namespace = TestSpark.freshWarehouse().namespace();
        runTheNightBefore(namespace);
        assertThat(NightshiftCli.execute("run", "--date", NIGHT.toString(), "--config", config(namespace).toString()))
                .isEqualTo(ExitCodes.OK);
        reference = namespace;
    }

    /**
     * The steady state a nightly run is killed in: history aggregated and a model trained by an earlier night. (A
     * model trained by a killed run stays registered and is used by the rerun; whether training in another process
     * reproduces a model bit for bit is not what this test is about.)
     */
    private static void runTheNightBefore(String namespace) throws Exception {
        assertThat(NightshiftCli.execute("run", "--date", NIGHT.minusDays(1).toString(), "--config",
                config(namespace).toString())).isEqualTo(ExitCodes.OK);
    }

    private static Path config(String namespace) throws Exception {
        return Files.writeString(dir.resolve(namespace + ".yaml"), String.join("\n",
                "lake: {root: sample/lake, dedup_key: event_id}",
                "warehouse: {path: '" + TestSpark.warehouse() + "', catalog: nightshift, namespace: " + namespace + "}",
                "reference: {service_catalog: sample/reference/service_catalog.csv, "
                        + "tenant_directory: sample/reference/tenants.csv}",
                "rules: {directory: '" + TestSpark.repoRoot().resolve("rules") + "'}",
                "intel: {directory: sample/threat_intel}",
                "trends: {history_days: 3, min_history_points: 2}",
                "anomaly: {training_days: 3}",
                ""));
    }

    /**
     * Starts {@code nightshift run} in its own JVM and sends it {@code signal} (KILL or TERM) {@code delayMillis} after
     * it prints {@code marker}.
     */
    private static void runAndKill(Path config, String marker, long delayMillis, String signal) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx2g",
                // The same Spark settings as the test session (TestSpark): a model trained by the killed run and
                // one trained in-process must see the same partitioning to come out the same.
                "-Dnightshift.local.master=local[2]", "-Dspark.sql.shuffle.partitions=2",
                "-Dspark.default.parallelism=2", "-Dspark.ui.enabled=false"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-XX:+IgnoreUnrecognized") || arg.startsWith("-Djdk.")
                    || arg.startsWith("-Dio.netty")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NightshiftCli.class.getName(),
                "run", "--date", NIGHT.toString(), "--config", config.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean killed = false;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println("  [child] " + line);
                if (line.contains(marker)) {
                    Thread.sleep(delayMillis);
                    if (signal.equals("KILL")) {
                        child.destroyForcibly(); // SIGKILL on Linux
                    } else {
                        child.destroy(); // SIGTERM: the JVM runs its shutdown hooks
                    }
                    killed = true;
                    break;
                }
            }
        }
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(killed).as("the child reached '%s' before it ended (exit %s)", marker, child.exitValue()).isTrue();
        assertThat(child.exitValue()).as("ended by SIG%s", signal).isEqualTo(signal.equals("KILL") ? 137 : 143);
    }

    private static List<String> rows(String namespace, String table) {
        spark.sql("REFRESH TABLE nightshift." + namespace + "." + table);
        return spark.sql("SELECT * FROM nightshift." + namespace + "." + table).toJSON().collectAsList().stream()
                .sorted().toList();
    }

    private static List<Row> runsOfTheNight(String namespace) {
        spark.sql("REFRESH TABLE nightshift." + namespace + ".job_runs");
        return spark.sql("SELECT run_id, status, error_message FROM nightshift." + namespace + ".job_runs "
                + "WHERE command = 'run' AND logical_date = DATE'" + NIGHT + "' ORDER BY started_at").collectAsList();
    }

    @ParameterizedTest(name = "SIG{2} {1} ms after \"{0}\"")
    @CsvSource({
            "'compute ', 0, TERM",
            "'compute ', 1500, KILL"})
    void aKilledRunRerunLeavesTheTablesOfAnUninterruptedRun(String marker, long delayMillis, String signal)
            throws Exception {
        String namespace = TestSpark.freshWarehouse().namespace();
        Path config = config(namespace);
        runTheNightBefore(namespace);
        runAndKill(config, marker, delayMillis, signal);
        if (signal.equals("KILL")) {
            assertThat(TestSpark.warehouse().resolve(WarehouseLock.FILE_NAME)).as("the killed run's lock is left")
                    .exists();
        }
        List<Row> interrupted = runsOfTheNight(namespace);
        assertThat(interrupted).singleElement().satisfies(r -> {
            if (signal.equals("TERM")) {
                assertThat(r.getString(1)).isEqualTo("failed");
                assertThat(r.getString(2)).contains("stopped by SIGTERM while the run was in progress");
            } else {
                assertThat(r.getString(1)).as("SIGKILL runs no hook").isEqualTo("running");
            }
        });

        assertThat(NightshiftCli.execute("run", "--date", NIGHT.toString(), "--config", config.toString()))
                .isEqualTo(ExitCodes.OK);

        assertThat(TestSpark.warehouse().resolve(WarehouseLock.FILE_NAME)).as("no lock after the rerun").doesNotExist();
        for (String table : TABLES) {
            assertThat(rows(namespace, table)).as("table %s", table).isEqualTo(rows(reference, table));
        }
        List<Row> runs = runsOfTheNight(namespace);
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).getString(1)).as("the interrupted run, after the rerun")
                .isEqualTo(signal.equals("TERM") ? "failed" : "abandoned");
        assertThat(runs.get(1).getString(1)).isEqualTo("succeeded");
    }
}
