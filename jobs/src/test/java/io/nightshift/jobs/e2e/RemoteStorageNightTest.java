package io.nightshift.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.EndToEnd;
import io.nightshift.jobs.ObjectStoreServers;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.cli.NightshiftCli;
import io.nightshift.lakegen.GeneratorSpec;
import io.nightshift.lakegen.LakeGenerator;

/**
 * The night where the data lives: the same generated lake, reference data and intel feeds, once on the local disk and
 * once on real storage servers on loopback, give the same rows in every result table. The only difference allowed is
 * the one the data carries: a quarantined row names the file it came from, which is on the other file system.
 */
@EndToEnd
class RemoteStorageNightTest {
    static final LocalDate START = LocalDate.parse("2026-10-01");
    /** The third day: the night trains its model on the two before it, reading the lake where it is. */
    static final LocalDate NIGHT = START.plusDays(2);
    static final List<String> TABLES = List.of("trend_hourly", "trend_daily", "trend_host_hourly",
            "trend_entity_hourly", "findings", "log_templates", "anomaly_scores", "incidents", "incident_evidence",
            "affected_customers", "quarantine", "lake_profile", "model_registry");

    @TempDir
    static Path dir;
    static SparkSession spark;
    static String localNamespace;
    static MiniDFSCluster hdfs;

    @BeforeAll
    static void generateAndRunTheNightLocally() throws Exception {
        spark = TestSpark.session();
        LakeGenerator.generate(spark, new GeneratorSpec(23L, START, 3, 800, dir.resolve("sample"), true));
        localNamespace = TestSpark.freshWarehouse().namespace();
        Path config = config("local", dir.resolve("sample").toString(), TestSpark.warehouse().toString(),
                "nightshift", localNamespace);
        assertThat(NightshiftCli.execute("run", "--date", NIGHT.toString(), "--config", config.toString()))
                .isEqualTo(ExitCodes.OK);
    }

    @AfterAll
    static void stopServers() {
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
    }

