package io.nightshift.jobs.cli;

import java.io.PrintStream;

import io.nightshift.jobs.config.NightshiftConfig;

/** Tells a person where the results went and how to look at them. */
final class ResultsPrinter {
    private ResultsPrinter() {
    }

    static void whereToLook(PrintStream out, NightshiftConfig config) {
        out.println();
        out.println("Results: Iceberg tables in " + config.warehouse().catalog() + "." + config.warehouse().namespace()
                + " (warehouse " + config.warehouse().path() + ")");
        out.println("Query them, e.g.:");
        out.println("  scripts/nightshift query \"SELECT * FROM job_runs ORDER BY started_at DESC\"");
        out.println("  scripts/nightshift query \"SELECT hour, service, SUM(error_count) errors FROM trend_hourly "
                + "GROUP BY hour, service ORDER BY errors DESC LIMIT 20\"");
        out.println("  scripts/nightshift tables    # every table and its columns");
    }
}
