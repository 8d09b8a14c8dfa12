package io.nightshift.models.anomaly;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nightshift.models.features.LocalSpark;
import io.nightshift.models.features.WindowFeaturizer;
import io.nightshift.models.features.WindowFeaturizerModel;

class ClusterAnomalyDetectorTest {
    private static SparkSession spark;
    private static Dataset<Row> logs;
    private static WindowFeaturizerModel featurizer;
    private static Dataset<Row> windows;
    private static ClusterAnomalyModel model;
    private static List<Row> scored;

    @BeforeAll
    static void train() {
        spark = LocalSpark.session();
        logs = SyntheticLogs.training(spark);
        featurizer = new WindowFeaturizer().setEntityCols("host").setWindowDuration("1 hour").fit(logs);
        windows = featurizer.transform(logs).cache();
        model = detector().fit(windows);
        scored = model.transform(windows).orderBy(col("score").desc()).collectAsList();
    }

    private static ClusterAnomalyDetector detector() {
        return new ClusterAnomalyDetector().setKCandidates(2, 3, 4).setMaxIter(20).setSeed(3);
    }

    private static boolean injected(Row r) {
        Timestamp start = r.getAs("window_start");
        return (r.getAs("entity").equals(SyntheticLogs.RARE_HOST) && start.toInstant().equals(SyntheticLogs.RARE_HOUR))
                || (r.getAs("entity").equals(SyntheticLogs.BURST_HOST)
                && start.toInstant().equals(SyntheticLogs.BURST_HOUR));
    }

    @Test
    void injectedWindowsScoreHighestAndNormalOnesLow() {
        assertThat(scored).hasSize(30 * SyntheticLogs.HOURS);
        assertThat(scored.subList(0, 2)).allMatch(ClusterAnomalyDetectorTest::injected);
        assertThat(scored.subList(0, 2)).allSatisfy(r -> {
            assertThat(r.<Double>getAs("score")).isGreaterThan(98.0);
            assertThat(r.<Boolean>getAs("is_anomaly")).isTrue();
        });
        List<Row> normal = scored.stream().filter(r -> !injected(r)).toList();
        double flagged = normal.stream().filter(r -> r.<Boolean>getAs("is_anomaly")).count() / (double) normal.size();
        double median = normal.get(normal.size() / 2).getAs("score");
        assertThat(flagged).isLessThan(0.08);
        assertThat(median).isBetween(30.0, 70.0);
    }

    @Test
    void kSelectionSeparatesTheProfilesAndIsolatesTheErrorBurst() {
        // web, db and batch hosts have disjoint template mixes; the error burst is far enough from all of them to
        // earn a cluster of its own, which is small and so anomalous by membership.
        assertThat(model.trainingSummary().selection().chosenK()).isEqualTo(4);
        assertThat(model.trainingSummary().selection().silhouettes()).containsOnlyKeys(2, 3, 4);
        assertThat(model.clusterSizes()).containsExactlyInAnyOrder(1L, 59L, 48L, 72L);
        Row burst = scored.stream().filter(r -> r.getAs("entity").equals(SyntheticLogs.BURST_HOST)
                && r.<Timestamp>getAs("window_start").toInstant().equals(SyntheticLogs.BURST_HOUR)).findFirst()
                .orElseThrow();
        int cluster = burst.getAs("cluster");
        assertThat(model.smallClusters()[cluster]).isTrue();
        assertThat(model.clusterSizes()[cluster]).isEqualTo(1L);
    }

