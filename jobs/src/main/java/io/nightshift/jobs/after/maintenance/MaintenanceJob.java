package io.nightshift.jobs.after.maintenance;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.nightshift.jobs.base.Failures;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.MaintenanceConfig;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.store.JobRun;
import io.nightshift.jobs.store.JobRunLog;
import io.nightshift.jobs.store.ResultsStore;

/**
 * {@link WarehouseMaintenance} as a recorded job: a {@code maintain} row in {@code job_runs} whose
 * {@code started_at} is the instant the snapshot cutoff was computed from, whose {@code stage_counts} hold
 * {@link MaintenanceSummary#stageCounts()} and whose status is {@code failed} when any table could not be
 * maintained. The caller holds the warehouse write lock.
 */
public final class MaintenanceJob {
    public static final String COMMAND = "maintain";

    private MaintenanceJob() {
    }

    /**
     * Maintains every table and records the job.
     *
     * @param date the nightly run's date when maintaining after one (recorded as {@code logical_date}), else null
     */
    public static MaintenanceSummary run(ResultsStore store, MaintenanceConfig config, LocalDate date,
                                         Progress progress) {
        String runId = COMMAND + "-" + (date == null ? "" : date + "-") + UUID.randomUUID().toString().substring(0, 8);
        try (JobRun run = new JobRunLog(store).start(runId, COMMAND, date)) {
            try {
                MaintenanceSummary summary = new WarehouseMaintenance(store, config).run(run.startedAt(), progress);
                String error = summary.errorMessage();
                run.succeeded(new JobRunLog.Outcome(error == null ? JobRunLog.SUCCEEDED : JobRunLog.FAILED, 0, 0, 0,
                        0, summary.stageCounts(), summary.stageSeconds(), error));
                return summary;
            } catch (Throwable e) {
                // Throwable: Spark's AnalysisException is checked in Java's eyes but thrown undeclared (a table that
                // is gone, say). Only undeclared ones can arrive here, so the rethrow is legal.
                run.failed(e, Map.of());
                throw e;
            }
        }
    }

    /**
     * Maintenance after a successful nightly run, when {@code maintenance.after_run} is on. A failure, whole or of
     * some tables, is printed to {@code err} as a warning naming the cause and the command that retries it; it never
     * reaches the caller, whose tables are already published and correct.
     *
     * @return the summary, or empty when maintenance is off or failed as a whole
     */
    public static Optional<MaintenanceSummary> afterRun(ResultsStore store, NightshiftConfig config, LocalDate date,
                                                        Progress progress, PrintStream err) {
        if (!config.maintenance().afterRun()) {
            return Optional.empty();
        }
        try {
            MaintenanceSummary summary = run(store, config.maintenance(), date, progress);
            progress.line("maintain " + summary.describe());
            if (summary.errorMessage() != null) {
                warn(err, date, summary.errorMessage());
            }
            return Optional.of(summary);
        } catch (Exception e) {
            // Any failure, including Spark's undeclared AnalysisException: the night has succeeded regardless.
            warn(err, date, Failures.innermost(e));
            return Optional.empty();
        }
    }

    private static void warn(PrintStream err, LocalDate date, String reason) {
        err.println("nightshift: warning: the run for " + date + " succeeded and its tables are published, but "
                + "warehouse maintenance did not complete: " + reason + ". Retry it with: scripts/nightshift maintain");
        err.flush();
    }
}
