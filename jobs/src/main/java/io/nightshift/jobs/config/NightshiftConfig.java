package io.nightshift.jobs.config;

import java.util.Map;

import io.nightshift.jobs.base.Location;

/**
 * The whole configuration of a run, loaded and validated once by {@link ConfigLoader}. Immutable; every stage reads
 * the section it needs. Data locations are {@link Location}s: URIs stay URIs, and local paths are absolute by the
 * time a config object exists (relative paths in a file resolve against the file's folder).
 */
public record NightshiftConfig(
        LakeConfig lake,
        WarehouseConfig warehouse,
        ReferenceConfig reference,
        TrendsConfig trends,
        io.nightshift.jobs.config.AnomalyConfig anomaly,
        io.nightshift.jobs.config.RulesConfig rules,
        io.nightshift.jobs.config.IntelConfig intel,
        io.nightshift.jobs.config.IncidentsConfig incidents,
        Map<String, String> spark,
        io.nightshift.jobs.config.ReportConfig report,
        io.nightshift.jobs.config.RedactionConfig redaction,
        io.nightshift.jobs.config.MaintenanceConfig maintenance,
        io.nightshift.jobs.config.EscalationConfig escalation,
        io.nightshift.jobs.config.NotificationsConfig notifications,
        io.nightshift.jobs.config.MetricsConfig metrics) {

    public NightshiftConfig {
        spark = spark == null ? Map.of() : Map.copyOf(spark);
        report = report == null ? io.nightshift.jobs.config.ReportConfig.defaults() : report;
        redaction = redaction == null ? io.nightshift.jobs.config.RedactionConfig.defaults() : redaction;
        maintenance = maintenance == null ? io.nightshift.jobs.config.MaintenanceConfig.defaults() : maintenance;
        escalation = escalation == null ? io.nightshift.jobs.config.EscalationConfig.defaults() : escalation;
        notifications = notifications == null ? io.nightshift.jobs.config.NotificationsConfig.defaults() : notifications;
        metrics = metrics == null ? io.nightshift.jobs.config.MetricsConfig.defaults() : metrics;
    }

    /**
     * Where the logs are and how their columns map to the canonical schema.
     *
     * @param root             folder (or URI) of the Parquet lake
     * @param partitionColumn  name of the Hive-style date partition folder key ({@code date=YYYY-MM-DD}); when the
     *                         lake has no such folders the reader filters on the timestamp instead
     * @param columns          canonical column name → the lake's own column name, for columns whose names differ
     * @param timestampFormat  pattern for a string timestamp column (null: ISO-8601 or a native timestamp)
     * @param dedupKey         the lake's record-id column; when set, rows delivered twice count once
     * @param ignoreCorruptFiles skip unreadable Parquet files (recorded in job_runs) instead of failing the run
     */
    public record LakeConfig(Location root, String partitionColumn, Map<String, String> columns, String timestampFormat,
                             String dedupKey, boolean ignoreCorruptFiles) {
        public LakeConfig {
            columns = columns == null ? Map.of() : Map.copyOf(columns);
        }
    }

    /**
     * The Iceberg results store.
     *
     * @param path              warehouse folder of the default Hadoop-type catalog; also where models and reports go
     * @param catalog           Spark catalog name the tables live in
     * @param namespace         namespace (database) of the tables
     * @param catalogProperties extra {@code spark.sql.catalog.<catalog>.*} settings; setting {@code type} or
     *                          {@code catalog-impl} here switches to any other Iceberg catalog (REST, Hive, JDBC, Glue)
     * @param allowHadoopCatalogOnObjectStore run a Hadoop catalog on an object store all the same (its commits rely on
     *                          an atomic rename those stores lack: a crash or two writers can lose a commit)
     */
    public record WarehouseConfig(Location path, String catalog, String namespace, Map<String, String> catalogProperties,
                                  boolean allowHadoopCatalogOnObjectStore) {
        public WarehouseConfig {
            catalogProperties = catalogProperties == null ? Map.of() : Map.copyOf(catalogProperties);
        }

        /** A warehouse whose Hadoop catalog, if it is one, is refused on an object store. */
        public WarehouseConfig(Location path, String catalog, String namespace, Map<String, String> catalogProperties) {
            this(path, catalog, namespace, catalogProperties, false);
        }

        public String table(String name) {
            return catalog + "." + namespace + "." + name;
        }
    }

    /** Reference data the incident stage joins: the service catalog and the tenant directory (CSV with headers). */
    public record ReferenceConfig(Location serviceCatalog, Location tenantDirectory) {
    }

    /**
     * Trend stage settings.
     *
     * @param historyDays     trailing days of aggregates that form a baseline
     * @param recomputeDays   late-arriving data: the run for D also recomputes the K days before it
     * @param minHistoryPoints fewer baseline points than this and a series is cold (no finding from it)
     * @param zThreshold      robust z-score (deviation / scaled MAD) from which an hour is abnormal
     */
    public record TrendsConfig(int historyDays, int recomputeDays, int minHistoryPoints, double zThreshold) {
    }
}
