package io.nightshift.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.after.maintenance.TableFootprint;
import io.nightshift.jobs.config.NightshiftConfig.WarehouseConfig;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;

/**
 * Every result table's Iceberg footprint after a soak night, and whether maintenance kept the snapshots within the
 * retention. The bound, exactly as Iceberg's expire action defines it: after a pass that started at T, a table keeps
 * no more than {@code min_snapshots} snapshots committed before T minus the retention (the newest ones, which
 * {@code retainLast} keeps whatever their age). Snapshots committed later, by the pass itself or after it, are within
 * the retention and not counted.
 */
final class SnapshotCensus {
    /**
     * @param snapshots    snapshots of all tables
     * @param maxSnapshots the most snapshots one table has
     * @param maxTable     that table
     * @param dataFiles    data files of all tables' current snapshots
     * @param problems     tables over the bound, in words; empty when bounded
     */
    record Result(int snapshots, int maxSnapshots, String maxTable, long dataFiles, List<String> problems) {
    }

    private SnapshotCensus() {
    }

    static Result take(SparkSession spark, WarehouseConfig warehouse, Instant maintenanceStart, Duration retention,
                       int minSnapshots) {
        long cutoff = maintenanceStart.minus(retention).toEpochMilli();
        int snapshots = 0;
        int max = -1;
        String maxTable = null;
        long files = 0;
        List<String> problems = new ArrayList<>();
        for (ResultTable t : ResultTables.all()) {
            Table table = load(spark, warehouse.table(t.name()));
            TableFootprint footprint = TableFootprint.of(table);
            snapshots += footprint.snapshots();
            files += footprint.dataFiles();
            if (footprint.snapshots() > max) {
                max = footprint.snapshots();
                maxTable = t.name();
            }
            int old = 0;
            for (Snapshot s : table.snapshots()) {
                old += s.timestampMillis() < cutoff ? 1 : 0;
            }
            if (old > minSnapshots) {
                problems.add(t.name() + " keeps " + old + " snapshots committed before " + Instant.ofEpochMilli(cutoff)
                        + " (maintenance start minus the retention); at most " + minSnapshots + " may stay");
            }
        }
        return new Result(snapshots, max, maxTable, files, problems);
    }

    private static Table load(SparkSession spark, String name) {
        try {
            return Spark3Util.loadIcebergTable(spark, name);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load Iceberg table " + name + ": " + e.getMessage(), e);
        }
    }
}
