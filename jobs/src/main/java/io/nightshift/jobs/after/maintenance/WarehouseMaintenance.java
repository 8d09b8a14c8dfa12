package io.nightshift.jobs.after.maintenance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.ExpireSnapshots;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.actions.SizeBasedFileRewritePlanner;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.actions.ExpireSnapshotsSparkAction;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.parser.ParseException;

import io.nightshift.jobs.base.Failures;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.MaintenanceConfig;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Keeps the Iceberg result tables from growing without bound: every night adds at least one snapshot per table (a
 * date's overwrite, a MERGE into job_runs) and a handful of small files per partition. For each table, in order:
 * <ol>
 *   <li>compact: bin-pack the data files of every partition that has at least {@code compact_min_files} small ones
 *       (Iceberg's rewrite action; rows are unchanged, one commit);</li>
 *   <li>rewrite the manifests when the current snapshot has at least {@code compact_min_manifests} of them;</li>
 *   <li>expire snapshots committed before the cutoff (now minus {@code snapshot_retention}), keeping the newest
 *       {@code min_snapshots} whatever their age; the files only expired snapshots used are deleted. Expiring last
 *       means the snapshots the first two steps just made count towards the kept ones, and the small files they
 *       replaced go as soon as the retention allows.</li>
 * </ol>
 * Orphan files (written by a run that died before committing) are never removed: telling an orphan from the file of
 * a commit in flight needs a pause in writing that a nightly job cannot promise. A table that fails is reported and
 * the others are still maintained.
 */
public final class WarehouseMaintenance {
    private final ResultsStore store;
    private final MaintenanceConfig config;

    public WarehouseMaintenance(ResultsStore store, MaintenanceConfig config) {
        this.store = store;
        this.config = config;
    }

    /** Maintains every result table; snapshots committed before {@code now} minus the retention may expire. */
    public MaintenanceSummary run(Instant now, Progress progress) {
        Instant cutoff = now.minus(config.snapshotRetention());
        List<TableMaintenance> done = new ArrayList<>();
        for (ResultTable t : ResultTables.all()) {
            TableMaintenance result = maintain(t, cutoff.toEpochMilli());
            progress.line("maintain " + result.describe());
            done.add(result);
        }
        return new MaintenanceSummary(now, cutoff, done);
    }

    private TableMaintenance maintain(ResultTable resultTable, long cutoffMillis) {
        long start = System.nanoTime();
        TableFootprint before = null;
        try {
            Table table = load(resultTable);
            before = TableFootprint.of(table);
            RewriteDataFiles.Result compacted = SparkActions.get(store.spark()).rewriteDataFiles(table).binPack()
                    .option(SizeBasedFileRewritePlanner.MIN_INPUT_FILES, String.valueOf(config.compactMinFiles()))
                    .execute();
            long rewrittenManifests = 0;
            if (TableFootprint.of(table).dataManifests() >= config.compactMinManifests()) {
                for (var ignored : SparkActions.get(store.spark()).rewriteManifests(table).execute()
                        .rewrittenManifests()) {
                    rewrittenManifests++;
                }
            }
            table.refresh();
            int snapshotsBeforeExpiry = TableFootprint.of(table).snapshots();
            long deleted = 0;
            // The expire action runs Spark jobs to find the files to delete even when nothing qualifies; most
            // nights on most tables nothing does, and the check from metadata costs nothing.
            if (expirable(table, cutoffMillis, config.minSnapshots()) > 0) {
                ExpireSnapshots.Result expired = SparkActions.get(store.spark()).expireSnapshots(table)
                        .expireOlderThan(cutoffMillis).retainLast(config.minSnapshots())
                        // Stream the list of files to delete instead of collecting it on the driver at once.
                        .option(ExpireSnapshotsSparkAction.STREAM_RESULTS, "true")
                        .execute();
                deleted = expired.deletedDataFilesCount();
                table.refresh();
            }
            TableFootprint after = TableFootprint.of(table);
            return new TableMaintenance(resultTable.name(), before, after, compacted.rewrittenDataFilesCount(),
                    compacted.addedDataFilesCount(), rewrittenManifests, snapshotsBeforeExpiry - after.snapshots(),
                    deleted, Progress.seconds(start), null);
        } catch (Exception e) {
            // Exception, not RuntimeException: Spark throws its AnalysisException undeclared. One table failing must
            // not keep the others from being maintained.
            TableFootprint known = before != null ? before : new TableFootprint(0, 0, 0);
            return TableMaintenance.failed(resultTable.name(), known, Failures.innermost(e),
                    Progress.seconds(start));
        }
    }

    private Table load(ResultTable table) {
        String name = store.fullName(table);
        try {
            return Spark3Util.loadIcebergTable(store.spark(), name);
        } catch (ParseException | NoSuchTableException e) {
            throw new IllegalStateException("cannot load Iceberg table " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * How many snapshots Iceberg's expire action would remove: those committed before the cutoff that are not among
     * the {@code keep} newest ancestors of the current snapshot (the current one is always kept).
     */
    static int expirable(Table table, long cutoffMillis, int keep) {
        Set<Long> kept = new HashSet<>();
        for (Snapshot s = table.currentSnapshot(); s != null && kept.size() < keep;
             s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            kept.add(s.snapshotId());
        }
        int expirable = 0;
        for (Snapshot s : table.snapshots()) {
            if (s.timestampMillis() < cutoffMillis && !kept.contains(s.snapshotId())) {
                expirable++;
            }
        }
        return expirable;
    }
}
