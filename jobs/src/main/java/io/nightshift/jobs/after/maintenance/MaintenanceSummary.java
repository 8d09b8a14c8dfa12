package io.nightshift.jobs.after.maintenance;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * What one maintenance pass did to every table, for the caller to print and for {@code job_runs} to record.
 *
 * @param startedAt when the pass started; the snapshot cutoff is this instant minus the retention
 * @param cutoff    snapshots committed before this instant were expired unless among a table's newest
 *                  {@code maintenance.min_snapshots}
 * @param tables    one entry per result table, in {@link ResultTables#all()} order
 */
public record MaintenanceSummary(Instant startedAt, Instant cutoff, List<TableMaintenance> tables) {
    public MaintenanceSummary {
        tables = List.copyOf(tables);
    }

    public List<TableMaintenance> failures() {
        return tables.stream().filter(t -> !t.succeeded()).toList();
    }

    /** Null when every table was maintained; otherwise each failed table with its reason. */
    public String errorMessage() {
        List<TableMaintenance> failed = failures();
        return failed.isEmpty() ? null : "maintenance failed for " + failed.stream()
                .map(t -> t.table() + " (" + t.error() + ")").collect(Collectors.joining("; "));
    }

    public long total(ToLongFunction<TableMaintenance> measure) {
        return tables.stream().mapToLong(measure).sum();
    }

    /** The totals in one line. */
    public String describe() {
        return String.format(Locale.ROOT, "%d tables: data files %d -> %d (%d compacted into %d), snapshots %d -> %d "
                        + "(%d expired, cutoff %s)%s", tables.size(),
                total(t -> t.before().dataFiles()), total(t -> t.after().dataFiles()),
                total(TableMaintenance::rewrittenDataFiles), total(TableMaintenance::addedDataFiles),
                total(t -> t.before().snapshots()), total(t -> t.after().snapshots()),
                total(TableMaintenance::expiredSnapshots), cutoff.truncatedTo(ChronoUnit.SECONDS),
                failures().isEmpty() ? "" : ", " + failures().size() + " FAILED");
    }

    /**
     * {@code job_runs.stage_counts}: the totals, and per table (suffix {@code :TABLE}) whatever changed, so that a
     * query finds which tables maintenance touched without a row of zeros for every table.
     */
    public Map<String, Long> stageCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("data_files_before", total(t -> t.before().dataFiles()));
        counts.put("data_files_after", total(t -> t.after().dataFiles()));
        counts.put("rewritten_data_files", total(TableMaintenance::rewrittenDataFiles));
        counts.put("added_data_files", total(TableMaintenance::addedDataFiles));
        counts.put("rewritten_manifests", total(TableMaintenance::rewrittenManifests));
        counts.put("snapshots_before", total(t -> t.before().snapshots()));
        counts.put("snapshots_after", total(t -> t.after().snapshots()));
        counts.put("expired_snapshots", total(TableMaintenance::expiredSnapshots));
        counts.put("deleted_data_files", total(TableMaintenance::deletedDataFiles));
        counts.put("failed_tables", (long) failures().size());
        for (TableMaintenance t : tables) {
            putIfChanged(counts, "rewritten_data_files:" + t.table(), t.rewrittenDataFiles());
            putIfChanged(counts, "added_data_files:" + t.table(), t.addedDataFiles());
            putIfChanged(counts, "expired_snapshots:" + t.table(), t.expiredSnapshots());
        }
        return counts;
    }

    private static void putIfChanged(Map<String, Long> counts, String key, long value) {
        if (value != 0) {
            counts.put(key, value);
        }
    }

    /** {@code job_runs.stage_seconds}: wall time per table ({@code maintain:TABLE}). */
    public Map<String, Double> stageSeconds() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        tables.forEach(t -> seconds.put("maintain:" + t.table(), t.seconds()));
        return seconds;
    }
}
