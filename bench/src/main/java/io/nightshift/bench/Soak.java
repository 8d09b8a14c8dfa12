package io.nightshift.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.base.SparkSessions;
import io.nightshift.jobs.config.MaintenanceConfig;
import io.nightshift.lakegen.LakeGenerator;
import io.nightshift.jobs.store.ResultsStore;

/**
 * {@code scripts/bench --soak}: consecutive nights against one warehouse, the way a scheduler runs them, each
 * {@code nightshift run --date D} its own process (timed, its peak memory sampled), with warehouse maintenance on.
 * After each night the warehouse is checked ({@link SoakChecks}, {@link SnapshotCensus}) and one line printed; at the
 * end a {@link SoakVerdict}. The process output of every night goes to {@code logs/run-D.log} in the soak folder.
 *
 * <p>The retention is short (minutes, not days): Iceberg expires snapshots by their wall-clock commit time, and the
 * soak's fourteen logical nights pass in an hour or a few, so a retention of days would expire nothing. A retention
 * shorter than one night reaches in two nights the steady state that seven days of retention reach in production.
 */
final class Soak {
    /**
     * @param rowsPerDay   rows a day of the generated lake
     * @param historyDays  lake days before the first night (its trend history and model training)
     * @param trainingDays {@code anomaly.training_days} of the soak's configuration
     * @param nights       consecutive nights to run
     * @param maintenance  the maintenance section the soak's configuration gets
     * @param retention    {@code maintenance.snapshot_retention} as written, for the configuration and messages
     * @param indicators   threat-intel indicators in the feed
     * @param driverMemory heap of each night's JVM
     * @param keep         keep the lake for a later {@code reuse}
     * @param reuse        reuse a lake kept by an earlier soak of the same size
     */
    record Settings(long rowsPerDay, int historyDays, int trainingDays, int nights, MaintenanceConfig maintenance,
                    String retention, int indicators, String driverMemory, boolean keep, boolean reuse) {
    }

    private final Settings settings;
    private final Runner runner;
    private final Path root;

    Soak(Settings settings, Path home, Path root) {
        this.settings = settings;
        this.root = root;
        this.runner = new Runner(home, root, settings.driverMemory());
    }

    /** Runs the soak; 0 when the verdict passes, 1 otherwise. */
    int run() throws IOException, InterruptedException {
        Benchmark.prepareLake(runner, root, settings.rowsPerDay(), settings.historyDays() + settings.nights(),
                settings.indicators(), settings.reuse());
        MaintenanceConfig m = settings.maintenance();
        Path config = runner.writeConfig(settings.trainingDays(), "maintenance: {after_run: true, "
                + "snapshot_retention: '" + settings.retention() + "', min_snapshots: " + m.minSnapshots()
                + ", compact_min_files: " + m.compactMinFiles() + ", compact_min_manifests: " + m.compactMinManifests() + "}");
        System.out.printf("soak: %d nights of %,d rows a day on one warehouse (%s), maintenance after each night: "
                        + "snapshot_retention %s, min_snapshots %d; process output in %s%n", settings.nights(),
                settings.rowsPerDay(), root.resolve("warehouse"), settings.retention(), m.minSnapshots(),
                root.resolve("logs"));
        List<SoakNight> nights = new ArrayList<>();
        Map<String, String> conf = new LinkedHashMap<>(runner.storeConf());
        // Every check must see what the night just committed, not the catalog's cached table metadata.
        conf.put("spark.sql.catalog." + runner.warehouse().catalog() + ".cache-enabled", "false");
        try (SparkSession spark = SparkSessions.create("nightshift-bench-soak", conf)) {
            SoakChecks checks = new SoakChecks(new ResultsStore(spark, runner.warehouse()));
            List<LocalDate> processed = new ArrayList<>();
            for (int i = 1; i <= settings.nights(); i++) {
                LocalDate date = Benchmark.START.plusDays(settings.historyDays() + i - 1L);
                Runner.Measured measured;
                try {
                    measured = runner.logged("night " + date, root.resolve("logs/run-" + date + ".log"), "run",
                            "--date", date.toString(), "--config", config.toString());
                } catch (IllegalStateException e) {
                    System.out.println("night " + i + " " + date + " FAILED: " + e.getMessage());
                    System.out.println("SOAK FAILED");
                    return 1;
                }
                processed.add(date);
                SoakNight night = check(spark, checks, i, date, measured, processed);
                System.out.println(night.line());
                nights.add(night);
            }
        }
        SoakVerdict verdict = SoakVerdict.of(nights, settings.retention(), m.minSnapshots());
        verdict.lines().forEach(System.out::println);
        if (!settings.keep()) {
            LakeGenerator.deleteRecursively(root.resolve("lake"));
        }
        return verdict.passed() ? 0 : 1;
    }

    private SoakNight check(SparkSession spark, SoakChecks checks, int number, LocalDate date,
                            Runner.Measured measured, List<LocalDate> processed) {
        List<String> problems = new ArrayList<>(checks.consistency(processed));
        Optional<SoakChecks.Maintenance> maintenance = checks.maintenance(date);
        Optional<Instant> pass = maintenance.filter(SoakChecks.Maintenance::succeeded)
                .map(SoakChecks.Maintenance::startedAt);
        if (pass.isEmpty()) {
            problems.add(maintenance.map(mt -> "maintenance " + mt.status() + ": " + mt.error())
                    .orElse("no maintenance recorded in job_runs"));
        }
        // Without a pass to measure against, now: every snapshot older than the retention then counts.
        SnapshotCensus.Result census = SnapshotCensus.take(spark, runner.warehouse(), pass.orElse(Instant.now()),
                settings.maintenance().snapshotRetention(), settings.maintenance().minSnapshots());
        double maintenanceSeconds = maintenance.map(mt -> mt.took().toMillis() / 1000.0).orElse(0.0);
        return new SoakNight(number, date, measured.seconds(), measured.peakRssBytes(), maintenanceSeconds, census,
                checks.models(), problems);
    }
}
