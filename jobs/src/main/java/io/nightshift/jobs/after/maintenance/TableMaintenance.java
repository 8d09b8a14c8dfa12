package io.nightshift.jobs.after.maintenance;

import java.util.Locale;

/**
 * What maintenance did to one table.
 *
 * @param table              the result table's name
 * @param before             footprint before maintenance
 * @param after              footprint after it (equal to {@code before} when it failed before changing anything)
 * @param rewrittenDataFiles small data files compacted away (their rows now live in {@code addedDataFiles})
 * @param addedDataFiles     data files the compaction wrote
 * @param rewrittenManifests manifests replaced by the manifest rewrite
 * @param expiredSnapshots   snapshots removed from the metadata
 * @param deletedDataFiles   data files deleted from storage because no kept snapshot needs them any more
 * @param seconds            wall time spent on the table
 * @param error              why maintenance of the table failed, or null
 */
public record TableMaintenance(String table, TableFootprint before, TableFootprint after, long rewrittenDataFiles,
                               long addedDataFiles, long rewrittenManifests, long expiredSnapshots,
                               long deletedDataFiles, double seconds, String error) {

    static TableMaintenance failed(String table, TableFootprint before, String error, double seconds) {
        return new TableMaintenance(table, before, before, 0, 0, 0, 0, 0, seconds, error);
    }

    public boolean succeeded() {
        return error == null;
    }

    /** One line for a person: what changed, or why nothing could. */
    public String describe() {
        if (!succeeded()) {
            return String.format(Locale.ROOT, "%-20s FAILED: %s (%.1f s)", table, error, seconds);
        }
        if (before.equals(after) && rewrittenManifests == 0) {
            return String.format(Locale.ROOT, "%-20s unchanged: %d data files, %d snapshots (%.1f s)", table,
                    after.dataFiles(), after.snapshots(), seconds);
        }
        return String.format(Locale.ROOT, "%-20s data files %d -> %d (%d compacted into %d), manifests %d -> %d, "
                        + "snapshots %d -> %d (%d expired, %d unreferenced data files deleted) (%.1f s)",
                table, before.dataFiles(), after.dataFiles(), rewrittenDataFiles, addedDataFiles,
                before.dataManifests(), after.dataManifests(), before.snapshots(), after.snapshots(),
                expiredSnapshots, deletedDataFiles, seconds);
    }
}
