package io.nightshift.jobs.detect.clusters;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.AnomalyConfig;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.lake.CanonicalSchema;
import io.nightshift.jobs.lake.LakeReader;
import io.nightshift.jobs.store.ModelRegistry;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.models.anomaly.ClusterAnomalyDetector;
import io.nightshift.models.anomaly.ClusterAnomalyModel;
import io.nightshift.models.features.WindowFeaturizer;
import io.nightshift.models.features.WindowFeaturizerModel;
import io.nightshift.models.templates.TemplateMiner;
import io.nightshift.models.templates.TemplateMinerModel;

/**
 * Trains a new {@link LogAnomalyModel} on the days before a date and registers it. The training date's own logs are
 * left out, so the night being scored is never part of what "normal" means.
 */
public final class AnomalyTrainer {
    private final NightshiftConfig config;
    private final ResultsStore store;
    private final Progress progress;

    public AnomalyTrainer(NightshiftConfig config, ResultsStore store, Progress progress) {
        this.config = config;
        this.store = store;
        this.progress = progress;
    }

    /** Trains, or returns null when the lake has no usable rows in the training range (cold start). */
    public ModelRegistry.Entry trainIfData(LocalDate date) {
        try {
            return train(date);
        } catch (NoTrainingData e) {
            return null;
        }
    }

    /** Thrown when the training range holds no usable rows. */
    static final class NoTrainingData extends NightshiftException {
        NoTrainingData(String message) {
            super(io.nightshift.jobs.base.ExitCodes.BAD_INPUT, message);
        }
    }

    public ModelRegistry.Entry train(LocalDate date) {
        AnomalyConfig ac = config.anomaly();
        LocalDate from = date.minusDays(ac.trainingDays());
        LocalDate to = date.minusDays(1);
        long t0 = System.nanoTime();
        LakeReader reader = new LakeReader(store.spark(), config.lake());
        Dataset<Row> logs = null;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            Dataset<Row> day = reader.read(d).rows();
            logs = logs == null ? day : logs.unionByName(day);
        }
        // The raw rows are not cached: the miner learns from a bounded sample and the transform reads them once.
        // Only the templated rows are kept, without their messages (the bulk of a log row, and no feature needs
        // them once the template is known): weeks of messages would not fit in memory.
        long rows = logs.count();
        if (rows == 0) {
            throw new NoTrainingData("no usable log rows in " + from + ".." + to + " to train on (lake "
                    + config.lake().root() + ")");
        }
        TemplateMinerModel miner = new TemplateMiner().setMaxTrainingMessages(ac.maxTrainingMessages()).fit(logs);
        Dataset<Row> templated = miner.transform(logs).drop(CanonicalSchema.MESSAGE)
                .persist(StorageLevel.MEMORY_AND_DISK());
        progress.line(String.format("%-18s %s rows of %s..%s, %d templates (%.1f s)", "train-templates",
                Progress.count(rows), from, to, miner.templateList().size(), Progress.seconds(t0)));

        List<LogAnomalyModel.ViewModel> views = new ArrayList<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("training_rows", (double) rows);
        metrics.put("templates", (double) miner.templateList().size());
        StringBuilder cards = new StringBuilder("{");
        for (AnomalyConfig.View v : ac.views()) {
            long tv = System.nanoTime();
            WindowFeaturizerModel features = new WindowFeaturizer()
                    .setEntityCols(v.entity().toArray(String[]::new)).setWindowDuration(v.window()).fit(templated);
            Dataset<Row> windows = features.transform(templated).persist(StorageLevel.MEMORY_AND_DISK());
            ClusterAnomalyModel clusters = new ClusterAnomalyDetector().setAlgorithm(ac.algorithm())
                    .setThreshold(ac.threshold()).setSmallClusterFraction(ac.smallClusterFraction()).setSeed(42L).fit(windows);
            long n = windows.count();
            windows.unpersist();
            metrics.put(v.name() + ".training_windows", (double) n);
            metrics.put(v.name() + ".k", (double) clusters.numClusters());
            cards.append(cards.length() > 1 ? "," : "").append('"').append(v.name()).append("\":")
                    .append(clusters.modelCard());
            views.add(new LogAnomalyModel.ViewModel(v, features, clusters));
            progress.line(String.format("%-18s %s windows, k=%d (%.1f s)", "train-" + v.name(), Progress.count(n),
                    clusters.numClusters(), Progress.seconds(tv)));
        }
        cards.append('}');
        templated.unpersist();

        ModelRegistry registry = new ModelRegistry(store);
        int version = registry.nextVersion(AnomalyConfig.MODEL_NAME);
        String path = registry.pathFor(AnomalyConfig.MODEL_NAME, version);
        new LogAnomalyModel(miner, views).save(path);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("algorithm", ac.algorithm());
        params.put("threshold", String.valueOf(ac.threshold()));
        params.put("small_cluster_fraction", String.valueOf(ac.smallClusterFraction()));
        params.put("training_days", String.valueOf(ac.trainingDays()));
        params.put("views", ac.views().toString());
        registry.register(AnomalyConfig.MODEL_NAME, version, from, to, params, metrics, path, cards.toString());
        progress.line("registered " + AnomalyConfig.MODEL_NAME + " v" + version + " at " + path);
        return registry.version(AnomalyConfig.MODEL_NAME, version);
    }
}
