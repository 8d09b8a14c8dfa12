package io.nightshift.jobs.after.report;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import io.nightshift.jobs.base.Failures;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.redaction.Redactor;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Writes a night's report file: collects it from the tables, renders it and replaces the file in one move, so a
 * person opening it never sees half a page. After a nightly run, a report that cannot be written is a warning, not a
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
    public static Path write(ResultsStore store, LocalDate date, int days, Path file, Redactor redaction) {
        ReportData data = new ReportCollector(store).collect(date, days, Instant.now());
        if (redaction != null) {
            data = RedactedReport.of(data, redaction::apply);
        }
        return writeFile(file, HtmlReportWriter.write(data));
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
    public static Optional<Path> afterRun(ResultsStore store, NightshiftConfig config, LocalDate date,
                                          Progress progress, PrintStream err) {
        if (!config.report().nightly()) {
            return Optional.empty();
        }
        Path file = config.report().fileFor(config.warehouse(), date);
        return bestEffort(() -> progress.timed("report", () -> write(store, date, config.report().trendDays(), file,
                        redactionFor(config)),
                p -> "written to " + p), date, err);
    }

    /** Runs {@code writer}; a runtime failure becomes a warning on {@code err} and an empty result. */
    static Optional<Path> bestEffort(Supplier<Path> writer, LocalDate date, PrintStream err) {
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

    static Path writeFile(Path file, String html) {
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            // A sibling, so the move is a rename; created like any file (umask), so readers can open the report.
            Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                Files.writeString(tmp, html, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + target + ": " + e, e);
        }
        return target;
    }
}
