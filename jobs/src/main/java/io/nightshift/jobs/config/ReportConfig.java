package io.nightshift.jobs.config;

import java.nio.file.Path;

import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.NightshiftConfig.WarehouseConfig;

/**
 * The {@code report:} section of the configuration: where the HTML run report goes and what it covers.
 *
 * @param directory folder the nightly run writes {@code nightshift-report-YYYY-MM-DD.html} to; {@code null} (the
 *                  default) means {@code reports/<namespace>/} inside the warehouse folder, beside the models, so
 *                  that {@code --warehouse} moves the reports along with the tables and two namespaces sharing a
 *                  warehouse do not overwrite each other's reports; a URI puts them on HDFS or an object store
 * @param nightly   whether {@code run} (and {@code score}) write the report after a successful night; default true
 * @param trendDays days of trend history the charts show, ending on the report's date; default 28
 */
public record ReportConfig(Location directory, boolean nightly, int trendDays) {
    public static final int DEFAULT_TREND_DAYS = 28;
    /** A year of daily points is as much as a chart can show legibly. */
    public static final int MAX_TREND_DAYS = 366;

    /** The section as YAML gives it (snake_case keys; unknown keys are rejected by the config loader). */
    public record Raw(String directory, Boolean nightly, Integer trendDays) {
    }

    /**
     * Fills defaults and validates.
     *
     * @throws NightshiftException (bad config) naming the key and the value
     */
    public static ReportConfig resolve(Raw raw, Path base, String origin) {
        Raw r = raw == null ? new Raw(null, null, null) : raw;
        Location dir = null;
        if (r.directory() != null && !r.directory().isBlank()) {
            dir = ConfigValues.location(origin, "report.directory", base, r.directory());
        }
        int days = r.trendDays() == null ? DEFAULT_TREND_DAYS : r.trendDays();
        if (days < 1 || days > MAX_TREND_DAYS) {
            throw NightshiftException.badConfig(origin + ": report.trend_days must be between 1 and " + MAX_TREND_DAYS
                    + ", got " + days);
        }
        return new ReportConfig(dir, r.nightly() == null || r.nightly(), days);
    }

    public static ReportConfig defaults() {
        return new ReportConfig(null, true, DEFAULT_TREND_DAYS);
    }

    /**
     * The folder reports go to: {@link #directory} when set, else {@code reports/<namespace>/} in the warehouse
     * folder.
     */
    public Location directoryFor(WarehouseConfig warehouse) {
        return directory != null ? directory : warehouse.path().resolve("reports/" + warehouse.namespace());
    }

    /** The report file of {@code date} in {@link #directoryFor}. */
    public Location fileFor(WarehouseConfig warehouse, java.time.LocalDate date) {
        return directoryFor(warehouse).resolve("nightshift-report-" + date + ".html");
    }
}
