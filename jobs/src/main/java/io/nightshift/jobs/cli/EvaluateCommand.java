package io.nightshift.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.SparkSessions;
import io.nightshift.models.anomaly.AnomalyEvaluation;
import io.nightshift.models.anomaly.ClusterAnomalyDetector;
import io.nightshift.models.anomaly.ClusterAnomalyModel;
import io.nightshift.models.features.WindowFeaturizer;
import io.nightshift.models.features.WindowFeaturizerModel;
import io.nightshift.models.templates.TemplateMiner;
import io.nightshift.models.templates.TemplateMinerModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nightshift evaluate}: judges the clustering detector on any labelled log set. The detector is unsupervised:
 * it is fitted without the labels, then its windows are compared with them.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Fit template mining, features and the clustering detector on a labelled Parquet log set "
                + "(labels hidden from training), then print precision, recall and F1 at the threshold and the best F1 "
                + "over thresholds. Labels per row, or per session key (e.g. an HDFS block id).")
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "PATH", description = "Parquet file or folder.")
    Path input;

    @Option(names = "--label-col", defaultValue = "label",
            description = "Label column: boolean, or number with non-zero = anomalous (default: ${DEFAULT-VALUE}).")
    String labelCol;

    @Option(names = "--message-col", defaultValue = "message", description = "Message column (default: ${DEFAULT-VALUE}).")
    String messageCol;

    @Option(names = "--session-col", paramLabel = "COL",
            description = "Column holding the session key (one window per session, label = any anomalous row).")
    String sessionCol;

    @Option(names = "--entity-col", defaultValue = "host",
            description = "Without a session: the entity column windows are cut by (default: ${DEFAULT-VALUE}).")
    String entityCol;

    @Option(names = "--timestamp-col", defaultValue = "timestamp", description = "Timestamp column (default: ${DEFAULT-VALUE}).")
    String timestampCol;

    @Option(names = "--window", defaultValue = "10 minutes", description = "Window length without a session (default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--algorithm", defaultValue = "kmeans", description = "kmeans, bisecting_kmeans or gmm.")
    String algorithm;

    @Option(names = "--threshold", defaultValue = "95", description = "Score threshold 0-100 (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Override
    public Integer call() {
        if (!Files.exists(input)) {
            throw NightshiftException.badInput("--input " + input + " does not exist");
        }
        SparkSession spark = SparkSessions.create("nightshift-evaluate", Map.of());
        Dataset<Row> raw = spark.read().parquet(input.toString());
        List<String> cols = Arrays.asList(raw.columns());
        for (String c : List.of(labelCol, messageCol)) {
            if (!cols.contains(c)) {
                throw NightshiftException.badInput("column '" + c + "' is missing in " + input + "; columns found: " + cols);
            }
        }
        String key = sessionCol != null ? sessionCol : entityCol;
        if (!cols.contains(key)) {
            throw NightshiftException.badInput("column '" + key + "' is missing in " + input + "; columns found: " + cols);
        }
        Dataset<Row> logs = raw
                .withColumn("message", col("`" + messageCol + "`").cast("string"))
                .withColumn("timestamp", cols.contains(timestampCol) ? col("`" + timestampCol + "`").cast("timestamp")
                        : lit("1970-01-01 00:00:00").cast("timestamp"))
                .withColumn("level", cols.contains("level") ? col("level").cast("string") : lit(null).cast("string"))
                .withColumn("user", cols.contains("user") ? col("user").cast("string") : lit(null).cast("string"))
                .withColumn("session_key", col("`" + key + "`").cast("string"))
                .withColumn("attributes", map(lit("session"), col("session_key")))
                .withColumn("is_anomalous_row", labelTrue(raw));
        TemplateMinerModel miner = new TemplateMiner().fit(logs);
        Dataset<Row> templated = miner.transform(logs).cache();
        WindowFeaturizer featurizer = new WindowFeaturizer();
        if (sessionCol != null) {
            featurizer.setSessionKey("session");
        } else {
            featurizer.setEntityCols("session_key").setWindowDuration(window);
        }
        WindowFeaturizerModel features = featurizer.fit(templated);
        Dataset<Row> windows = features.transform(templated).cache();
        ClusterAnomalyModel model = new ClusterAnomalyDetector().setAlgorithm(algorithm).setThreshold(threshold)
                .setSeed(42L).fit(windows);
        Dataset<Row> scored = model.transform(windows);

        Dataset<Row> labels;
        if (sessionCol != null) {
            labels = templated.groupBy(col("session_key").as("l_entity"))
                    .agg(max(col("is_anomalous_row")).as("label"));
            scored = scored.join(labels, scored.col("entity").equalTo(labels.col("l_entity")));
        } else {
            labels = templated.groupBy(col("session_key").as("l_entity"),
                            org.apache.spark.sql.functions.window(col("timestamp"), window).getField("start").as("l_start"))
                    .agg(max(col("is_anomalous_row")).as("label"));
            scored = scored.join(labels, scored.col("entity").equalTo(labels.col("l_entity"))
                    .and(scored.col("window_start").equalTo(labels.col("l_start"))));
        }
        AnomalyEvaluation.Result r = AnomalyEvaluation.evaluate(scored, "score", "label", threshold);
        System.out.printf(Locale.ROOT, "windows %d, anomalous %d, templates %d, k %d (%s)%n", r.windows(),
                r.positives(), miner.templateList().size(), model.numClusters(), algorithm);
        print("at threshold", r.atThreshold());
        print("best F1", r.best());
        return ExitCodes.OK;
    }

    private org.apache.spark.sql.Column labelTrue(Dataset<Row> raw) {
        String type = raw.schema().apply(labelCol).dataType().typeName();
        org.apache.spark.sql.Column l = col("`" + labelCol + "`");
        if (type.equals("boolean")) {
            return l;
        }
        if (type.equals("string")) {
            return when(l.isin("1", "true", "anomaly", "Anomaly", "anomalous", "-"), lit(true)).otherwise(lit(false));
        }
        return l.cast("double").notEqual(0);
    }

    private static void print(String what, AnomalyEvaluation.Metrics m) {
        System.out.printf(Locale.ROOT, "%-13s threshold %5.1f  precision %.3f  recall %.3f  F1 %.3f  (TP %d, FP %d, FN %d)%n",
                what, m.threshold(), m.precision(), m.recall(), m.f1(), m.truePositives(), m.falsePositives(),
                m.falseNegatives());
    }
}
