package io.nightshift.jobs.pipeline;

import java.time.LocalDate;
import java.util.Optional;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.AnomalyConfig;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.detect.clusters.AnomalyTrainer;
import io.nightshift.jobs.detect.clusters.LogAnomalyModel;
import io.nightshift.jobs.detect.clusters.ScoringModel;
import io.nightshift.jobs.lake.LakeReader;
import io.nightshift.jobs.store.ModelRegistry;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Tonight's log-anomaly model, decided before any stage runs: a pinned version, or the newest registered one, or a
 * new one trained on the days before the date when there is none or the newest is older than
 * {@code anomaly.max_model_age_days}. Training reads the lake and registers the model: the one step of a night,
 * besides publishing, that writes (a model version, never a result table).
 */
public final class ModelFreshness {
    private final NightshiftConfig config;
    private final ResultsStore store;
    private final Progress progress;

    public ModelFreshness(NightshiftConfig config, ResultsStore store, Progress progress) {
        this.config = config;
        this.store = store;
        this.progress = progress;
    }

    /** Thrown when the training range holds no usable rows. */
    static final class NoTrainingData extends NightshiftException {
        NoTrainingData(String message) {
            super(ExitCodes.BAD_INPUT, message);
        }
    }

    /**
     * The model to score {@code date} with; empty on a cold start (no model, and no log history to train one on).
     *
     * @param pinnedVersion a registry version to use, or null for the newest (trained when due)
     */
    public Optional<ScoringModel> tonight(LocalDate date, Integer pinnedVersion) {
        AnomalyConfig ac = config.anomaly();
        ModelRegistry registry = new ModelRegistry(store);
        ModelRegistry.Entry entry;
        if (pinnedVersion != null) {
            entry = registry.version(AnomalyConfig.MODEL_NAME, pinnedVersion);
        } else {
            entry = registry.newest(AnomalyConfig.MODEL_NAME, date);
            if (entry == null || entry.trainingTo().isBefore(date.minusDays(ac.maxModelAgeDays()))) {
                progress.line(entry == null ? "no model yet: training one"
                        : "model v" + entry.version() + " trained up to " + entry.trainingTo() + " is older than "
                        + ac.maxModelAgeDays() + " days: retraining");
                ModelRegistry.Entry trained = trainIfData(date);
                if (trained == null && entry == null) {
                    progress.line("cold start: no log history before " + date
                            + " to train on; the cluster detector is skipped tonight");
                    return Optional.empty();
                }
                entry = trained != null ? trained : entry;
            }
        }
        try {
            return Optional.of(new ScoringModel(LogAnomalyModel.load(entry.path(), ac.views()), entry.version()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("model " + AnomalyConfig.MODEL_NAME + " v" + entry.version()
                    + " does not fit this data: " + e.getMessage(), e);
        }
    }

    /** Trains, or returns null when the lake has no usable rows in the training range (cold start). */
    public ModelRegistry.Entry trainIfData(LocalDate date) {
        try {
            return train(date);
        } catch (NoTrainingData e) {
            return null;
        }
    }

    /**
     * Trains a new version on the {@code anomaly.training_days} days before {@code date} and registers it. The
     * date's own logs are left out, so the night being scored is never part of what "normal" means.
     *
     * @throws NightshiftException (bad input) when those days hold no usable rows
     */
    public ModelRegistry.Entry train(LocalDate date) {
        AnomalyConfig ac = config.anomaly();
        LocalDate from = date.minusDays(ac.trainingDays());
        LocalDate to = date.minusDays(1);
        LakeReader reader = new LakeReader(store.spark(), config.lake());
        Dataset<Row> logs = null;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            Dataset<Row> day = reader.read(d).rows();
            logs = logs == null ? day : logs.unionByName(day);
        }
        long rows = logs.count();
        if (rows == 0) {
            throw new NoTrainingData("no usable log rows in " + from + ".." + to + " to train on (lake "
                    + config.lake().root() + ")");
        }
        AnomalyTrainer.Trained trained = new AnomalyTrainer(ac, progress).train(logs, rows, from, to);
        ModelRegistry registry = new ModelRegistry(store);
        int version = registry.nextVersion(AnomalyConfig.MODEL_NAME);
        String path = registry.pathFor(AnomalyConfig.MODEL_NAME, version);
        trained.model().save(path);
        registry.register(AnomalyConfig.MODEL_NAME, version, from, to, trained.params(), trained.metrics(), path,
                trained.cards());
        progress.line("registered " + AnomalyConfig.MODEL_NAME + " v" + version + " at " + path);
        return registry.version(AnomalyConfig.MODEL_NAME, version);
    }
}
