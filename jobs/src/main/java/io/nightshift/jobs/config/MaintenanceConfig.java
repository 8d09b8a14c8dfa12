package io.nightshift.jobs.config;

import java.time.Duration;

import io.nightshift.jobs.base.NightshiftException;

/**
 * The {@code maintenance:} section of the configuration: how long Iceberg snapshots are kept and when small files
 * are compacted (see {@link WarehouseMaintenance}).
 *
 * @param afterRun            whether {@code run}, {@code score} and {@code backfill} maintain the warehouse after
 *                            they succeed; default true (without it every night adds snapshots and small files forever)
 * @param snapshotRetention   snapshots committed longer ago than this are expired, except the newest
 *                            {@code minSnapshots}; measured on Iceberg's commit times, which are wall-clock times of
 *                            the runs, not logical dates; default 7 days; 0 keeps only the newest {@code minSnapshots}
 * @param minSnapshots        the newest snapshots of each table that are kept whatever their age; default 5
 * @param compactMinFiles     a partition's small data files are compacted once there are at least this many;
 *                            default 5
 * @param compactMinManifests a table's manifests are rewritten once its current snapshot has at least this many;
 *                            default 20
 */
public record MaintenanceConfig(boolean afterRun, Duration snapshotRetention, int minSnapshots, int compactMinFiles,
                                int compactMinManifests) {
    public static final String DEFAULT_RETENTION = "7 days";

    /** The section as YAML gives it (snake_case keys; unknown keys are rejected by the config loader). */
    public record Raw(Boolean afterRun, String snapshotRetention, Integer minSnapshots, Integer compactMinFiles,
                      Integer compactMinManifests) {
    }

    public static MaintenanceConfig defaults() {
        return resolve(null, "built-in defaults");
    }

    /**
     * Fills defaults and validates.
     *
     * @throws NightshiftException (bad config) naming the key and the value
     */
    public static MaintenanceConfig resolve(Raw raw, String origin) {
        Raw r = raw == null ? new Raw(null, null, null, null, null) : raw;
        return new MaintenanceConfig(r.afterRun() == null || r.afterRun(),
                retention(origin, r.snapshotRetention() == null ? DEFAULT_RETENTION : r.snapshotRetention()),
                ConfigValues.atLeast(origin, "maintenance.min_snapshots", r.minSnapshots(), 5, 1),
                // One file alone is never worth rewriting: it would be rewritten again every night.
                ConfigValues.atLeast(origin, "maintenance.compact_min_files", r.compactMinFiles(), 5, 2),
                ConfigValues.atLeast(origin, "maintenance.compact_min_manifests", r.compactMinManifests(), 20, 2));
    }

    private static Duration retention(String origin, String value) {
        try {
            return Duration.ofSeconds(WindowLength.seconds(value));
        } catch (IllegalArgumentException e) {
            throw NightshiftException.badConfig(origin + ": maintenance.snapshot_retention must be a duration such as "
                    + "'7 days', '12 hours' or '30 minutes', got '" + value + "'");
        }
    }
}
