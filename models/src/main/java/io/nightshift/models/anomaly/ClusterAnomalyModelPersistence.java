package io.nightshift.models.anomaly;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.nightshift.models.features.FeatureSchema;
import io.nightshift.models.features.StateTables;

/**
 * Saves and loads a {@link ClusterAnomalyModel} like MLlib's {@code KMeansModel}: params as metadata JSON, learned
 * state as Parquet tables under {@code data/}: {@code clusters} (centre, size, small flag, GMM weight and
 * covariance), {@code calibration} (101 quantiles), {@code cluster_templates} (expected counts),
 * {@code feature_schema} (dimension names), {@code k_selection} (silhouette per k) and {@code summary}.
 */
final class ClusterAnomalyModelPersistence {
    private static final StructType CLUSTERS = new StructType()
            .add("cluster", DataTypes.IntegerType, false)
            .add("size", DataTypes.LongType, false)
            .add("small", DataTypes.BooleanType, false)
            .add("centre", SQLDataTypes.VectorType(), false)
            .add("weight", DataTypes.DoubleType, false)
            .add("covariance", SQLDataTypes.MatrixType(), true);
    private static final StructType CALIBRATION = new StructType()
            .add("rank", DataTypes.IntegerType, false)
            .add("distance", DataTypes.DoubleType, false);
    private static final StructType CLUSTER_TEMPLATES = new StructType()
            .add("cluster", DataTypes.IntegerType, false)
            .add("template_id", DataTypes.StringType, false)
            .add("mean_count", DataTypes.DoubleType, false);
    private static final StructType FEATURE_SCHEMA = new StructType()
            .add("index", DataTypes.IntegerType, false)
            .add("name", DataTypes.StringType, false);
    private static final StructType K_SELECTION = new StructType()
            .add("k", DataTypes.IntegerType, false)
            .add("silhouette", DataTypes.DoubleType, false);
    private static final StructType SUMMARY = new StructType()
            .add("algorithm", DataTypes.StringType, false)
            .add("window_count", DataTypes.LongType, false)
            .add("training_start", DataTypes.TimestampType, true)
            .add("training_end", DataTypes.TimestampType, true)
            .add("chosen_k", DataTypes.IntegerType, false)
            .add("selection_sample_size", DataTypes.LongType, false)
            .add("feature_window", DataTypes.StringType, false)
            .add("feature_fingerprint", DataTypes.StringType, false);

    private ClusterAnomalyModelPersistence() {
    }

    static final class Writer extends MLWriter {
        private final ClusterAnomalyModel m;

        Writer(ClusterAnomalyModel model) {
            this.m = model;
        }

        @Override
        public void saveImpl(String path) {
            SparkSession spark = sparkSession();
            StateTables.saveParams(m, path, spark);
            ClusterGeometry g = m.geometry();
            List<Row> clusters = new ArrayList<>();
            for (int c = 0; c < g.numClusters(); c++) {
                clusters.add(RowFactory.create(c, m.clusterSizes()[c], m.smallClusters()[c],
                        Vectors.dense(g.centre(c)), g.weight(c), g.covariance(c)));
            }
            StateTables.write(spark, path, "clusters", CLUSTERS, clusters);
            double[] q = m.calibration().quantiles();
            List<Row> calibration = new ArrayList<>();
            for (int i = 0; i < q.length; i++) {
                calibration.add(RowFactory.create(i, q[i]));
            }
            StateTables.write(spark, path, "calibration", CALIBRATION, calibration);
            List<Row> templates = new ArrayList<>();
            m.expectedCounts().forEach((c, means) -> means.forEach((t, v) -> templates.add(RowFactory.create(c, t, v))));
            StateTables.write(spark, path, "cluster_templates", CLUSTER_TEMPLATES, templates);
            List<String> names = m.featureSchema().names();
            List<Row> schema = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                schema.add(RowFactory.create(i, names.get(i)));
            }
            StateTables.write(spark, path, "feature_schema", FEATURE_SCHEMA, schema);
            TrainingSummary s = m.trainingSummary();
            List<Row> selection = new ArrayList<>();
            s.selection().silhouettes().forEach((k, v) -> selection.add(RowFactory.create(k, v)));
            StateTables.write(spark, path, "k_selection", K_SELECTION, selection);
            StateTables.write(spark, path, "summary", SUMMARY, List.of(RowFactory.create(
                    g.algorithm().paramName(), s.windowCount(), timestamp(s.trainingStart()),
                    timestamp(s.trainingEnd()), s.selection().chosenK(), s.selection().sampleSize(),
                    m.featureSchema().window(), m.featureSchemaFingerprint())));
        }

