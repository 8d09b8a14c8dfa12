package io.nightshift.jobs.cli;

import java.util.concurrent.Callable;

import io.nightshift.jobs.after.maintenance.MaintenanceJob;
import io.nightshift.jobs.after.maintenance.MaintenanceSummary;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.store.WriteLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code nightshift maintain}: warehouse maintenance on demand (run does it after every night by default). */
@Command(name = "maintain", mixinStandardHelpOptions = true,
        description = "Maintain every result table: compact the small data files of partitions that have at least "
                + "maintenance.compact_min_files of them, rewrite a table's manifests once it has "
                + "maintenance.compact_min_manifests, then expire the snapshots committed more than "
                + "maintenance.snapshot_retention ago, keeping each table's newest maintenance.min_snapshots, and "
                + "delete the files only expired snapshots used. Rows never change; files of uncommitted writes "
                + "(orphans) are left alone. Holds the warehouse write lock and records a 'maintain' row in "
                + "job_runs. run, score and backfill do the same after succeeding unless maintenance.after_run is "
                + "false. Exit code 1 when a table could not be maintained (the others are).")
public final class MaintainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        NightshiftConfig config = common.loadConfig();
        ResultsStore store = common.openStore("nightshift-maintain", config);
        MaintenanceSummary summary;
        try (WriteLock lock = common.lockWarehouse(store, MaintenanceJob.COMMAND)) {
            Progress progress = new Progress(System.out, MaintenanceJob.COMMAND);
            summary = MaintenanceJob.run(store, config.maintenance(), null, progress);
            progress.line(summary.describe());
        }
        if (summary.errorMessage() != null) {
            throw new NightshiftException(ExitCodes.STAGE_FAILURE, summary.errorMessage()
                    + "; the other tables were maintained, nothing was lost; run maintain again once the cause is "
                    + "fixed");
        }
        return ExitCodes.OK;
    }
}
