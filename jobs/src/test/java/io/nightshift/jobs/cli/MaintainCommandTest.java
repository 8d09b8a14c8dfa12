package io.nightshift.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.CapturedRun;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.config.NightshiftConfig.WarehouseConfig;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;

/** {@code nightshift maintain} end to end: what it prints, the job_runs row, and a table that cannot be maintained. */
class MaintainCommandTest {
    /** {@code commits} appends of one quarantine row each: one small file and one snapshot per commit. */
    private static void appendCommits(SparkSession spark, ResultsStore store, LocalDate day, int commits) {
        for (int commit = 0; commit < commits; commit++) {
            Row row = RowFactory.create(java.sql.Date.valueOf(day), "r" + commit, "unparsable timestamp", "f.parquet",
                    "{}");
            store.append(ResultTables.QUARANTINE, spark.createDataFrame(List.of(row), ResultTables.QUARANTINE.schema()));
        }
    }

    private static Path localPath(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }

    @Test
    void compactsExpiresRecordsAndALostFileFailsOnlyItsTable(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.session();
        WarehouseConfig warehouse = TestSpark.freshWarehouse();
        ResultsStore store = new ResultsStore(spark, warehouse);
        store.ensureAll();
        LocalDate day = LocalDate.parse("2026-11-20");
        appendCommits(spark, store, day, 3);
        // A zero retention: every snapshot committed before maintenance starts may go, except the newest two.
        Path config = Files.writeString(dir.resolve("nightshift.yaml"), String.join("\n",
                "warehouse: {path: '" + TestSpark.warehouse() + "', catalog: " + TestSpark.CATALOG + ", namespace: "
                        + warehouse.namespace() + "}",
                "maintenance: {snapshot_retention: 0 minutes, min_snapshots: 2, compact_min_files: 3}", ""));

        CapturedRun ok = CapturedRun.of("maintain", "--config", config.toString());

        assertThat(ok.exitCode()).as(ok.err()).isEqualTo(ExitCodes.OK);
        assertThat(ok.out()).contains("[maintain] maintain quarantine           data files 3 -> 1 (3 compacted into 1)",
                "snapshots 3 -> 2 (2 expired");
        assertThat(store.read(ResultTables.QUARANTINE).count()).isEqualTo(3);
        Row recorded = store.read(ResultTables.JOB_RUNS).where("command = 'maintain'").first();
        assertThat(recorded.<String>getAs("status")).isEqualTo("succeeded");
        assertThat((Object) recorded.getAs("logical_date")).isNull();
        Map<String, Long> counts = scala.jdk.javaapi.CollectionConverters.asJava(recorded.<String, Long>getMap(
                recorded.fieldIndex("stage_counts")));
        assertThat(counts).containsEntry("rewritten_data_files:quarantine", 3L)
                .containsEntry("added_data_files:quarantine", 1L)
                .containsEntry("expired_snapshots:quarantine", 2L)
                .containsEntry("failed_tables", 0L);

        // A data file lost from storage: compacting its partition cannot read it, the other tables go on.
        appendCommits(spark, store, day, 3);
        DataFile lost = Spark3Util.loadIcebergTable(spark, store.fullName(ResultTables.QUARANTINE)).currentSnapshot()
                .addedDataFiles(new HadoopFileIO(new Configuration())).iterator().next();
        Files.delete(localPath(lost.location()));
        CapturedRun failed = CapturedRun.of("maintain", "--config", config.toString());

        assertThat(failed.exitCode()).isEqualTo(ExitCodes.STAGE_FAILURE);
        assertThat(failed.err()).startsWith("nightshift: maintenance failed for quarantine (")
                .contains("the other tables were maintained");
        assertThat(failed.out()).contains("maintain quarantine           FAILED: File ").contains("maintain incidents");
        assertThat(store.read(ResultTables.JOB_RUNS).where("command = 'maintain' AND status = 'failed'").count())
                .isEqualTo(1);
    }
}
