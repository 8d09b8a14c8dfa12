package io.nightshift.models.anomaly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;

/**
 * Precision, recall and F1 of scored windows against labels: at the model's threshold, and the best F1 over a
 * threshold sweep. Pure: one aggregation over the scored data, the driver receives one row.
 *
 * <p>A window is predicted anomalous when {@code score > threshold} (the model's {@code is_anomaly} rule). The sweep
 * covers 0, 1, ..., 99 and 99.1, ..., 99.9, the finer steps because scores beyond the training distribution sit in
 * (99, 100). Labels: boolean, or numeric with non-zero meaning anomalous; null labels are not counted. Precision is
 * 0 when nothing is predicted, recall 0 when there are no positives.
 */
public final class AnomalyEvaluation {

    /** Counts and metrics at one threshold. */
    public record Metrics(double threshold, long truePositives, long falsePositives, long falseNegatives,
                          double precision, double recall, double f1) {
        static Metrics of(double threshold, long tp, long fp, long fn) {
            double precision = tp + fp == 0 ? 0.0 : tp / (double) (tp + fp);
            double recall = tp + fn == 0 ? 0.0 : tp / (double) (tp + fn);
            double f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
            return new Metrics(threshold, tp, fp, fn, precision, recall, f1);
        }
    }

    /**
     * @param windows     labelled windows evaluated
     * @param positives   windows labelled anomalous
     * @param atThreshold metrics at the given threshold
     * @param best        the sweep threshold with the highest F1 (the lowest such threshold on ties)
     */
    public record Result(long windows, long positives, Metrics atThreshold, Metrics best) {
    }

    private AnomalyEvaluation() {
    }

    /** Sweep thresholds, ascending. */
    public static List<Double> sweepThresholds() {
        List<Double> out = new ArrayList<>();
        for (int t = 0; t < 100; t++) {
            out.add((double) t);
        }
        for (int t = 1; t <= 9; t++) {
            out.add(99.0 + t / 10.0);
        }
        return out;
    }

    /**
     * @param scored     data with {@code scoreCol} (double 0-100) and {@code labelCol}
     * @param threshold  the model's threshold
     * @throws IllegalArgumentException when a column is missing or the label is neither boolean nor numeric
     */
    public static Result evaluate(Dataset<Row> scored, String scoreCol, String labelCol, double threshold) {
        Column label = labelColumn(scored, scoreCol, labelCol);
        TreeSet<Double> thresholds = new TreeSet<>(sweepThresholds());
        thresholds.add(threshold);
        List<Double> ts = new ArrayList<>(thresholds);

        List<Column> aggs = new ArrayList<>();
        aggs.add(sum(when(label, 1L).otherwise(0L)));
        for (double t : ts) {
            Column predicted = col(scoreCol).gt(t);
            aggs.add(sum(when(predicted.and(label), 1L).otherwise(0L)));
            aggs.add(sum(when(predicted.and(label.unary_$bang()), 1L).otherwise(0L)));
        }
        Row row = scored.filter(col(labelCol).isNotNull().and(col(scoreCol).isNotNull()))
                .agg(count(lit(1)), aggs.toArray(new Column[0])).head();
        long windows = row.getLong(0);
        long positives = row.isNullAt(1) ? 0 : row.getLong(1);

        Set<Double> sweep = Set.copyOf(sweepThresholds());
        Metrics at = null;
        Metrics best = null;
        for (int i = 0; i < ts.size(); i++) {
            long tp = row.isNullAt(2 + 2 * i) ? 0 : row.getLong(2 + 2 * i);
            long fp = row.isNullAt(3 + 2 * i) ? 0 : row.getLong(3 + 2 * i);
            Metrics m = Metrics.of(ts.get(i), tp, fp, positives - tp);
            if (ts.get(i) == threshold) {
                at = m;
            }
            if (sweep.contains(ts.get(i)) && (best == null || m.f1() > best.f1())) {
                best = m;
            }
        }
        return new Result(windows, positives, at, best);
    }

    private static Column labelColumn(Dataset<Row> scored, String scoreCol, String labelCol) {
        List<String> names = List.of(scored.columns());
        for (String c : List.of(scoreCol, labelCol)) {
            if (!names.contains(c)) {
                throw new IllegalArgumentException("Scored data has no column '" + c + "'; columns are " + names);
            }
        }
        DataType type = scored.schema().apply(labelCol).dataType();
        if (type instanceof BooleanType) {
            return col(labelCol);
        }
        if (type instanceof NumericType) {
            return col(labelCol).notEqual(0);
        }
        throw new IllegalArgumentException("Label column '" + labelCol + "' must be boolean or numeric (non-zero ="
                + " anomalous) but is " + type.simpleString());
    }
}