        private static Timestamp timestamp(Instant instant) {
            return instant == null ? null : Timestamp.from(instant);
        }
    }

    static final class Reader extends MLReader<ClusterAnomalyModel> {
        @Override
        public ClusterAnomalyModel load(String path) {
            SparkSession spark = sparkSession();
            Row summary = StateTables.read(spark, path, "summary", "window_count").get(0);
            ClusteringAlgorithm algorithm = ClusteringAlgorithm.fromName(summary.getString(0));

            List<Row> clusterRows = StateTables.read(spark, path, "clusters", "cluster");
            int k = clusterRows.size();
            Vector[] centres = new Vector[k];
            double[] weights = new double[k];
            Matrix[] covariances = new Matrix[k];
            long[] sizes = new long[k];
            boolean[] small = new boolean[k];
            for (int c = 0; c < k; c++) {
                Row r = clusterRows.get(c);
                sizes[c] = r.getLong(1);
                small[c] = r.getBoolean(2);
                centres[c] = r.getAs(3);
                weights[c] = r.getDouble(4);
                covariances[c] = r.isNullAt(5) ? null : r.getAs(5);
            }
            ClusterGeometry geometry = algorithm == ClusteringAlgorithm.GMM
                    ? ClusterGeometry.mixture(centres, weights, covariances)
                    : ClusterGeometry.centroids(algorithm, centres);

            double[] quantiles = StateTables.read(spark, path, "calibration", "rank").stream()
                    .mapToDouble(r -> r.getDouble(1)).toArray();
            Map<Integer, Map<String, Double>> expected = new HashMap<>();
            for (Row r : StateTables.read(spark, path, "cluster_templates", "cluster")) {
                expected.computeIfAbsent(r.getInt(0), c -> new HashMap<>()).put(r.getString(1), r.getDouble(2));
            }
            List<String> names = StateTables.read(spark, path, "feature_schema", "index").stream()
                    .map(r -> r.getString(1)).toList();
            FeatureSchema schema = new FeatureSchema(summary.getString(6), names);
            if (!schema.fingerprint().equals(summary.getString(7))) {
                throw new IllegalStateException("Anomaly model at " + path + " is inconsistent: its feature schema"
                        + " hashes to " + schema.fingerprint() + " but was saved as " + summary.getString(7)
                        + "; the data files were modified or mixed from two models");
            }
            TreeMap<Integer, Double> silhouettes = new TreeMap<>();
            StateTables.read(spark, path, "k_selection", "k").forEach(r -> silhouettes.put(r.getInt(0),
                    r.getDouble(1)));
            TrainingSummary trainingSummary = new TrainingSummary(summary.getLong(1), instant(summary, 2),
                    instant(summary, 3), new KSelection.Result(summary.getInt(4), silhouettes, summary.getLong(5)));

            String uid = StateTables.uid(path, spark, ClusterAnomalyModel.class);
            ClusterAnomalyModel model = new ClusterAnomalyModel(uid, geometry, sizes, small,
                    new ScoreCalibration(quantiles), schema, expected, trainingSummary);
            return StateTables.loadParams(model, path, spark);
        }

        private static Instant instant(Row row, int i) {
            return row.isNullAt(i) ? null : row.<Timestamp>getAs(i).toInstant();
        }
    }
}
