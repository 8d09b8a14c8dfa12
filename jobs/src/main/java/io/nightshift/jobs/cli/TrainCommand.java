package io.nightshift.jobs.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.pipeline.ModelFreshness;
import io.nightshift.jobs.store.ModelRegistry;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.store.WriteLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nightshift train}: a new log-anomaly model version from the days before a date. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the log-template clustering model on the anomaly.training_days days before --date and "
                + "register it as a new version in model_registry (files under the warehouse's models/ folder).")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "Training date: the model learns from the days before it.")
    LocalDate date;

    @Override
    public Integer call() {
        NightshiftConfig config = common.loadConfig();
        ResultsStore store = common.openStore("nightshift-train-" + date, config);
        ModelRegistry.Entry e;
        try (WriteLock lock = common.lockWarehouse(store, "train " + date)) {
            e = new ModelFreshness(config, store, new Progress(System.out, "train " + date)).train(date);
        }
        System.out.println("model " + e.name() + " v" + e.version() + " trained on " + e.trainingFrom() + ".."
                + e.trainingTo() + " -> " + e.path());
        return ExitCodes.OK;
    }
}