    @Test
    void kSelectionOnClearlySeparatedBlobs() {
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType());
        Random random = new Random(5);
        double[][] centres = {{0, 0}, {10, 0}, {0, 10}, {10, 10}};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double[] c = centres[i % 4];
            rows.add(RowFactory.create(Vectors.dense(c[0] + random.nextGaussian() * 0.5,
                    c[1] + random.nextGaussian() * 0.5)));
        }
        Dataset<Row> blobs = spark.createDataFrame(rows, schema);
        KSelection.Result result = KSelection.select(blobs, 200, "features", ClusteringAlgorithm.KMEANS,
                new int[] {2, 4, 6}, 1L, 10, 1000);
        assertThat(result.chosenK()).isEqualTo(4);
        assertThat(result.silhouettes().get(4)).isGreaterThan(0.8);
        assertThat(result.sampleSize()).isEqualTo(200);
    }

    @Test
    void calibrationMapsTrainingDistancesToRoughlyUniformScores() {
        List<Double> scores = scored.stream().filter(r -> !injected(r)).map(r -> r.<Double>getAs("score")).toList();
        int[] deciles = new int[10];
        for (double s : scores) {
            deciles[Math.min(9, (int) (s / 9.9))]++;
        }
        for (int d = 0; d < 10; d++) {
            assertThat(deciles[d] / (double) scores.size()).as("decile %d", d).isCloseTo(0.1, within(0.05));
        }
        ScoreCalibration c = model.calibration();
        assertThat(c.score(c.maxDistance())).isCloseTo(99.0, within(1e-9));
        assertThat(c.score(c.maxDistance() * 3)).isBetween(99.0, 100.0);
        assertThat(c.score(c.maxDistance() * 30)).isGreaterThan(c.score(c.maxDistance() * 3)).isLessThan(100.0);
    }

    @Test
    void explanationsNameTheInjectedTemplateFirst() {
        Row rare = scored.stream().filter(r -> r.getAs("entity").equals(SyntheticLogs.RARE_HOST)
                && r.<Timestamp>getAs("window_start").toInstant().equals(SyntheticLogs.RARE_HOUR)).findFirst()
                .orElseThrow();
        List<Row> top = rare.getList(rare.fieldIndex("top_templates"));
        assertThat(top).hasSizeLessThanOrEqualTo(DistanceExplainer.TOP_N);
        assertThat(top.get(0).<String>getAs("template_id")).isEqualTo("R1");
        assertThat(top.get(0).<Double>getAs("observed")).isEqualTo(15.0);

        Row burst = scored.stream().filter(r -> r.getAs("entity").equals(SyntheticLogs.BURST_HOST)
                && r.<Timestamp>getAs("window_start").toInstant().equals(SyntheticLogs.BURST_HOUR)).findFirst()
                .orElseThrow();
        assertThat(burst.getList(burst.fieldIndex("top_templates")).get(0))
                .satisfies(r -> assertThat(((Row) r).<String>getAs("template_id")).isEqualTo("ERR"));

        // A template never seen in training has no dimension; it is still named, with expected count 0.
        Dataset<Row> later = featurizer.transform(
                SyntheticLogs.withUnseenTemplate(spark, "web-5", SyntheticLogs.DAY.plus(Duration.ofHours(8))));
        Row unseen = model.transform(later).head();
        Row first = unseen.<Row>getList(unseen.fieldIndex("top_templates")).get(0);
        assertThat(first.<String>getAs("template_id")).isEqualTo("NEW1");
        assertThat(first.<Double>getAs("observed")).isEqualTo(20.0);
        assertThat(first.<Double>getAs("expected")).isEqualTo(0.0);
        assertThat(unseen.<Boolean>getAs("is_anomaly")).isTrue();
    }

    @Test
    void featureSchemaMismatchIsRefusedNamingBothFingerprints() {
        WindowFeaturizerModel other = new WindowFeaturizer().setEntityCols("host").setVocabSize(3).fit(logs);
        String expected = "Feature schema mismatch: anomaly model " + model.uid() + " was trained on features with"
                + " fingerprint " + model.featureSchemaFingerprint() + " (window:host/1 hour, "
                + model.featureSchema().size() + " dimensions) but the input features have fingerprint "
                + other.featureSchemaFingerprint() + ". Score with the featurizer model the detector was trained"
                + " with, or retrain the detector on the current features.";
        assertThat(other.featureSchemaFingerprint()).isNotEqualTo(model.featureSchemaFingerprint());
        assertThatThrownBy(() -> model.transform(other.transform(logs)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(expected);
        assertThatThrownBy(() -> model.requireFeatureSchema(other.featureSchemaFingerprint()))
                .hasMessage(expected);
        model.requireFeatureSchema(featurizer.featureSchemaFingerprint());
    }

    @Test
    void modelCardDescribesTrainingSelectionSchemaAndCalibration() throws Exception {
        JsonNode card = new ObjectMapper().readTree(model.modelCard());
        assertThat(card.at("/algorithm").asText()).isEqualTo("kmeans");
        assertThat(card.at("/training/window_count").asLong()).isEqualTo(180);
        assertThat(card.at("/training/window_start_min").asText()).isEqualTo("2024-05-01T00:00:00Z");
        assertThat(card.at("/training/window_start_max").asText()).isEqualTo("2024-05-01T05:00:00Z");
        assertThat(card.at("/k_selection/chosen_k").asInt()).isEqualTo(4);
        assertThat(card.at("/k_selection/silhouettes").size()).isEqualTo(3);
        assertThat(card.at("/params/threshold").asDouble()).isEqualTo(95.0);
        assertThat(card.at("/feature_schema/fingerprint").asText()).isEqualTo(featurizer.featureSchemaFingerprint());
        assertThat(card.at("/feature_schema/templates").size()).isEqualTo(featurizer.vocabulary().size());
        assertThat(card.at("/feature_schema/numeric").get(0).asText()).isEqualTo("volume_log1p");
        assertThat(card.at("/calibration/distance_quantiles").size()).isEqualTo(101);
        long clustered = 0;
        for (JsonNode c : card.at("/clusters")) {
            clustered += c.get("size").asLong();
        }
        assertThat(clustered).isEqualTo(180);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kmeans", "bisecting_kmeans", "gmm"})
    void saveAndLoadScoresIdentically(String algorithm, @TempDir Path dir) throws Exception {
        ClusterAnomalyModel fitted = algorithm.equals("kmeans") ? model
                : detector().setAlgorithm(algorithm).setKCandidates(4).setMaxIter(10).fit(windows);
        String path = dir.resolve(algorithm).toString();
        fitted.write().save(path);
        ClusterAnomalyModel loaded = ClusterAnomalyModel.load(path);

        assertThat(loaded.uid()).isEqualTo(fitted.uid());
        assertThat(loaded.getAlgorithm().paramName()).isEqualTo(algorithm);
        assertThat(loaded.modelCard()).isEqualTo(fitted.modelCard());
        List<Row> expected = fitted.transform(windows).orderBy("entity", "window_start").collectAsList();
        assertThat(loaded.transform(windows).orderBy("entity", "window_start").collectAsList())
                .containsExactlyElementsOf(expected);
        assertThat(expected.stream().filter(ClusterAnomalyDetectorTest::injected))
                .allSatisfy(r -> assertThat(r.<Double>getAs("score")).isGreaterThan(95.0));
    }

    @Test
    void misuseIsReportedByName() {
        assertThatThrownBy(() -> new ClusterAnomalyDetector().setKCandidates(1, 3))
                .hasMessage("Cannot set kCandidates to [1, 3]: give at least one k, each > 1");
        assertThatThrownBy(() -> detector().fit(windows.drop("template_counts")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Input has no column 'template_counts' (map<string,long>)");
        assertThatThrownBy(() -> detector().fit(windows.limit(2)))
                .hasMessage("Cannot fit the anomaly detector on 2 windows: at least 3 are needed; train on a longer"
                        + " range or shorter windows");
        assertThatThrownBy(() -> ClusteringAlgorithm.fromName("dbscan"))
                .hasMessage("Cannot set algorithm to 'dbscan': use one of [kmeans, bisecting_kmeans, gmm]");
    }
}
