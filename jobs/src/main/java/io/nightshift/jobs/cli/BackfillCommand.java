package io.nightshift.jobs.cli;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;

import io.nightshift.jobs.after.maintenance.MaintenanceJob;
import io.nightshift.jobs.after.notify.NotificationJob;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.Failures;
import io.nightshift.jobs.base.StopRequest;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.pipeline.HistoryBootstrap;
import io.nightshift.jobs.pipeline.NightlyPipeline;
import io.nightshift.jobs.pipeline.Pipelines;
import io.nightshift.jobs.store.JobRunLog;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.store.WriteLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nightshift backfill}: the nightly run for each date of a range, oldest first. */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = "Run the nightly job for every date from --from to --to (inclusive), in order. Dates that "
                + "already succeeded are skipped unless --force. Stops at the first failing date. After each date, "
                + "notifies the sinks in notifications.sinks of that date's incidents (best effort, like run). "
                + "After the last date, "
                + "maintains the warehouse once (see the maintain command) unless maintenance.after_run is false.")
public final class BackfillCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "First date.")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "Last date (inclusive).")
    LocalDate to;

    @Option(names = "--force", description = "Rerun dates that already succeeded.")
    boolean force;

    @Option(names = "--strict-rules",
            description = "Refuse to run (exit code 3) while any rule is invalid or cannot run, as run --strict-rules "
                    + "does; by default such a rule is left out and named, and the dates go on.")
    boolean strictRules;

    @Option(names = "--no-bootstrap",
            description = "Do not aggregate missing history days before --from from the lake first.")
    boolean noBootstrap;

    @Override
    public Integer call() {
        if (to.isBefore(from)) {
            throw NightshiftException.usage("--to " + to + " is before --from " + from);
        }
        NightshiftConfig config = common.loadConfig();
        ResultsStore store = common.openStore("nightshift-backfill-" + from + "-" + to, config);
        try (WriteLock lock = common.lockWarehouse(store, "backfill " + from + ".." + to)) {
            JobRunLog runs = new JobRunLog(store);
            if (!noBootstrap) {
                new HistoryBootstrap(config, store, new Progress(System.out, "backfill " + from)).fill(from);
            }
            int done = 0;
            int skipped = 0;
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                StopRequest.checkNotRequested();
                Progress progress = new Progress(System.out, "backfill " + d);
                if (!force && runs.hasSucceeded(NightlyPipeline.COMMAND, d)) {
                    progress.line("already succeeded; skipped (use --force to rerun)");
                    skipped++;
                    continue;
                }
                try {
                    Pipelines.nightly(store, config, progress, strictRules).run(d);
                    done++;
                } catch (NightshiftException e) {
                    throw new NightshiftException(e.exitCode(), stopped(d, done, skipped) + e.getMessage(), e);
                } catch (RuntimeException e) {
                    throw new NightshiftException(ExitCodes.STAGE_FAILURE,
                            stopped(d, done, skipped) + Failures.innermost(e), e);
                }
                // Per date, after its commit: the date's incident versions are notified before the next date
                // replaces them with newer ones.
                NotificationJob.afterRun(store, config.notifications(), List.of(d), progress, System.err);
            }
            System.out.println("backfill " + from + ".." + to + ": " + done + " dates run, " + skipped + " skipped");
            if (done > 0) {
                // Once for the whole range: the range's snapshots and small files are maintained together.
                MaintenanceJob.afterRun(store, config, to, new Progress(System.out, "backfill " + to), System.err);
            }
            ResultsPrinter.incidents(System.out, store, from, to);
        }
        ResultsPrinter.whereToLook(System.out, config);
        return ExitCodes.OK;
    }

    private String stopped(LocalDate d, int done, int skipped) {
        return "backfill stopped at " + d + " (" + done + " dates run, " + skipped + " skipped before it; resume with"
                + " --from " + d + "): ";
    }
}
