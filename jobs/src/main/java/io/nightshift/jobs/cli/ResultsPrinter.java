package io.nightshift.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.List;

import org.apache.spark.sql.Row;

import io.nightshift.jobs.cases.CaseRecordFormat;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;

/** Tells a person what the night found, where the results went and how to look at them. */
final class ResultsPrinter {
    /** Incidents listed after a night; the rest are counted, and incident list shows them all. */
    static final int INCIDENTS_SHOWN = 12;

    private ResultsPrinter() {
    }

    /** The incidents the nights from {@code from} to {@code to} opened or updated, most urgent first. */
    static void incidents(PrintStream out, ResultsStore store, LocalDate from, LocalDate to) {
        List<Row> rows = store.read(ResultTables.INCIDENTS)
                .where(col("updated_date").between(lit(from.toString()).cast("date"), lit(to.toString()).cast("date")))
                .orderBy(col("priority"), col("severity_score").desc(), col("incident_id"))
                .select("incident_id", "priority", "severity", "title").collectAsList();
        out.println();
        String dates = from.equals(to) ? from.toString() : from + ".." + to;
        if (rows.isEmpty()) {
            out.println("No candidate incidents for " + dates + ".");
            return;
        }
        out.println(rows.size() + " candidate incident" + (rows.size() == 1 ? "" : "s") + " for " + dates
                + ", most urgent first:");
        for (Row r : rows.subList(0, Math.min(INCIDENTS_SHOWN, rows.size()))) {
            out.printf("  %-21s %-3s %-13s %s%n", r.getString(0), cell(r, 1), cell(r, 2), cell(r, 3));
        }
        if (rows.size() > INCIDENTS_SHOWN) {
            out.println("  ... and " + (rows.size() - INCIDENTS_SHOWN) + " more (scripts/nightshift incident list)");
        }
        out.println("The whole case record of one: scripts/nightshift incident show " + rows.get(0).getString(0));
    }

    private static String cell(Row r, int i) {
        return r.isNullAt(i) ? "-" : CaseRecordFormat.plain(r.get(i));
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
