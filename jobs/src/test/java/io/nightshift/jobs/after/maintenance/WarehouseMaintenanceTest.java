package io.nightshift.jobs.after.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.MaintenanceConfig;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Maintenance on real Iceberg tables: a table gets seven commits of small files, four of them older than the
 * retention, and maintenance must compact the files, expire exactly the snapshots the retention and
 * {@code min_snapshots} allow, delete only files no kept snapshot needs, and leave the rows as they were.
 */
class WarehouseMaintenanceTest {
    static final Duration RETENTION = Duration.ofHours(1);
    static final LocalDate D1 = LocalDate.parse("2026-11-01");
    static final LocalDate D2 = LocalDate.parse("2026-11-02");
    static final LocalDate D3 = LocalDate.parse("2026-11-03");
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    /** A quarantine table with a known commit history; {@link #boundary} separates the old commits from the young. */
    private static final class History {
        final ResultsStore store = new ResultsStore(spark, TestSpark.freshWarehouse());
        final List<Long> oldSnapshots = new ArrayList<>();
        final List<Long> youngSnapshots = new ArrayList<>();
        long filesOfReplacedCommit;
        Instant boundary;

        History write() throws InterruptedException {
            store.ensureAll();
            store.append(ResultTables.QUARANTINE, rows(D1, "c1"));
            oldSnapshots.add(table().currentSnapshot().snapshotId());
            store.append(ResultTables.QUARANTINE, rows(D1, "c2"));
            oldSnapshots.add(table().currentSnapshot().snapshotId());
            store.replaceDate(ResultTables.QUARANTINE, D2, rows(D2, "c3"));
            Snapshot replaced = table().currentSnapshot();
            oldSnapshots.add(replaced.snapshotId());
            filesOfReplacedCommit = Long.parseLong(replaced.summary().get("added-data-files"));
            // c4 replaces c3's rows of D2: c3's files stay needed only by c3 itself.
            store.replaceDate(ResultTables.QUARANTINE, D2, rows(D2, "c4"));
            oldSnapshots.add(table().currentSnapshot().snapshotId());
            Thread.sleep(20);
            boundary = Instant.now();
            Thread.sleep(20);
            store.append(ResultTables.QUARANTINE, rows(D1, "c5"));
            youngSnapshots.add(table().currentSnapshot().snapshotId());
            store.append(ResultTables.QUARANTINE, rows(D1, "c6"));
            youngSnapshots.add(table().currentSnapshot().snapshotId());
            store.replaceDate(ResultTables.QUARANTINE, D3, rows(D3, "c7"));
            youngSnapshots.add(table().currentSnapshot().snapshotId());
            return this;
        }

