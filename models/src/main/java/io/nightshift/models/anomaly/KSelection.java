package io.nightshift.models.anomaly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * Chooses the number of clusters by silhouette.
 *
 * <p>Criterion: for each candidate k, the algorithm is fitted on a random sample of at most {@code sampleSize}
 * training windows, the sample is assigned with the same rule used for scoring ({@link ClusterGeometry#assign}),
 * and MLlib's {@link ClusteringEvaluator} computes the mean silhouette with squared Euclidean distance. The k with
 * the highest silhouette wins; ties (within {@value #TIE}) go to the smaller k, which generalises better and keeps
 * small-cluster flags meaningful. A candidate gets silhouette NaN, and cannot win, when it is not smaller than the
 * sample or when the fitted clusters assign every sampled window to one cluster (nothing to separate). When no
 * candidate is valid, the smallest feasible one is used and the card shows only NaN silhouettes.
 *
 * <p>Why sample: silhouette is quadratic in spirit (MLlib's is linear but per cluster) and fitting six candidates
 * on a full night of windows would cost more than the final fit; a sample of 20,000 windows ranks k the same way.
 */
public final class KSelection {
    static final double TIE = 1e-6;
    private static final String PREDICTION = "_k_selection_cluster";

    /**
     * @param chosenK     the k to fit on the full training data
     * @param silhouettes silhouette per candidate k (NaN when not evaluable), ascending by k
     * @param sampleSize  number of windows the silhouettes were computed on
     */
    public record Result(int chosenK, SortedMap<Integer, Double> silhouettes, long sampleSize) {
        public Result {
            silhouettes = Collections.unmodifiableSortedMap(new TreeMap<>(silhouettes));
        }
    }

    /**
     * A selection plus, when the sample was the whole training set, the clusters already fitted for the chosen k
     * (fitting them again on the same rows would only repeat the work).
     */
    record Outcome(Result result, Optional<ClusterGeometry> fittedOnAll) {
    }

    private KSelection() {
    }

    public static Result select(Dataset<Row> training, long trainingCount, String featuresCol,
                                ClusteringAlgorithm algorithm, int[] candidates, long seed, int maxIter,
                                int sampleSize) {
        return run(training, trainingCount, featuresCol, algorithm, candidates, seed, maxIter, sampleSize).result();
    }

    static Outcome run(Dataset<Row> training, long trainingCount, String featuresCol, ClusteringAlgorithm algorithm,
                       int[] candidates, long seed, int maxIter, int sampleSize) {
        validate(candidates);
        double fraction = Math.min(1.0, sampleSize * 1.1 / Math.max(1, trainingCount));
        Dataset<Row> sample = (fraction >= 1.0 ? training : training.sample(false, fraction, seed))
                .select(featuresCol).limit(sampleSize).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long n = sample.count();
            SortedMap<Integer, Double> silhouettes = new TreeMap<>();
            Map<Integer, ClusterGeometry> fitted = new HashMap<>();
            for (int k : Arrays.stream(candidates).distinct().sorted().toArray()) {
                if (k < n) {
                    ClusterGeometry geometry = algorithm.fit(sample, featuresCol, k, seed, maxIter);
                    fitted.put(k, geometry);
                    silhouettes.put(k, silhouette(sample, featuresCol, geometry));
                } else {
                    silhouettes.put(k, Double.NaN);
                }
            }
            int chosen = choose(silhouettes, n);
            boolean sampledAll = n == trainingCount;
            return new Outcome(new Result(chosen, silhouettes, n),
                    sampledAll ? Optional.ofNullable(fitted.get(chosen)) : Optional.empty());
        } finally {
            sample.unpersist();
        }
    }

    static void validate(int[] candidates) {
        if (candidates == null || candidates.length == 0 || Arrays.stream(candidates).anyMatch(k -> k < 2)) {
            throw new IllegalArgumentException("Cannot set kCandidates to " + Arrays.toString(candidates)
                    + ": give at least one k, each > 1");
        }
    }

    /** Highest silhouette, ties to the smaller k; falls back to the smallest k below the sample size. */
    static int choose(SortedMap<Integer, Double> silhouettes, long sampleSize) {
        int best = -1;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (var e : silhouettes.entrySet()) {
            double s = e.getValue();
            if (!Double.isNaN(s) && s > bestValue + TIE) {
                best = e.getKey();
                bestValue = s;
            }
        }
        if (best > 0) {
            return best;
        }
        int smallest = silhouettes.firstKey();
        if (smallest >= sampleSize) {
            throw new IllegalArgumentException("Cannot fit " + smallest + " clusters on " + sampleSize
                    + " training windows; train on more windows (a longer range or shorter windows) or lower"
                    + " kCandidates");
        }
        return smallest;
    }

    private static double silhouette(Dataset<Row> sample, String featuresCol, ClusterGeometry geometry) {
        Broadcast<ClusterGeometry> b = JavaSparkContext.fromSparkContext(sample.sparkSession().sparkContext())
                .broadcast(geometry);
        UDF1<Vector, Integer> assign = v -> b.value().assign(v);
        Dataset<Row> predicted = sample.withColumn(PREDICTION,
                udf(assign, DataTypes.IntegerType).apply(col(featuresCol)));
        if (predicted.select(PREDICTION).distinct().limit(2).count() < 2) {
            return Double.NaN;
        }
        return new ClusteringEvaluator().setFeaturesCol(featuresCol).setPredictionCol(PREDICTION)
                .evaluate(predicted);
    }
}
