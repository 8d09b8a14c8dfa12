package io.nightshift.jobs.detect.clusters;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.AnomalyConfig;
import io.nightshift.jobs.schema.CanonicalSchema;
import io.nightshift.models.anomaly.ClusterAnomalyDetector;
import io.nightshift.models.anomaly.ClusterAnomalyModel;
import io.nightshift.models.features.WindowFeaturizer;
import io.nightshift.models.features.WindowFeaturizerModel;
import io.nightshift.models.templates.TemplateMiner;
import io.nightshift.models.templates.TemplateMinerModel;

/**
 * Trains a {@link LogAnomalyModel} on log rows of the days before a date: the template miner, then per view the
 * window features and the clustering. Pure: rows in, model out; reading the training days and registering the
 * model are the pipeline's ({@code ModelFreshness}).
 */
public final class AnomalyTrainer {
    private final AnomalyConfig ac;
    private final Progress progress;

    public AnomalyTrainer(AnomalyConfig config, Progress progress) {
        this.ac = config;
        this.progress = progress;
    }

    /**
     * A trained model and what the registry records of it.
     *
     * @param cards the views' model cards as one JSON object
     */
    public record Trained(LogAnomalyModel model, Map<String, String> params, Map<String, Double> metrics,
                          String cards) {
    }

    /**
     * @param logs the training days' usable rows (canonical columns), read once for the miner's sample and once by
     *             the transform; not cached
     * @param rows how many there are (at least one)
     */
    public Trained train(Dataset<Row> logs, long rows, LocalDate from, LocalDate to) {
        long t0 = System.nanoTime();
        // Only the templated rows are kept, without their messages (the bulk of a log row, and no feature needs
        // them once the template is known): weeks of messages would not fit in memory.
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

        Map<String, String> params = new LinkedHashMap<>();
        params.put("algorithm", ac.algorithm());
        params.put("threshold", String.valueOf(ac.threshold()));
        params.put("small_cluster_fraction", String.valueOf(ac.smallClusterFraction()));
        params.put("training_days", String.valueOf(ac.trainingDays()));
        params.put("views", ac.views().toString());
        return new Trained(new LogAnomalyModel(miner, views), params, metrics, cards.toString());
    }
}