        /** Four rows in two Spark partitions, so that a commit may write more than one file. */
        Dataset<Row> rows(LocalDate date, String commit) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                rows.add(RowFactory.create(java.sql.Date.valueOf(date), commit + "-" + i, "unparsable timestamp",
                        "part-" + i + ".parquet", "{\"commit\":\"" + commit + "\"}"));
            }
            return spark.createDataFrame(rows, ResultTables.QUARANTINE.schema()).repartition(2);
        }

        Table table() {
            try {
                return Spark3Util.loadIcebergTable(spark, store.fullName(ResultTables.QUARANTINE));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        List<String> rowsNow() {
            return store.read(ResultTables.QUARANTINE).toJSON().collectAsList().stream().sorted().toList();
        }

        /** Maintenance as if it ran {@link #RETENTION} after the boundary: the old commits are past the retention. */
        MaintenanceSummary maintain(int minSnapshots) {
            var config = new MaintenanceConfig(true, RETENTION, minSnapshots, 2, 2);
            return new WarehouseMaintenance(store, config)
                    .run(boundary.plus(RETENTION), new Progress(new PrintStream(new ByteArrayOutputStream()), "test"));
        }
    }

    private static TableMaintenance quarantine(MaintenanceSummary summary) {
        return summary.tables().stream().filter(t -> t.table().equals(ResultTables.QUARANTINE.name())).findFirst()
                .orElseThrow();
    }

    private static List<Long> snapshotIds(Table table) {
        List<Long> ids = new ArrayList<>();
        table.snapshots().forEach(s -> ids.add(s.snapshotId()));
        return ids;
    }

    @Test
    void expiresWhatIsOlderThanTheRetentionCompactsAndKeepsTheRows() throws Exception {
        History h = new History().write();
        List<String> rowsBefore = h.rowsNow();
        long filesBefore = TableFootprint.of(h.table()).dataFiles();

        MaintenanceSummary summary = h.maintain(2);

        assertThat(summary.failures()).isEmpty();
        assertThat(summary.cutoff()).isEqualTo(h.boundary);
        TableMaintenance q = quarantine(summary);
        Table table = h.table();
        assertThat(h.rowsNow()).as("rows after maintenance").isEqualTo(rowsBefore);
        // D1 had six commits' files, D2 and D3 one commit's each: one file per date remains.
        assertThat(q.before().dataFiles()).isEqualTo(filesBefore).isGreaterThanOrEqualTo(6);
        assertThat(q.after().dataFiles()).isEqualTo(3);
        assertThat(q.rewrittenDataFiles() - q.addedDataFiles()).isEqualTo(filesBefore - 3);
        assertThat(q.after().dataManifests()).isEqualTo(1);
        List<Long> kept = snapshotIds(table);
        assertThat(kept).as("every snapshot older than the retention is gone").doesNotContainAnyElementsOf(h.oldSnapshots);
        assertThat(kept).as("the young ones stay").containsAll(h.youngSnapshots);
        assertThat(kept).hasSizeGreaterThanOrEqualTo(2);
        assertThat(q.expiredSnapshots()).isEqualTo(h.oldSnapshots.size());
        assertThat(q.after().snapshots()).isEqualTo(kept.size());
        // Only c3's files were needed by expired snapshots alone; c4's are still read by the young snapshots.
        assertThat(q.deletedDataFiles()).isEqualTo(h.filesOfReplacedCommit);
        for (Snapshot s : table.snapshots()) {
            assertThat(s.timestampMillis()).isGreaterThanOrEqualTo(summary.cutoff().toEpochMilli());
        }

        MaintenanceSummary again = h.maintain(2);
        TableMaintenance second = quarantine(again);
        assertThat(second.rewrittenDataFiles()).as("nothing left to compact").isZero();
        assertThat(second.expiredSnapshots()).as("nothing left to expire").isZero();
        assertThat(second.after()).isEqualTo(q.after());
        assertThat(h.rowsNow()).isEqualTo(rowsBefore);
    }

    @Test
    void keepsTheNewestMinSnapshotsWhateverTheirAge() throws Exception {
        History h = new History().write();
        List<String> rowsBefore = h.rowsNow();

        TableMaintenance q = quarantine(h.maintain(7));

        Table table = h.table();
        List<Long> newest = new ArrayList<>();
        for (Snapshot s = table.currentSnapshot(); s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            newest.add(s.snapshotId());
        }
        assertThat(snapshotIds(table)).as("exactly the newest seven remain, a line of ancestors")
                .hasSize(7).containsExactlyInAnyOrderElementsOf(newest);
        assertThat(newest).containsAll(h.youngSnapshots);
        // Seven kept: the three young commits, the compaction and the manifest rewrite (when it had something to do),
        // then the newest old ones.
        long oldKept = h.oldSnapshots.stream().filter(newest::contains).count();
        assertThat(oldKept).isBetween(2L, 3L);
        assertThat(q.expiredSnapshots()).isEqualTo(h.oldSnapshots.size() - oldKept);
        assertThat(newest).as("the oldest goes").doesNotContain(h.oldSnapshots.get(0));
        assertThat(q.deletedDataFiles()).as("every file of c1 and c2 is still read by a kept snapshot").isZero();
        assertThat(h.rowsNow()).isEqualTo(rowsBefore);
    }

    @Test
    void afterRunIsOnlyAWarningWhenMaintenanceFails() {
        // A namespace whose tables were never created: even job_runs cannot be written.
        ResultsStore missing = new ResultsStore(spark, TestSpark.freshWarehouse());
        NightshiftConfig config = TestSpark.config(TestSpark.warehouse(), null, Map.of());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var result = MaintenanceJob.afterRun(missing, config, D1,
                new Progress(new PrintStream(new ByteArrayOutputStream()), "test"),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(result).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("nightshift: warning: the run for 2026-11-01 succeeded and its tables are published, but "
                        + "warehouse maintenance did not complete: ")
                .contains("job_runs")
                .contains("Retry it with: scripts/nightshift maintain");
    }
}
