package io.nightshift.models.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.models.features.LocalSpark;

class AnomalyEvaluationTest {
    private static SparkSession spark;
    private static Dataset<Row> scored;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
        StructType schema = new StructType().add("score", DataTypes.DoubleType).add("label", DataTypes.BooleanType)
                .add("label_int", DataTypes.IntegerType);
        scored = spark.createDataFrame(List.of(
                RowFactory.create(10.0, false, 0),
                RowFactory.create(40.0, true, 1),
                RowFactory.create(96.0, true, 1),
                RowFactory.create(97.0, false, 0),
                RowFactory.create(99.5, true, 1),
                RowFactory.create(20.0, false, 0),
                RowFactory.create(50.0, null, null)), schema);
    }

    @Test
    void metricsAtTheThresholdAndTheBestOverTheSweep() {
        AnomalyEvaluation.Result r = AnomalyEvaluation.evaluate(scored, "score", "label", 95.0);

        assertThat(r.windows()).isEqualTo(6);
        assertThat(r.positives()).isEqualTo(3);
        // score > 95: 96 (anomaly), 97 (normal), 99.5 (anomaly); 40 (anomaly) is missed.
        assertThat(r.atThreshold()).isEqualTo(new AnomalyEvaluation.Metrics(95.0, 2, 1, 1, 2.0 / 3, 2.0 / 3, 2.0 / 3));
        // Best: any threshold in [20, 40) catches all three anomalies with one false alarm (97).
        assertThat(r.best().threshold()).isEqualTo(20.0);
        assertThat(r.best().precision()).isEqualTo(0.75);
        assertThat(r.best().recall()).isEqualTo(1.0);
        assertThat(r.best().f1()).isCloseTo(6.0 / 7, within(1e-12));
    }

    @Test
    void numericLabelsCountNonZeroAsAnomalous() {
        AnomalyEvaluation.Result r = AnomalyEvaluation.evaluate(scored, "score", "label_int", 95.0);
        assertThat(r.atThreshold().f1()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.best().f1()).isCloseTo(6.0 / 7, within(1e-12));
    }

    @Test
    void labelMustBeBooleanOrNumeric() {
        Dataset<Row> text = scored.withColumn("label_text", scored.col("label").cast("string"));
        assertThatThrownBy(() -> AnomalyEvaluation.evaluate(text, "score", "label_text", 95.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Label column 'label_text' must be boolean or numeric (non-zero = anomalous) but is string");
    }
}
