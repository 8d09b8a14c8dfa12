package io.nightshift.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.SparkSessions;
import io.nightshift.jobs.config.ConfigLoader;
import io.nightshift.jobs.config.NightshiftConfig.WarehouseConfig;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.store.WarehouseLock;
import io.nightshift.jobs.store.WarehouseTables;
import picocli.CommandLine.Option;

/** Options every command that touches the lake or the warehouse shares. */
public final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration (default: $NIGHTSHIFT_CONFIG, else built-in defaults relative to the "
                    + "current folder).")
    Path config;

    @Option(names = "--lake", paramLabel = "DIR|URI", description = "Log lake root, a folder or a URI (hdfs://, "
            + "s3a://, abfss://, gs://); overrides lake.root.")
    String lake;

    @Option(names = "--warehouse", paramLabel = "DIR|URI",
            description = "Warehouse of the Iceberg catalog, a folder or a URI; overrides warehouse.path.")
    String warehouse;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "Extra Spark setting (repeatable), e.g. --conf spark.sql.shuffle.partitions=64. The "
                    + "commands that read without Spark (incident list and show, evidence verify) take only the "
                    + "spark.hadoop.* ones, for their Hadoop configuration.")
    Map<String, String> sparkConf = new LinkedHashMap<>();

    @Option(names = {"-v", "--verbose"}, description = "Show Spark's own INFO logging (default WARN), in the "
            + "commands that start Spark.")
    boolean verbose;

    /** Loads and validates the configuration once, applying command-line overrides. */
    public NightshiftConfig loadConfig() {
        Path file = config;
        if (file == null && System.getenv("NIGHTSHIFT_CONFIG") != null) {
            file = Path.of(System.getenv("NIGHTSHIFT_CONFIG"));
        }
        NightshiftConfig c = ConfigLoader.load(file, Path.of("").toAbsolutePath());
        if (lake != null) {
            Location root = location("--lake", lake);
            if (root.isLocal() && !Files.exists(root.localPath())) {
                throw NightshiftException.badInput("--lake " + lake + " does not exist");
            }
            var l = c.lake();
            c = new NightshiftConfig(new NightshiftConfig.LakeConfig(root, l.partitionColumn(),
                    l.columns(), l.timestampFormat(), l.dedupKey(), l.ignoreCorruptFiles()),
                    c.warehouse(), c.reference(), c.trends(), c.anomaly(), c.rules(), c.intel(), c.incidents(), c.spark(),
                    c.report(), c.redaction(), c.maintenance(), c.escalation(), c.notifications(), c.metrics());
        }
        if (warehouse != null) {
            var w = c.warehouse();
            c = new NightshiftConfig(c.lake(), new NightshiftConfig.WarehouseConfig(location("--warehouse", warehouse),
                    w.catalog(), w.namespace(), w.catalogProperties(), w.allowHadoopCatalogOnObjectStore()), c.reference(), c.trends(), c.anomaly(), c.rules(), c.intel(), c.incidents(), c.spark(),
                    c.report(), c.redaction(), c.maintenance(), c.escalation(), c.notifications(), c.metrics());
        }
        return c;
    }

    /** A location given on the command line: a URI, or a path against the current folder. */
    static Location location(String option, String value) {
        try {
            return Location.of(value, Path.of("").toAbsolutePath());
        } catch (IllegalArgumentException e) {
            throw NightshiftException.usage(option + " " + value + ": " + e.getMessage());
        }
    }

    /**
     * Takes the warehouse's write lock for a command that writes nightly tables; exit code 5 when another live run
     * holds it. A crashed run's lock is taken over, and the takeover is reported.
     */
    public WarehouseLock lockWarehouse(ResultsStore store, String command) {
        WarehouseConfig w = store.config();
        String location = w.catalogProperties().getOrDefault("warehouse", w.path().toString());
        try {
            WarehouseLock lock = WarehouseLock.acquire(location, store.spark().sparkContext().hadoopConfiguration(),
                    command, WarehouseLock.DEFAULT_STALE_AFTER);
            lock.tookOverFrom().ifPresent(previous -> System.out.println(
                    "nightshift: took over the write lock of a run that is gone: " + previous));
            return lock;
        } catch (WarehouseLock.HeldException e) {
            throw new NightshiftException(ExitCodes.LOCK_HELD, e.getMessage(), e);
        }
    }

    /**
     * Opens the warehouse's tables for reading through Iceberg's Java API, without Spark: for commands that read a
     * few rows. The configuration's and the command line's {@code spark.hadoop.*} settings apply as in Spark.
     */
    public WarehouseTables openTables(NightshiftConfig c) {
        return WarehouseTables.open(c.warehouse(), settings(c));
    }

    /** Starts Spark with the catalog registered and the tables created, plain table names resolving. */
    public ResultsStore openStore(String appName, NightshiftConfig c) {
        if (verbose) {
            System.setProperty("nightshift.spark.log.level", "INFO");
        }
        Map<String, String> conf = new LinkedHashMap<>(ResultsStore.sparkConf(c.warehouse()));
        conf.putAll(settings(c));
        SparkSession spark = SparkSessions.create(appName, conf);
        ResultsStore store = new ResultsStore(spark, c.warehouse());
        store.ensureAll();
        return store;
    }

    /** The configuration's Spark settings with the command line's {@code --conf} pairs over them. */
    private Map<String, String> settings(NightshiftConfig c) {
        Map<String, String> settings = new LinkedHashMap<>(c.spark());
        settings.putAll(sparkConf);
        return settings;
    }
}
