package io.nightshift.jobs.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;

import io.nightshift.jobs.after.maintenance.MaintenanceJob;
import io.nightshift.jobs.after.report.ReportPublisher;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.pipeline.Pipelines;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.store.WriteLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nightshift score}: the nightly run for a date with a pinned model version. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Run the nightly job for --date scoring with the given log-anomaly model version instead of "
                + "the newest (no retraining). Replaces the date's results, writes the report and maintains the warehouse "
                + "like run does.")
public final class ScoreCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "Logical date to process.")
    LocalDate date;

    @Option(names = "--model-version", required = true, paramLabel = "V", description = "Registered version.")
    int modelVersion;

    @Override
    public Integer call() {
        if (modelVersion < 1) {
            throw NightshiftException.usage("--model-version must be 1 or more, got " + modelVersion);
        }
        NightshiftConfig config = common.loadConfig();
        ResultsStore store = common.openStore("nightshift-score-" + date, config);
        try (WriteLock lock = common.lockWarehouse(store, "score " + date)) {
            Progress progress = new Progress(System.out, "score " + date);
            Pipelines.nightly(store, config, progress, modelVersion, false).run(date);
            ReportPublisher.afterRun(store, config, date, progress, System.err);
            MaintenanceJob.afterRun(store, config, date, progress, System.err);
        }
        ResultsPrinter.whereToLook(System.out, config);
        return ExitCodes.OK;
    }
}
