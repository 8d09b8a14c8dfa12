package io.nightshift.models.anomaly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import io.nightshift.models.features.FeatureSchema;

/**
 * Learns what normal windows look like by clustering their feature vectors, and how far from normal is unusual.
 *
 * <p>{@code fit}: chooses k by silhouette on a sample ({@link KSelection}), fits the chosen algorithm on all
 * training windows, assigns them ({@link ClusterGeometry}), flags clusters holding fewer than
 * {@code smallClusterFraction} of the windows as small, calibrates scores on the distances of windows in the other
 * clusters ({@link ScoreCalibration}) and keeps each cluster's mean raw template counts for explanations. The
 * driver receives only model-sized results: centres, k cluster sizes, 101 quantiles, k x vocabulary means.
 *
 * <p>Input: {@code featuresCol} (vector, ideally from {@code WindowFeaturizerModel}, whose column metadata names
 * the dimensions) and {@code templateCountsCol} (map&lt;string,long&gt;); {@code windowStartCol} is optional.
 *
 * <pre>{@code
 * ClusterAnomalyModel model = new ClusterAnomalyDetector().setAlgorithm("kmeans").fit(trainingWindows);
 * Dataset<Row> scored = model.transform(todaysWindows);   // cluster, distance, score, is_anomaly, top_templates
 * }</pre>
 */
