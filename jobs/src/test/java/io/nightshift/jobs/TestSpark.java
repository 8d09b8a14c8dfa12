package io.nightshift.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.SparkSessions;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.store.ResultsStore;

/**
 * One local SparkSession for the whole test JVM (starting Spark costs seconds), with the Iceberg catalog on a
 * temporary warehouse. Tests stay independent by taking a fresh namespace each.
 */
public final class TestSpark {
    public static final String CATALOG = "nightshift";
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static Path warehouse;
    private static SparkSession spark;

    private TestSpark() {
    }

    public static synchronized SparkSession session() {
        if (spark == null || spark.sparkContext().isStopped()) {
            if (warehouse == null) {
                try {
                    warehouse = Files.createTempDirectory("nightshift-test-warehouse");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            System.setProperty("nightshift.local.master", "local[2]");
            var conf = new java.util.LinkedHashMap<>(ResultsStore.sparkConf(warehouseConfig("default")));
            conf.put("spark.ui.enabled", "false");
            conf.put("spark.sql.shuffle.partitions", "2");
            conf.put("spark.default.parallelism", "2");
            spark = SparkSessions.create("nightshift-tests", conf);
        }
        return spark;
    }

    public static Path warehouse() {
        session();
        return warehouse;
    }

    /** A warehouse config on the shared warehouse, in a namespace no other test uses. */
    public static NightshiftConfig.WarehouseConfig freshWarehouse() {
        session();
        return warehouseConfig("t" + NAMESPACES.incrementAndGet() + "_" + ProcessHandle.current().pid());
    }

    private static NightshiftConfig.WarehouseConfig warehouseConfig(String namespace) {
        return new NightshiftConfig.WarehouseConfig(Location.local(warehouse), CATALOG, namespace, Map.of());
    }

    /** The repository root (surefire passes it; the module folder's parent otherwise). */
    public static Path repoRoot() {
        String root = System.getProperty("nightshift.repo.root");
        return root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
    }

    /**
     * Writes {@code dir/nightshift.yaml} for a lake that {@code LakeGenerator} made in {@code dir/sample}, on the shared
     * warehouse in {@code namespace}, with the repository's rules; {@code sections} are further YAML lines (trends,
     * anomaly...). Returns the file, for {@code --config}.
     */
    public static Path generatedLakeConfig(Path dir, String namespace, String... sections) {
        List<String> lines = new ArrayList<>(List.of(
                "lake: {root: sample/lake, dedup_key: event_id}",
                "warehouse: {path: '" + warehouse() + "', catalog: " + CATALOG + ", namespace: " + namespace + "}",
                "reference: {service_catalog: sample/reference/service_catalog.csv, "
                        + "tenant_directory: sample/reference/tenants.csv}",
                "rules: {directory: '" + repoRoot().resolve("rules") + "'}",
                "intel: {directory: sample/threat_intel}"));
        lines.addAll(List.of(sections));
        lines.add("");
        try {
            return Files.writeString(dir.resolve("nightshift.yaml"), String.join("\n", lines));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A full config for a lake at {@code lakeRoot} and a fresh namespace. */
    public static NightshiftConfig config(Path lakeRoot, String dedupKey, Map<String, String> columns) {
        return new NightshiftConfig(
                new NightshiftConfig.LakeConfig(Location.local(lakeRoot), "date", columns, null, dedupKey, false),
                freshWarehouse(),
                new NightshiftConfig.ReferenceConfig(Location.local(lakeRoot.resolve("reference/service_catalog.csv")),
                        Location.local(lakeRoot.resolve("reference/tenants.csv"))),
                new NightshiftConfig.TrendsConfig(28, 0, 7, 6.0),
                io.nightshift.jobs.config.AnomalyConfig.defaults(),
                io.nightshift.jobs.config.RulesConfig.defaults(repoRoot()),
                io.nightshift.jobs.config.IntelConfig.resolve(null, lakeRoot, "test"),
                io.nightshift.jobs.config.IncidentsConfig.defaults(),
                Map.of(),
                io.nightshift.jobs.config.ReportConfig.defaults(),
                io.nightshift.jobs.config.RedactionConfig.defaults(),
                io.nightshift.jobs.config.MaintenanceConfig.defaults(), null, null, null);
    }
}
