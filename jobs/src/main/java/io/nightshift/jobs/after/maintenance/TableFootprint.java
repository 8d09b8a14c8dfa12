package io.nightshift.jobs.after.maintenance;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * What an Iceberg table keeps besides its rows: the snapshots (each one pins the files it read) and the data files
 * and data manifests of the current snapshot. Read from metadata only (the snapshot summary and the manifest list),
 * never by scanning data, so it is cheap enough to take before and after every maintenance step.
 *
 * @param snapshots     snapshots in the table's metadata, the current one included
 * @param dataFiles     data files of the current snapshot (0 for a table never written)
 * @param dataManifests data manifests of the current snapshot (0 for a table never written)
 */
public record TableFootprint(int snapshots, long dataFiles, int dataManifests) {

    public static TableFootprint of(Table table) {
        int snapshots = 0;
        for (Snapshot ignored : table.snapshots()) {
            snapshots++;
        }
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return new TableFootprint(snapshots, 0, 0);
        }
        // Every commit writes its running totals into the summary; counting the files would read every manifest.
        long files = Long.parseLong(current.summary().getOrDefault("total-data-files", "0"));
        return new TableFootprint(snapshots, files, current.dataManifests(table.io()).size());
    }
}
