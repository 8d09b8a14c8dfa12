package io.nightshift.models.anomaly;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * Params shared by {@link ClusterAnomalyDetector} and {@link ClusterAnomalyModel}, declared once (the Java
 * counterpart of an MLlib {@code ...Params} trait). Output column names are fixed: {@link #CLUSTER},
 * {@link #DISTANCE}, {@link #SCORE}, {@link #IS_ANOMALY}, {@link #TOP_TEMPLATES}.
 *
 * <p>Java interfaces cannot hold per-instance fields, so each implementing class holds one {@link Declarations}
 * instance created with itself as owner and returns it from {@link #declarations()}; the default methods here expose
 * every param under the public no-argument names MLlib's reflection ({@code Params.params}) and persistence expect.
 */
public interface AnomalyParams extends Params {
    String CLUSTER = "cluster";
    String DISTANCE = "distance";
    String SCORE = "score";
    String IS_ANOMALY = "is_anomaly";
    String TOP_TEMPLATES = "top_templates";

    /** The param objects of this owner, created once in its constructor with itself as parent. */
    Declarations declarations();

    default Param<String> algorithm() {
        return declarations().algorithm;
    }

    default IntArrayParam kCandidates() {
        return declarations().kCandidates;
    }

    default Param<String> featuresCol() {
        return declarations().featuresCol;
    }

    default Param<String> templateCountsCol() {
        return declarations().templateCountsCol;
    }

    default Param<String> windowStartCol() {
        return declarations().windowStartCol;
    }

    default LongParam seed() {
        return declarations().seed;
    }

    default IntParam maxIter() {
        return declarations().maxIter;
    }

    default DoubleParam smallClusterFraction() {
        return declarations().smallClusterFraction;
    }

    default DoubleParam threshold() {
        return declarations().threshold;
    }

    default IntParam selectionSampleSize() {
        return declarations().selectionSampleSize;
    }

    default ClusteringAlgorithm getAlgorithm() {
        return ClusteringAlgorithm.fromName(getOrDefault(algorithm()));
    }

    default int[] getKCandidates() {
        return getOrDefault(kCandidates());
    }

    default String getFeaturesCol() {
        return getOrDefault(featuresCol());
    }

    default String getTemplateCountsCol() {
        return getOrDefault(templateCountsCol());
    }

    default String getWindowStartCol() {
        return getOrDefault(windowStartCol());
    }

    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    default int getMaxIter() {
        return (Integer) getOrDefault(maxIter());
    }

    default double getSmallClusterFraction() {
        return (Double) getOrDefault(smallClusterFraction());
    }

    default double getThreshold() {
        return (Double) getOrDefault(threshold());
    }

    default int getSelectionSampleSize() {
        return (Integer) getOrDefault(selectionSampleSize());
    }

    /** The param objects of one owner, with their docs, validators and defaults. */
    final class Declarations implements Serializable {
        private static final long serialVersionUID = 1L;

        final Param<String> algorithm;
        final IntArrayParam kCandidates;
        final Param<String> featuresCol;
        final Param<String> templateCountsCol;
        final Param<String> windowStartCol;
        final LongParam seed;
        final IntParam maxIter;
        final DoubleParam smallClusterFraction;
        final DoubleParam threshold;
        final IntParam selectionSampleSize;

        Declarations(Params owner) {
            algorithm = new Param<>(owner, "algorithm", "Clustering algorithm: "
                    + Arrays.toString(ClusteringAlgorithm.names()) + " (case-insensitive).",
                    ParamValidators.inArray(withUpperCase(ClusteringAlgorithm.names())));
            kCandidates = new IntArrayParam(owner, "kCandidates",
                    "Numbers of clusters to try; the one with the highest silhouette on a sample is used."
                            + " Each must be > 1.");
            featuresCol = new Param<>(owner, "featuresCol", "Feature vector column.");
            templateCountsCol = new Param<>(owner, "templateCountsCol",
                    "map<string,long> of raw template counts per window, used for explanations.");
            windowStartCol = new Param<>(owner, "windowStartCol",
                    "Window start timestamp column; when present, the model card records the training range.");
            seed = new LongParam(owner, "seed", "Random seed for sampling and cluster initialisation.");
            maxIter = new IntParam(owner, "maxIter", "Maximum clustering iterations (>= 1).",
                    ParamValidators.gtEq(1));
            smallClusterFraction = new DoubleParam(owner, "smallClusterFraction",
                    "Clusters holding fewer than this share of training windows are anomalous themselves: their"
                            + " members score beyond every normal training window. In [0, 1).",
                    ParamValidators.inRange(0.0, 1.0, true, false));
            threshold = new DoubleParam(owner, "threshold",
                    "Score (0-100) above which a window is anomalous. Scores are percentiles of the training"
                            + " distance distribution scaled to 0-99, so t flags about (99 - t)/99 of windows"
                            + " that look like training data, plus everything farther than all of it.",
                    ParamValidators.inRange(0.0, 100.0));
            selectionSampleSize = new IntParam(owner, "selectionSampleSize",
                    "At most this many training windows (a random sample) are used to choose k by silhouette.",
                    ParamValidators.gtEq(10));
        }

        private static String[] withUpperCase(String[] names) {
            String[] out = new String[names.length * 2];
            for (int i = 0; i < names.length; i++) {
                out[2 * i] = names[i];
                out[2 * i + 1] = names[i].toUpperCase(Locale.ROOT);
            }
            return out;
        }

        void setDefaults(Params owner) {
            owner.setDefault(algorithm, "kmeans");
            owner.setDefault(kCandidates, new int[] {2, 3, 4, 6, 8, 12});
            owner.setDefault(featuresCol, "features");
            owner.setDefault(templateCountsCol, "template_counts");
            owner.setDefault(windowStartCol, "window_start");
            owner.setDefault(seed, 42L);
            owner.setDefault(maxIter, 30);
            owner.setDefault(smallClusterFraction, 0.02);
            owner.setDefault(threshold, 95.0);
            owner.setDefault(selectionSampleSize, 20000);
        }
    }
}