    @Test
    void aNightWithTheLakeAndTheWarehouseOnHdfsWritesTheRowsOfTheLocalNight() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        String uri = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
        FileSystem fs = hdfs.getFileSystem();
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(dir.resolve("sample").toUri()),
                new org.apache.hadoop.fs.Path(uri + "/logs"));

        String namespace = "hdfs_night";
        Path config = config("hdfs", uri + "/logs", uri + "/nightshift/warehouse", "on_hdfs", namespace);
        assertThat(NightshiftCli.execute("run", "--date", NIGHT.toString(), "--config", config.toString()))
                .isEqualTo(ExitCodes.OK);

        assertThat(fs.exists(new org.apache.hadoop.fs.Path(uri + "/nightshift/warehouse/" + namespace + "/incidents")))
                .as("the tables are on HDFS").isTrue();
        assertThat(fs.exists(new org.apache.hadoop.fs.Path(uri + "/nightshift/warehouse/reports/" + namespace
                + "/nightshift-report-" + NIGHT + ".html"))).as("the report is beside them").isTrue();
        assertThat(fs.exists(new org.apache.hadoop.fs.Path(uri + "/nightshift/warehouse/.nightshift-write.lock")))
                .as("the lock was taken there and released").isFalse();
        assertSameRows("on_hdfs." + namespace, uri + "/logs/lake");
    }

    @Test
    void aNightWithTheLakeAndTheWarehouseOnS3AndTheJdbcCatalogOnPostgresWritesTheRowsOfTheLocalNight()
            throws Exception {
        Map<String, String> servers = ObjectStoreServers.up();
        Map<String, String> s3a = ObjectStoreServers.s3aSettings();
        String root = "s3a://" + servers.get("NIGHTSHIFT_S3_BUCKET") + "/night-" + ProcessHandle.current().pid() + "-"
                + System.currentTimeMillis();
        ObjectStoreServers.upload(dir.resolve("sample"), root + "/logs");
        FileSystem fs = new org.apache.hadoop.fs.Path(root).getFileSystem(ObjectStoreServers.s3aConfiguration());

        String namespace = "s3_night_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis();
        List<String> extra = new ArrayList<>(List.of(
                "  catalog_properties:",
                "    catalog-impl: org.apache.iceberg.jdbc.JdbcCatalog",
                "    uri: '" + servers.get("NIGHTSHIFT_JDBC_URI") + "'",
                "    jdbc.user: " + servers.get("NIGHTSHIFT_JDBC_USER"),
                "    jdbc.password: " + servers.get("NIGHTSHIFT_JDBC_PASSWORD"),
                "spark:"));
        s3a.forEach((k, v) -> extra.add("  " + k + ": '" + v + "'"));
        Path config = config("s3", root + "/logs", root + "/warehouse", "on_s3", namespace, extra);
        assertThat(NightshiftCli.execute("run", "--date", NIGHT.toString(), "--config", config.toString()))
                .isEqualTo(ExitCodes.OK);

        assertThat(fs.exists(new org.apache.hadoop.fs.Path(root + "/warehouse/reports/" + namespace
                + "/nightshift-report-" + NIGHT + ".html"))).as("the report is in the bucket").isTrue();
        assertThat(fs.listStatus(new org.apache.hadoop.fs.Path(root + "/warehouse/models"))).as("and the model")
                .isNotEmpty();
        assertSameRows("on_s3." + namespace, root + "/logs/lake");
    }

    /**
     * Every table of {@code catalogAndNamespace} holds the local night's rows, a quarantined row's file named on the
     * other file system.
     */
    private static void assertSameRows(String catalogAndNamespace, String remoteLake) {
        String localLake = "file:" + dir.resolve("sample/lake");
        for (String table : TABLES) {
            List<String> remote = rows(catalogAndNamespace + "." + table).stream()
                    .map(r -> r.replace(remoteLake, localLake)).sorted().toList();
            assertThat(remote).as("table %s", table).isEqualTo(rows("nightshift." + localNamespace + "." + table));
        }
    }

    /** A table's rows as JSON, sorted; the model registry without what differs by nature (when, and where). */
    private static List<String> rows(String table) {
        spark.sql("REFRESH TABLE " + table);
        String select = table.endsWith(".model_registry") ? "SELECT name, version, training_from, training_to, params, "
                + "metrics, status FROM " + table : "SELECT * FROM " + table;
        return spark.sql(select).toJSON().collectAsList().stream().sorted().toList();
    }

    private static Path config(String name, String sample, String warehouse, String catalog, String namespace)
            throws Exception {
        return config(name, sample, warehouse, catalog, namespace, List.of());
    }

    /** @param warehouseAndSpark more lines of the {@code warehouse:} section, then any sections after it */
    private static Path config(String name, String sample, String warehouse, String catalog, String namespace,
                               List<String> warehouseAndSpark) throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "lake: {root: '" + sample + "/lake', dedup_key: event_id}",
                "warehouse:",
                "  path: '" + warehouse + "'",
                "  catalog: " + catalog,
                "  namespace: " + namespace));
        lines.addAll(warehouseAndSpark);
        lines.addAll(List.of(
                "reference: {service_catalog: '" + sample + "/reference/service_catalog.csv', "
                        + "tenant_directory: '" + sample + "/reference/tenants.csv'}",
                "rules: {directory: '" + TestSpark.repoRoot().resolve("rules") + "'}",
                "intel: {directory: '" + sample + "/threat_intel'}",
                "trends: {history_days: 3, min_history_points: 2}",
                // One view: the model is trained, stored and loaded where the warehouse is, at a third of the cost.
                "anomaly: {training_days: 2, views: [{name: host_10m, entity: [host], window: 10 minutes}]}",
                ""));
        return Files.writeString(dir.resolve(name + ".yaml"), String.join("\n", lines));
    }
}
