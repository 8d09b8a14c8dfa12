package io.nightshift.jobs.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.expressions.Expressions;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.NightshiftConfig.WarehouseConfig;
import io.nightshift.jobs.schema.ResultTables;

/** Tables Spark wrote, read back through Iceberg's Java API without Spark. */
class WarehouseTablesTest {
    static SparkSession spark;
    static ResultsStore store;

    @BeforeAll
    static void warehouse() {
        spark = TestSpark.session();
        WarehouseConfig config = TestSpark.freshWarehouse();
        store = new ResultsStore(spark, config);
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + config.catalog() + "." + config.namespace());
        store.ensure(ResultTables.INCIDENTS);
        store.ensure(ResultTables.TREND_HOURLY);
        store.upsert(ResultTables.INCIDENTS, spark.sql("SELECT * FROM VALUES "
                + "('INC-20261118-0000000a', 'new', 72.5, 3, TIMESTAMP'2026-11-18 03:04:05.123456', DATE'2026-11-18', "
                + "array('eu', NULL), array(named_struct('type', 'ip', 'value', '203.0.113.9'))), "
                + "('INC-20261118-0000000b', 'open', NULL, NULL, NULL, NULL, NULL, NULL), "
                + "('INC-20261118-0000000c', 'closed', 10.0, 1, NULL, NULL, array(), NULL) "
                + "AS t(incident_id, status, severity_score, affected_tenant_count, first_seen, created_date, regions, "
                + "indicators)"), ResultTables.INCIDENTS.keys());
        store.replaceDate(ResultTables.TREND_HOURLY, LocalDate.parse("2026-11-18"), spark.sql("SELECT "
                + "TIMESTAMP'2026-11-18 05:00:00' AS hour, 'auth' AS service, X'CAFE' AS hosts_hll, "
                + "map(12, 3L, 40, 1L) AS latency_hist"));
    }

    private static WarehouseTables open() {
        return WarehouseTables.open(store.config(), Map.of());
    }

    @Test
    void valuesReadAsPlainJavaWithNullsKept() {
        try (WarehouseTables tables = open()) {
            List<StoredRow> rows = tables.read(ResultTables.INCIDENTS,
                    Expressions.equal("incident_id", "INC-20261118-0000000a"), List.of());
            assertThat(rows).hasSize(1);
            StoredRow r = rows.get(0);
            assertThat(r.get("status")).isEqualTo("new");
            assertThat(r.get("severity_score")).isEqualTo(72.5);
            assertThat(r.get("affected_tenant_count")).isEqualTo(3);
            assertThat(r.get("first_seen")).isEqualTo(Instant.parse("2026-11-18T03:04:05.123456Z"));
            assertThat(r.get("created_date")).isEqualTo(LocalDate.parse("2026-11-18"));
            assertThat(r.list("regions")).containsExactly("eu", null);
            assertThat(r.list("indicators")).containsExactly(
                    StoredRow.of(linked("type", "ip", "value", "203.0.113.9")));
            assertThat(r.get("title")).isNull();
            assertThat(r.list("hosts")).isEmpty();
            assertThat(r.values().keySet()).containsExactlyElementsOf(
                    Arrays.asList(ResultTables.INCIDENTS.schema().fieldNames()));

            StoredRow hour = tables.read(ResultTables.TREND_HOURLY, Expressions.alwaysTrue(),
                    List.of("hour", "hosts_hll", "latency_hist")).get(0);
            assertThat((byte[]) hour.get("hosts_hll")).containsExactly(0xCA, 0xFE);
            assertThat(hour.get("latency_hist")).isEqualTo(Map.of(12, 3L, 40, 1L));
            assertThat(hour.values().keySet()).containsExactly("hour", "hosts_hll", "latency_hist");
        }
    }

    @Test
    void theFilterAppliesToEveryRowNotOnlyToFiles() {
        try (WarehouseTables tables = open()) {
            // The three incidents were written in one commit, so they share a file: the filter must drop rows too.
            assertThat(tables.read(ResultTables.INCIDENTS, Expressions.in("status", "open", "closed"),
                    List.of("incident_id"))).extracting(r -> r.string("incident_id"))
                    .containsExactlyInAnyOrder("INC-20261118-0000000b", "INC-20261118-0000000c");
            assertThat(tables.read(ResultTables.INCIDENTS, Expressions.greaterThanOrEqual("created_date",
                    "2026-11-18"), List.of("incident_id"))).hasSize(1);
            assertThat(tables.read(ResultTables.INCIDENTS, Expressions.equal("incident_id", "INC-20261118-ffffffff"),
                    List.of())).isEmpty();
        }
    }

    @Test
    void aTableOrWarehouseThatDoesNotExistYetReadsAsEmpty(@org.junit.jupiter.api.io.TempDir Path dir) {
        try (WarehouseTables tables = open()) {
            assertThat(tables.read(ResultTables.TRIAGE, Expressions.alwaysTrue(), List.of())).isEmpty();
        }
        WarehouseConfig nowhere = new WarehouseConfig(Location.local(dir.resolve("never-written")), "nightshift", "nightshift",
                Map.of());
        try (WarehouseTables tables = WarehouseTables.open(nowhere, Map.of())) {
            assertThat(tables.read(ResultTables.INCIDENTS, Expressions.alwaysTrue(), List.of())).isEmpty();
        }
    }

    @Test
    void aCommandThatNeedsATableNamesItAndTheCatalogWhenItIsMissing(@org.junit.jupiter.api.io.TempDir Path dir) {
        try (WarehouseTables tables = open()) {
            tables.require(ResultTables.INCIDENTS);
        }
        WarehouseConfig nowhere = new WarehouseConfig(Location.local(dir.resolve("never-written")), "lake", "ns", Map.of());
        try (WarehouseTables tables = WarehouseTables.open(nowhere, Map.of())) {
            assertThatThrownBy(() -> tables.require(ResultTables.INCIDENTS))
                    .isInstanceOf(NightshiftException.class)
                    .hasMessage("no table ns.incidents in catalog 'lake' (hadoop, warehouse " + dir.resolve(
                            "never-written") + "): no night has written to this warehouse yet, or this is not the "
                            + "warehouse the nights write (check --warehouse and warehouse: in the configuration). A "
                            + "night creates it: scripts/nightshift run --date YYYY-MM-DD")
                    .extracting(e -> ((NightshiftException) e).exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        }
    }

    @Test
    void aColumnAnOlderTableLacksReadsAsNull() {
        String name = store.fullName(ResultTables.INCIDENT_ACTIONS);
        spark.sql("CREATE TABLE " + name + " (action_id STRING NOT NULL, incident_id STRING NOT NULL) USING iceberg");
        spark.sql("INSERT INTO " + name + " VALUES ('a1', 'INC-20261118-0000000a')");
        try (WarehouseTables tables = open()) {
            StoredRow r = tables.read(ResultTables.INCIDENT_ACTIONS, Expressions.alwaysTrue(),
                    List.of("action_id", "analyst")).get(0);
            assertThat(r.get("action_id")).isEqualTo("a1");
            assertThat(r.get("analyst")).isNull();
        }
    }

    @Test
    void theCatalogIsTheOneSparkRegisters() {
        WarehouseConfig rest = new WarehouseConfig(Location.local(Path.of("/unused")), "lake", "ns",
                Map.of("type", "rest", "uri", "http://127.0.0.1:8181", "warehouse", "s3://bucket/wh"));
        for (WarehouseConfig config : List.of(store.config(), rest)) {
            Map<String, String> expected = new LinkedHashMap<>();
            WarehouseTables.catalogProperties(config).forEach((k, v) -> expected.put("spark.sql.catalog."
                    + config.catalog() + "." + k, v));
            assertThat(ResultsStore.sparkConf(config)).containsAllEntriesOf(expected)
                    .containsEntry("spark.sql.catalog." + config.catalog(), "org.apache.iceberg.spark.SparkCatalog");
        }
        assertThat(WarehouseTables.catalogProperties(store.config())).containsEntry("type", "hadoop")
                .containsEntry("warehouse", store.config().path().toString());
        assertThat(WarehouseTables.catalogProperties(rest)).doesNotContainKey("catalog-impl")
                .containsEntry("type", "rest").containsEntry("warehouse", "s3://bucket/wh");
    }

    @Test
    void aHadoopCatalogOnAnObjectStoreIsRefusedUnlessAllowed() {
        Location bucket = Location.of("s3a://logs-bucket/warehouse", Path.of("/"));
        for (WarehouseConfig hadoop : List.of(new WarehouseConfig(bucket, "lake", "ns", Map.of()),
                new WarehouseConfig(Location.local(Path.of("/unused")), "lake", "ns",
                        Map.of("catalog-impl", "org.apache.iceberg.hadoop.HadoopCatalog", "warehouse", "gs://b/w")))) {
            assertThatThrownBy(() -> ResultsStore.sparkConf(hadoop)).isInstanceOf(NightshiftException.class)
                    .hasMessageContaining("is on an object store")
                    .hasMessageContaining("warehouse.allow_hadoop_catalog_on_object_store: true")
                    .extracting(e -> ((NightshiftException) e).exitCode()).isEqualTo(ExitCodes.BAD_CONFIG);
        }
        assertThat(WarehouseTables.catalogProperties(new WarehouseConfig(bucket, "lake", "ns", Map.of(), true)))
                .containsEntry("type", "hadoop").containsEntry("warehouse", "s3a://logs-bucket/warehouse");
        assertThat(WarehouseTables.catalogProperties(new WarehouseConfig(bucket, "lake", "ns",
                Map.of("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog", "uri", "jdbc:postgresql://h/db"))))
                .as("a JDBC catalog may keep its files on S3").containsEntry("warehouse", bucket.value());
        assertThat(WarehouseTables.catalogProperties(new WarehouseConfig(Location.of("hdfs://nn:8020/w", Path.of("/")),
                "lake", "ns", Map.of()))).as("HDFS renames atomically").containsEntry("type", "hadoop");
    }

    @Test
    void configuredCatalogPropertiesChooseTheCatalog() {
        // warehouse.path points nowhere; the catalog properties name the implementation and the real warehouse.
        WarehouseConfig explicit = new WarehouseConfig(Location.local(Path.of("/nonexistent")), store.config().catalog(),
                store.config().namespace(), Map.of("catalog-impl", "org.apache.iceberg.hadoop.HadoopCatalog",
                "warehouse", store.config().path().toString()));
        try (WarehouseTables tables = WarehouseTables.open(explicit, Map.of())) {
            assertThat(tables.read(ResultTables.INCIDENTS, Expressions.alwaysTrue(), List.of("incident_id")))
                    .hasSize(3);
        }
    }

    /**
     * Not only a Hadoop catalog: a warehouse whose {@code catalog_properties} name Iceberg's JdbcCatalog (on an
     * embedded H2 database) is written by Spark and read by the commands without Spark, from the same configuration.
     */
    @Test
    void aJdbcCatalogIsReadAsSparkWroteIt(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        WarehouseConfig jdbc = new WarehouseConfig(Location.local(dir.resolve("unused")), "jdbc_" + ProcessHandle.current().pid(),
                "cases", Map.of("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog",
                "uri", "jdbc:h2:file:" + dir.resolve("catalog") + ";DATABASE_TO_LOWER=TRUE",
                "warehouse", dir.resolve("files").toString()));
        // Spark registers a catalog the first time a query names it, so a running session can take a new one.
        ResultsStore.sparkConf(jdbc).forEach((k, v) -> {
            if (k.startsWith("spark.sql.catalog.")) {
                spark.conf().set(k, v);
            }
        });
        ResultsStore other = new ResultsStore(spark, jdbc);
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + jdbc.catalog() + "." + jdbc.namespace());
        other.ensure(ResultTables.INCIDENTS);
        other.upsert(ResultTables.INCIDENTS, spark.sql("SELECT 'INC-20261118-0000000d' AS incident_id, 'new' AS "
                + "status, 'P2' AS priority, 'high' AS severity, 70.0D AS severity_score, 'Seen through JDBC' AS title, "
                + "DATE'2026-11-18' AS updated_date"), ResultTables.INCIDENTS.keys());

        try (WarehouseTables tables = WarehouseTables.open(jdbc, Map.of())) {
            assertThat(tables.read(ResultTables.INCIDENTS, Expressions.alwaysTrue(),
                    List.of("incident_id", "title", "updated_date"))).containsExactly(StoredRow.of(linked(
                    "incident_id", "INC-20261118-0000000d", "title", "Seen through JDBC",
                    "updated_date", LocalDate.parse("2026-11-18"))));
            assertThatThrownBy(() -> tables.require(ResultTables.TRIAGE))
                    .hasMessageStartingWith("no table cases.triage in catalog '" + jdbc.catalog()
                            + "' (org.apache.iceberg.jdbc.JdbcCatalog, warehouse " + dir.resolve("files") + ")");
        }

        Path config = java.nio.file.Files.writeString(dir.resolve("nightshift.yaml"), "warehouse:\n"
                + "  path: " + dir.resolve("unused") + "\n  catalog: " + jdbc.catalog() + "\n  namespace: cases\n"
                + "  catalog_properties:\n" + jdbc.catalogProperties().entrySet().stream()
                .map(e -> "    " + e.getKey() + ": '" + e.getValue() + "'\n").collect(
                        java.util.stream.Collectors.joining()));
        io.nightshift.jobs.CapturedRun listed = io.nightshift.jobs.CapturedRun.of("incident", "list", "--config",
                config.toString());
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("INC-20261118-0000000d P2  high", "Seen through JDBC").endsWith(
                "1 incident\n");
    }

    private static Map<String, Object> linked(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
