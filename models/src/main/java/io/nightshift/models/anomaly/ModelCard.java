package io.nightshift.models.anomaly;

import java.util.Arrays;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.spark.ml.param.ParamPair;

import io.nightshift.models.features.FeatureSchema;

/**
 * A human- and machine-readable description of a trained {@link ClusterAnomalyModel}: what it was trained on,
 * how k was chosen, the parameters, the feature schema and its fingerprint, the score calibration and the cluster
 * sizes. Stored beside the model in a registry, it answers "why did this model flag that" without loading Spark.
 *
 * <p>Keys: {@code model_uid, algorithm, training {window_count, window_start_min, window_start_max},
 * k_selection {criterion, chosen_k, clusters_learned, sample_size, silhouettes {k: value}}, params {name: value},
 * feature_schema {window, fingerprint, dimensions, templates [ids], numeric [names]},
 * calibration {quantile_probabilities, distance_quantiles, max_training_score},
 * clusters [{cluster, size, share, small}]}. NaN silhouettes are written as null.
 */
public final class ModelCard {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelCard() {
    }

    public static String toJson(ClusterAnomalyModel model) {
        ObjectNode card = JSON.createObjectNode();
        card.put("model_uid", model.uid());
        card.put("algorithm", model.geometry().algorithm().paramName());

        TrainingSummary summary = model.trainingSummary();
        ObjectNode training = card.putObject("training");
        training.put("window_count", summary.windowCount());
        training.put("window_start_min", summary.trainingStart() == null ? null : summary.trainingStart().toString());
        training.put("window_start_max", summary.trainingEnd() == null ? null : summary.trainingEnd().toString());

        ObjectNode selection = card.putObject("k_selection");
        selection.put("criterion", "highest mean silhouette (squared Euclidean, MLlib ClusteringEvaluator) on a"
                + " random sample; ties to the smaller k");
        selection.put("chosen_k", summary.selection().chosenK());
        selection.put("clusters_learned", model.numClusters());
        selection.put("sample_size", summary.selection().sampleSize());
        ObjectNode silhouettes = selection.putObject("silhouettes");
        summary.selection().silhouettes().forEach((k, s) -> {
            if (Double.isNaN(s)) {
                silhouettes.putNull(String.valueOf(k));
            } else {
                silhouettes.put(String.valueOf(k), s);
            }
        });

        ObjectNode params = card.putObject("params");
        for (ParamPair<?> pair : model.extractParamMap().toList()) {
            params.set(pair.param().name(), JSON.valueToTree(pair.value()));
        }

        FeatureSchema schema = model.featureSchema();
        ObjectNode features = card.putObject("feature_schema");
        features.put("window", schema.window());
        features.put("fingerprint", schema.fingerprint());
        features.put("dimensions", schema.size());
        ArrayNode templates = features.putArray("templates");
        schema.templateIds().forEach(templates::add);
        ArrayNode numeric = features.putArray("numeric");
        schema.numericNames().forEach(numeric::add);

        ObjectNode calibration = card.putObject("calibration");
        ArrayNode probabilities = calibration.putArray("quantile_probabilities");
        ArrayNode quantiles = calibration.putArray("distance_quantiles");
        double[] q = model.calibration().quantiles();
        for (int i = 0; i < q.length; i++) {
            probabilities.add(i / (double) (q.length - 1));
            quantiles.add(q[i]);
        }
        calibration.put("max_training_score", ScoreCalibration.MAX_TRAINING_SCORE);

        ArrayNode clusters = card.putArray("clusters");
        long[] sizes = model.clusterSizes();
        boolean[] small = model.smallClusters();
        long total = Arrays.stream(sizes).sum();
        for (int c = 0; c < sizes.length; c++) {
            ObjectNode cluster = clusters.addObject();
            cluster.put("cluster", c);
            cluster.put("size", sizes[c]);
            cluster.put("share", total == 0 ? 0.0 : sizes[c] / (double) total);
            cluster.put("small", small[c]);
        }
        try {
            return JSON.writeValueAsString(card);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise the model card of " + model.uid(), e);
        }
    }
}
