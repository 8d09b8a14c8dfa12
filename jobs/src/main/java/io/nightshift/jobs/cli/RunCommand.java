package io.nightshift.jobs.cli;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.nightshift.jobs.after.maintenance.MaintenanceJob;
import io.nightshift.jobs.after.metrics.DetectionMetricsJob;
import io.nightshift.jobs.after.notify.NotificationJob;
import io.nightshift.jobs.after.report.ReportPublisher;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.pipeline.HistoryBootstrap;
import io.nightshift.jobs.pipeline.NightlyPipeline;
import io.nightshift.jobs.pipeline.Pipelines;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.store.WriteLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nightshift run}: the nightly entry point for one logical date. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the nightly job for one logical date: read the lake, compute every stage, then replace "
                + "that date's rows in the result tables (idempotent: a rerun gives the same tables). Afterwards "
                + "recompute detection_metrics (see the metrics command; a failure is a warning), then "
                + "write the night's HTML report to report.directory (unless report.nightly is false); a report that "
                + "fails is a warning, the run still succeeds. Then notify the sinks in notifications.sinks of the "
                + "incidents the night created or changed (a sink that is down is a warning; its notifications stay "
                + "pending for the next run or notify --retry). Then maintain the warehouse (compact small files, expire "
                + "old snapshots; see the maintain command) unless maintenance.after_run is false; a maintenance "
                + "failure is a warning too.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "Logical date to process (default: yesterday in --timezone).")
    LocalDate date;

    @Option(names = "--timezone", paramLabel = "ZONE", defaultValue = "UTC",
            description = "Time zone that decides 'yesterday' when --date is not given (default: ${DEFAULT-VALUE}).")
    ZoneId timezone;

    @Option(names = "--recompute-days", paramLabel = "K",
            description = "Also reprocess the K days before --date first, for late-arriving data "
                    + "(default: trends.recompute_days from the config).")
    Integer recomputeDays;

    @Option(names = "--strict-rules",
            description = "Refuse to run (exit code 3) while any rule is invalid or cannot run over the lake's "
                    + "columns, as 'rules check --strict' does. By default such a rule is left out, named with its "
                    + "file and the reason (progress output, job_runs.detail, the report), and the night goes on.")
    boolean strictRules;

    @Option(names = "--no-bootstrap",
            description = "Do not aggregate missing history days from the lake before running (trend baselines then "
                    + "use only the history already in the warehouse).")
    boolean noBootstrap;

    @Override
    public Integer call() {
        LocalDate day = date != null ? date : LocalDate.now(timezone).minusDays(1);
        NightshiftConfig config = common.loadConfig();
        ResultsStore store = common.openStore("nightshift-run-" + day, config);
        try (WriteLock lock = common.lockWarehouse(store, "run " + day)) {
            Progress progress = new Progress(System.out, "run " + day);
            progress.line("lake " + config.lake().root() + " -> warehouse " + config.warehouse().path());
            if (!noBootstrap) {
                new HistoryBootstrap(config, store, progress).fill(day);
            }
            int recompute = recomputeDays != null ? recomputeDays : config.trends().recomputeDays();
            if (recompute < 0) {
                throw NightshiftException.usage("--recompute-days must be 0 or more, got " + recompute);
            }
            // Late-arriving data: the days before are reprocessed first (each idempotently), oldest first.
            List<LocalDate> processed = new ArrayList<>();
            for (LocalDate d = day.minusDays(recompute); d.isBefore(day); d = d.plusDays(1)) {
                Progress p = new Progress(System.out, "run " + day + " recompute " + d);
                Pipelines.nightly(store, config, p, strictRules).run(d);
                processed.add(d);
            }
            NightlyPipeline.RunSummary summary = Pipelines.nightly(store, config, progress, strictRules).run(day);
            processed.add(day);
            progress.line("succeeded: run " + summary.runId());
            DetectionMetricsJob.afterRun(store, config.metrics(), progress, System.err);
            ReportPublisher.afterRun(store, config, day, progress, System.err);
            // After the commit: a sink that is down can neither hold back nor undo the night's tables.
            NotificationJob.afterRun(store, config.notifications(), processed, progress, System.err);
            MaintenanceJob.afterRun(store, config, day, progress, System.err);
            ResultsPrinter.incidents(System.out, store, processed.get(0), day);
        }
        ResultsPrinter.whereToLook(System.out, config);
        return ExitCodes.OK;
    }
}
