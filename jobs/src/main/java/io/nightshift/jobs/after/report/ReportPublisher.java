package io.nightshift.jobs.after.report;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.hadoop.conf.Configuration;

import io.nightshift.jobs.base.DataFiles;
import io.nightshift.jobs.base.Failures;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.redaction.Redactor;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Writes a night's report file: collects it from the tables, renders it and replaces the file whole
 * ({@link DataFiles#writeString}; local, HDFS or object store), so a person opening it never sees half a page. After a nightly run, a report that cannot be written is a warning, not a
 * failure: the run's tables are already published and correct, and {@code nightshift report} can write it later.
 */
public final class ReportPublisher {
    private ReportPublisher() {
    }

    /**
     * Collects, renders and writes the report of {@code date} to {@code file}; returns the file.
     *
     * @param redaction the secrets and personal data to mask in it, or null to show the text as logged
     */
    public static Location write(ResultsStore store, LocalDate date, int days, Location file, Redactor redaction) {
        ReportData data = new ReportCollector(store).collect(date, days, Instant.now());
        if (redaction != null) {
            data = RedactedReport.of(data, redaction::apply);
        }
        return writeFile(file, HtmlReportWriter.write(data), store.spark().sparkContext().hadoopConfiguration());
    }

    /** The report's masking as the configuration sets it: null when {@code redaction.reports} is off. */
    public static Redactor redactionFor(NightshiftConfig config) {
        return config.redaction().reports() ? config.redaction().redactor() : null;
    }

    /**
     * The nightly run's report: written to the configured report folder when {@code report.nightly} is on. Any
     * failure is printed to {@code err} as a warning that names the cause and the command that writes the report
     * later; it never reaches the caller, whose run has succeeded.
     *
     * @return the file written, or empty when the report is off or failed
     */
    public static Optional<Location> afterRun(ResultsStore store, NightshiftConfig config, LocalDate date,
                                          Progress progress, PrintStream err) {
        if (!config.report().nightly()) {
            return Optional.empty();
        }
        Location file = config.report().fileFor(config.warehouse(), date);
        return bestEffort(() -> progress.timed("report", () -> write(store, date, config.report().trendDays(), file,
                        redactionFor(config)),
                p -> "written to " + p), date, err);
    }

    /** Runs {@code writer}; a runtime failure becomes a warning on {@code err} and an empty result. */
    static Optional<Location> bestEffort(Supplier<Location> writer, LocalDate date, PrintStream err) {
        try {
            return Optional.of(writer.get());
        } catch (RuntimeException e) {
            err.println("nightshift: warning: the run for " + date + " succeeded and its tables are published, but "
                    + "its report was not written: " + reason(e) + ". Write it later with: "
                    + "scripts/nightshift report --date " + date);
            err.flush();
            return Optional.empty();
        }
    }

    /** Our own failures say what went wrong at the top; Spark's say it at the bottom of the cause chain. */
    private static String reason(RuntimeException e) {
        if (e instanceof UncheckedIOException || e instanceof io.nightshift.jobs.base.NightshiftException) {
            return e.getMessage();
        }
        return Failures.innermost(e);
    }

    static Location writeFile(Location file, String html, Configuration hadoop) {
        try {
            DataFiles.writeString(file, html, hadoop);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot write report " + file + ": " + e.getCause(), e.getCause());
        }
        return file;
    }
}
