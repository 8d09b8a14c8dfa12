package io.nightshift.jobs.detect.clusters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.base.SideBySide;
import io.nightshift.jobs.config.AnomalyConfig;
import io.nightshift.jobs.schema.CanonicalSchema;
import io.nightshift.models.anomaly.ClusterAnomalyModel;
import io.nightshift.models.features.WindowFeaturizerModel;
import io.nightshift.models.templates.TemplateMinerModel;

/**
 * The persisted unit the registry versions: one template miner shared by every view, and per view a featurizer and
 * a cluster model. Saved as MLlib models in sub-folders: {@code templates/}, {@code <view>/features/},
 * {@code <view>/clusters/}.
 */
public final class LogAnomalyModel {
    /** A view's fitted pair. */
    public record ViewModel(AnomalyConfig.View view, WindowFeaturizerModel features, ClusterAnomalyModel clusters) {
    }

    private final TemplateMinerModel templates;
    private final Map<String, ViewModel> views;

    public LogAnomalyModel(TemplateMinerModel templates, List<ViewModel> views) {
        this.templates = templates;
        this.views = new LinkedHashMap<>();
        views.forEach(v -> this.views.put(v.view().name(), v));
    }

    public TemplateMinerModel templates() {
        return templates;
    }

    public List<ViewModel> views() {
        return List.copyOf(views.values());
    }

    /**
     * The day's rows with their template ({@code template_id}, {@code template}, {@code is_new_template}) and without
     * the message: nothing after template assignment reads it, and it is most of a row's bytes.
     */
    public Dataset<Row> templated(Dataset<Row> logs) {
        return templates.transform(logs).drop(CanonicalSchema.MESSAGE);
    }

    public void save(String path) {
        try {
            templates.write().overwrite().save(path + "/templates");
            for (ViewModel v : views.values()) {
                v.features().write().overwrite().save(path + "/" + v.view().name() + "/features");
                v.clusters().write().overwrite().save(path + "/" + v.view().name() + "/clusters");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot save model to " + path, e);
        }
    }

    /**
     * Loads the views named in {@code config}; a configured view the model was not trained for is an error that
     * says to retrain, not a silent skip.
     *
     * <p>The template miner and the views load side by side: each part is a few small Parquet tables that Spark
     * reads one small query at a time, and one after another the driver's overhead per query made most of the
     * 7.5 s a three-view model took to load.
     */
    public static LogAnomalyModel load(String path, List<AnomalyConfig.View> configured) {
        try (SideBySide parts = new SideBySide("nightshift-model-load", configured.size() + 1,
                "loading the model at " + path)) {
            Future<TemplateMinerModel> templates = parts.submit(() -> TemplateMinerModel.load(path + "/templates"));
            List<Future<ViewModel>> views = configured.stream()
                    .map(v -> parts.submit(() -> loadView(path, v))).toList();
            return new LogAnomalyModel(parts.await(templates), views.stream().map(parts::await).toList());
        }
    }

    private static ViewModel loadView(String path, AnomalyConfig.View v) {
        String dir = path + "/" + v.name();
        WindowFeaturizerModel features;
        try {
            features = WindowFeaturizerModel.load(dir + "/features");
        } catch (Exception e) {
            // Spark's AnalysisException (a missing folder) is a checked exception that Scala code throws undeclared.
            throw new IllegalStateException("model at " + path + " has no view '" + v.name()
                    + "'; retrain with: scripts/nightshift train --date <D>", e);
        }
        ClusterAnomalyModel clusters = ClusterAnomalyModel.load(dir + "/clusters");
        clusters.requireFeatureSchema(features.featureSchemaFingerprint());
        return new ViewModel(v, features, clusters);
    }
}
