package io.nightshift.models.anomaly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

import io.nightshift.models.features.FeatureSchema;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Scores windows against the learned clusters.
 *
 * <p>{@code transform} appends, and changes nothing else:
 * <ul>
 *   <li>{@code cluster} (int): assigned cluster ({@link ClusterGeometry#assign});</li>
 *   <li>{@code distance} (double): Euclidean distance to that cluster's centre;</li>
 *   <li>{@code score} (double, 0-100): calibrated anomaly score ({@link ScoreCalibration}), including the
 *       small-cluster penalty ({@link WindowScorer});</li>
 *   <li>{@code is_anomaly} (boolean): {@code score > threshold};</li>
 *   <li>{@code top_templates} (array of struct template_id, observed, expected, contribution): the templates that
 *       contribute most to the distance ({@link DistanceExplainer}).</li>
 * </ul>
 * All of it runs in UDFs over a broadcast {@link WindowScorer}; no rows reach the driver. When the input's features
 * column carries a {@link FeatureSchema} (as the featurizer's output does), its fingerprint must equal the model's.
 */
public class ClusterAnomalyModel extends Model<ClusterAnomalyModel> implements AnomalyParams, MLWritable {
    private static final long serialVersionUID = 1L;
    private static final StructType ASSIGNMENT = new StructType()
            .add(CLUSTER, DataTypes.IntegerType, true)
            .add(DISTANCE, DataTypes.DoubleType, true);

    private final String uid;
    private final Declarations params;
    private final ClusterGeometry geometry;
    private final long[] clusterSizes;
    private final boolean[] smallClusters;
    private final ScoreCalibration calibration;
    private final FeatureSchema featureSchema;
    private final Map<Integer, Map<String, Double>> expectedCounts;
    private final TrainingSummary trainingSummary;

    ClusterAnomalyModel(String uid, ClusterGeometry geometry, long[] clusterSizes, boolean[] smallClusters,
                        ScoreCalibration calibration, FeatureSchema featureSchema,
                        Map<Integer, Map<String, Double>> expectedCounts, TrainingSummary trainingSummary) {
        this.uid = uid;
        this.params = new Declarations(this);
        params.setDefaults(this);
        this.geometry = geometry;
        this.clusterSizes = clusterSizes.clone();
        this.smallClusters = smallClusters.clone();
        this.calibration = calibration;
        this.featureSchema = featureSchema;
        this.expectedCounts = expectedCounts;
        this.trainingSummary = trainingSummary;
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Declarations declarations() {
        return params;
    }

    /** The decision threshold is the one param that may change after training; scores do not depend on it. */
    public ClusterAnomalyModel setThreshold(double value) {
        set(threshold(), value);
        return this;
    }

    public ClusterAnomalyModel setFeaturesCol(String value) {
        set(featuresCol(), value);
        return this;
    }

    public ClusterAnomalyModel setTemplateCountsCol(String value) {
        set(templateCountsCol(), value);
        return this;
    }

    public ClusterGeometry geometry() {
        return geometry;
    }

    /** Number of clusters actually learned (may be below the chosen k when the data could not split further). */
    public int numClusters() {
        return geometry.numClusters();
    }

    public long[] clusterSizes() {
        return clusterSizes.clone();
    }

    public boolean[] smallClusters() {
        return smallClusters.clone();
    }

    public ScoreCalibration calibration() {
        return calibration;
    }

    public FeatureSchema featureSchema() {
        return featureSchema;
    }

    public String featureSchemaFingerprint() {
        return featureSchema.fingerprint();
    }

    /** Per cluster, the mean raw count of each vocabulary template over its training windows. */
    public Map<Integer, Map<String, Double>> expectedCounts() {
        return Collections.unmodifiableMap(expectedCounts);
    }

    public TrainingSummary trainingSummary() {
        return trainingSummary;
    }

    /** The model card as JSON; see {@link ModelCard}. */
    public String modelCard() {
        return ModelCard.toJson(this);
    }

    /**
     * Refuses features built under another schema.
     *
     * @param inputFingerprint fingerprint of the featurizer (or features column) about to be scored
     * @throws IllegalArgumentException naming both fingerprints when they differ
     */
    public void requireFeatureSchema(String inputFingerprint) {
        if (!featureSchemaFingerprint().equals(inputFingerprint)) {
            throw new IllegalArgumentException("Feature schema mismatch: anomaly model " + uid
                    + " was trained on features with fingerprint " + featureSchemaFingerprint() + " ("
                    + featureSchema.window() + ", " + featureSchema.size() + " dimensions) but the input features"
                    + " have fingerprint " + inputFingerprint + ". Score with the featurizer model the detector was"
                    + " trained with, or retrain the detector on the current features.");
        }
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        WindowScorer scorer = new WindowScorer(geometry, smallClusters, calibration,
                new DistanceExplainer(featureSchema, expectedCounts));
        Broadcast<WindowScorer> b = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext())
                .broadcast(scorer);
        UDF2<Integer, Double, Double> score = (cluster, distance) ->
                cluster == null ? null : b.value().score(cluster, distance);
        UDF3<Vector, Integer, scala.collection.Map<String, Object>, List<Row>> explain = (features, cluster, counts) ->
                cluster == null ? List.of() : b.value().explain(features, cluster, javaCounts(counts));
        return withClusterAndDistance(dataset.toDF(), geometry, getFeaturesCol())
                .withColumn(SCORE, udf(score, DataTypes.DoubleType).apply(col(CLUSTER), col(DISTANCE)))
                .withColumn(IS_ANOMALY, col(SCORE).gt(getThreshold()))
                .withColumn(TOP_TEMPLATES, udf(explain, DataTypes.createArrayType(DistanceExplainer.ENTRY, false))
                        .apply(col(getFeaturesCol()), col(CLUSTER), col(getTemplateCountsCol())));
    }

    /** Appends {@code cluster} and {@code distance}; one UDF call per row, shared by fit and transform. */
    static Dataset<Row> withClusterAndDistance(Dataset<Row> windows, ClusterGeometry geometry, String featuresCol) {
        Broadcast<ClusterGeometry> b = JavaSparkContext.fromSparkContext(windows.sparkSession().sparkContext())
                .broadcast(geometry);
        UDF1<Vector, Row> assign = features -> {
            if (features == null) {
                return null;
            }
            int cluster = b.value().assign(features);
            return RowFactory.create(cluster, b.value().distance(features, cluster));
        };
        String tmp = "_assignment";
        return windows.withColumn(tmp, udf(assign, ASSIGNMENT).apply(col(featuresCol)))
                .withColumn(CLUSTER, col(tmp + "." + CLUSTER))
                .withColumn(DISTANCE, col(tmp + "." + DISTANCE))
                .drop(tmp);
    }

    private static Map<String, Long> javaCounts(scala.collection.Map<String, Object> counts) {
        Map<String, Long> out = new java.util.HashMap<>();
        if (counts != null) {
            CollectionConverters.asJava(counts).forEach((k, v) -> out.put(k, ((Number) v).longValue()));
        }
        return out;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        StructType out = validateAndTransformSchema(schema, this);
        FeatureSchema.fromField(schema.apply(getFeaturesCol()))
                .ifPresent(input -> requireFeatureSchema(input.fingerprint()));
        return out;
    }

    /** Checks the input columns of {@code p} and returns the schema with the scoring columns appended. */
    static StructType validateAndTransformSchema(StructType schema, AnomalyParams p) {
        p.getAlgorithm();
        List<String> names = Arrays.asList(schema.fieldNames());
        requireType(schema, names, p.getFeaturesCol(), SQLDataTypes.VectorType(), "vector");
        requireType(schema, names, p.getTemplateCountsCol(), null, "map<string,long>");
        DataType counts = schema.apply(p.getTemplateCountsCol()).dataType();
        if (!(counts instanceof MapType m) || !m.keyType().equals(DataTypes.StringType)
                || !(m.valueType().equals(DataTypes.LongType) || m.valueType().equals(DataTypes.IntegerType))) {
            throw new IllegalArgumentException("Column '" + p.getTemplateCountsCol() + "' must be map<string,long>"
                    + " but is " + counts.simpleString());
        }
        for (String out : List.of(CLUSTER, DISTANCE, SCORE, IS_ANOMALY, TOP_TEMPLATES)) {
            if (names.contains(out)) {
                throw new IllegalArgumentException("Input already has a column '" + out + "', which scoring would"
                        + " overwrite; drop or rename it first");
            }
        }
        return schema
                .add(CLUSTER, DataTypes.IntegerType, true)
                .add(DISTANCE, DataTypes.DoubleType, true)
                .add(SCORE, DataTypes.DoubleType, true)
                .add(IS_ANOMALY, DataTypes.BooleanType, true)
                .add(TOP_TEMPLATES, DataTypes.createArrayType(DistanceExplainer.ENTRY, false), true);
    }

    private static void requireType(StructType schema, List<String> names, String column, DataType type,
                                    String typeName) {
        if (!names.contains(column)) {
            throw new IllegalArgumentException("Input has no column '" + column + "' (" + typeName + "); columns are "
                    + names);
        }
        if (type != null && !schema.apply(column).dataType().equals(type)) {
            throw new IllegalArgumentException("Column '" + column + "' must be " + typeName + " but is "
                    + schema.apply(column).dataType().simpleString());
        }
    }

    @Override
    public ClusterAnomalyModel copy(ParamMap extra) {
        ClusterAnomalyModel copied = new ClusterAnomalyModel(uid, geometry, clusterSizes, smallClusters, calibration,
                featureSchema, expectedCounts, trainingSummary);
        return copyValues(copied, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new ClusterAnomalyModelPersistence.Writer(this);
    }

    public static MLReader<ClusterAnomalyModel> read() {
        return new ClusterAnomalyModelPersistence.Reader();
    }

    public static ClusterAnomalyModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "ClusterAnomalyModel: uid=" + uid + ", " + geometry.algorithm().paramName() + ", k=" + numClusters()
                + ", features=" + featureSchemaFingerprint();
    }
}