public class ClusterAnomalyDetector extends Estimator<ClusterAnomalyModel> implements AnomalyParams,
        DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    /** Fewer training windows than this cannot form two clusters with a meaningful silhouette. */
    static final int MIN_TRAINING_WINDOWS = 3;

    private final String uid;
    private final Declarations params;

    public ClusterAnomalyDetector() {
        this(Identifiable$.MODULE$.randomUID("clusterAnomalyDetector"));
    }

    public ClusterAnomalyDetector(String uid) {
        this.uid = uid;
        this.params = new Declarations(this);
        params.setDefaults(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Declarations declarations() {
        return params;
    }

    public ClusterAnomalyDetector setAlgorithm(String value) {
        set(algorithm(), value);
        return this;
    }

    public ClusterAnomalyDetector setKCandidates(int... value) {
        KSelection.validate(value);
        set(kCandidates(), value);
        return this;
    }

    public ClusterAnomalyDetector setFeaturesCol(String value) {
        set(featuresCol(), value);
        return this;
    }

    public ClusterAnomalyDetector setTemplateCountsCol(String value) {
        set(templateCountsCol(), value);
        return this;
    }

    public ClusterAnomalyDetector setWindowStartCol(String value) {
        set(windowStartCol(), value);
        return this;
    }

    public ClusterAnomalyDetector setSeed(long value) {
        set(seed(), value);
        return this;
    }

    public ClusterAnomalyDetector setMaxIter(int value) {
        set(maxIter(), value);
        return this;
    }

    public ClusterAnomalyDetector setSmallClusterFraction(double value) {
        set(smallClusterFraction(), value);
        return this;
    }

    public ClusterAnomalyDetector setThreshold(double value) {
        set(threshold(), value);
        return this;
    }

    public ClusterAnomalyDetector setSelectionSampleSize(int value) {
        set(selectionSampleSize(), value);
        return this;
    }

    @Override
    public ClusterAnomalyModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        boolean hasStart = Arrays.asList(dataset.columns()).contains(getWindowStartCol());
        List<Column> keep = new ArrayList<>(List.of(col(getFeaturesCol()), col(getTemplateCountsCol())));
        if (hasStart) {
            keep.add(col(getWindowStartCol()));
        }
        Dataset<Row> training = dataset.select(keep.toArray(new Column[0]))
                .filter(col(getFeaturesCol()).isNotNull())
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Row stats = training.agg(count(lit(1)),
                    hasStart ? min(getWindowStartCol()) : lit(null),
                    hasStart ? max(getWindowStartCol()) : lit(null)).head();
            long n = stats.getLong(0);
            if (n < MIN_TRAINING_WINDOWS) {
                throw new IllegalArgumentException("Cannot fit the anomaly detector on " + n + " windows: at least "
                        + MIN_TRAINING_WINDOWS + " are needed; train on a longer range or shorter windows");
            }
            FeatureSchema schema = featureSchemaOf(training);
            KSelection.Outcome outcome = KSelection.run(training, n, getFeaturesCol(), getAlgorithm(),
                    getKCandidates(), getSeed(), getMaxIter(), getSelectionSampleSize());
            KSelection.Result selection = outcome.result();
            ClusterGeometry geometry = outcome.fittedOnAll().orElseGet(() -> getAlgorithm().fit(training,
                    getFeaturesCol(), selection.chosenK(), getSeed(), getMaxIter()));
            TrainingSummary summary = new TrainingSummary(n, instant(stats, 1), instant(stats, 2), selection);
            ClusterAnomalyModel model = learnScoring(training, geometry, schema, summary);
            return copyValues(model, extractParamMap()).setParent(this);
        } finally {
            training.unpersist();
        }
    }

    /** Assigns the training windows, then learns cluster sizes, small flags, calibration and expected counts. */
    private ClusterAnomalyModel learnScoring(Dataset<Row> training, ClusterGeometry geometry, FeatureSchema schema,
                                             TrainingSummary summary) {
        int k = geometry.numClusters();
        Dataset<Row> assigned = ClusterAnomalyModel.withClusterAndDistance(training, geometry, getFeaturesCol())
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long[] sizes = new long[k];
            for (Row r : assigned.groupBy(CLUSTER).count().collectAsList()) {
                sizes[r.getInt(0)] = r.getLong(1);
            }
            boolean[] small = smallClusters(sizes, summary.windowCount(), getSmallClusterFraction());
            List<Integer> smallIds = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                if (small[c]) {
                    smallIds.add(c);
                }
            }
            Dataset<Row> normal = smallIds.isEmpty() ? assigned
                    : assigned.filter(not(col(CLUSTER).isin(smallIds.toArray())));
            ScoreCalibration calibration = ScoreCalibration.learn(normal, DISTANCE);
            Map<Integer, Map<String, Double>> expected = expectedCounts(assigned, schema, sizes);
            return new ClusterAnomalyModel(uid, geometry, sizes, small, calibration, schema, expected, summary);
        } finally {
            assigned.unpersist();
        }
    }

    /** Clusters below the size share are small; if that would be every cluster, none is (nothing is normal). */
    static boolean[] smallClusters(long[] sizes, long total, double fraction) {
        boolean[] small = new boolean[sizes.length];
        boolean anyNormal = false;
        for (int c = 0; c < sizes.length; c++) {
            small[c] = sizes[c] < fraction * total;
            anyNormal |= !small[c];
        }
        return anyNormal ? small : new boolean[sizes.length];
    }

    /** Mean raw count of each vocabulary template per cluster: at most k x vocabulary rows reach the driver. */
    private Map<Integer, Map<String, Double>> expectedCounts(Dataset<Row> assigned, FeatureSchema schema,
                                                             long[] sizes) {
        List<String> vocabulary = schema.templateIds();
        Map<Integer, Map<String, Double>> out = new HashMap<>();
        if (vocabulary.isEmpty()) {
            return out;
        }
        List<Row> rows = assigned
                .select(col(CLUSTER), explode(col(getTemplateCountsCol())).as(new String[] {"t", "n"}))
                .filter(col("t").isin(vocabulary.toArray()))
                .groupBy(CLUSTER, "t").agg(sum("n"))
                .collectAsList();
        for (Row r : rows) {
            int cluster = r.getInt(0);
            out.computeIfAbsent(cluster, c -> new HashMap<>()).put(r.getString(1), r.getLong(2) / (double) sizes[cluster]);
        }
        return out;
    }

    /** The schema from the column metadata, or positional names when the vectors came from elsewhere. */
    private FeatureSchema featureSchemaOf(Dataset<Row> training) {
        var field = training.schema().apply(getFeaturesCol());
        return FeatureSchema.fromField(field).orElseGet(() -> {
            int size = training.select(getFeaturesCol()).head().<Vector>getAs(0).size();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                names.add("feature:" + i);
            }
            return new FeatureSchema("unspecified", names);
        });
    }

    private static java.time.Instant instant(Row row, int i) {
        return row.isNullAt(i) ? null : ((Timestamp) row.get(i)).toInstant();
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return ClusterAnomalyModel.validateAndTransformSchema(schema, this);
    }

    @Override
    public ClusterAnomalyDetector copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<ClusterAnomalyDetector> read() {
        return new DefaultParamsReader<>();
    }

    public static ClusterAnomalyDetector load(String path) {
        return read().load(path);
    }
}
