package io.nightshift.models.anomaly;

import java.io.Serializable;
import java.util.Arrays;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Maps a raw distance to a 0-100 score by its position in the training distance distribution, so a score means
 * the same for every model whatever its feature scale: 50 is a typical training window, 99 the farthest one.
 *
 * <p>Stored state: {@value #QUANTILES} quantiles {@code q[0..100]} of the training distances (probabilities
 * 0, 0.01, ..., 1; {@code approxQuantile} with relative error {@value #RELATIVE_ERROR}). Mapping:
 * <ul>
 *   <li>{@code d <= q[100]}: {@code 0.99 * P(d)}, with {@code P} the empirical CDF in percent, interpolated linearly
 *       between quantiles; ties take the highest rank ({@code P} = share of training distances {@code <= d}).
 *       Training distances therefore map to roughly uniform scores on [0, 99].</li>
 *   <li>{@code d > q[100]}: {@code 100 - 1 / (1 + ln(1 + (d - q[100]) / s))} with {@code s = q[100]} (or a tiny
 *       constant when every training distance was 0): 99 at the training maximum, 99.5 at about 2.7x beyond it,
 *       growing logarithmically towards 100 and never reaching it.</li>
 * </ul>
 */
public final class ScoreCalibration implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int QUANTILES = 101;
    public static final double RELATIVE_ERROR = 0.001;
    /** Score of the largest training distance; everything beyond scores in (MAX_TRAINING_SCORE, 100). */
    public static final double MAX_TRAINING_SCORE = 99.0;
    private static final double MIN_SCALE = 1e-9;

    private final double[] quantiles;

    public ScoreCalibration(double[] quantiles) {
        if (quantiles.length != QUANTILES) {
            throw new IllegalArgumentException("Expected " + QUANTILES + " calibration quantiles, got "
                    + quantiles.length);
        }
        for (int i = 1; i < quantiles.length; i++) {
            if (!(quantiles[i] >= quantiles[i - 1])) {
                throw new IllegalArgumentException("Calibration quantiles must be non-decreasing; q[" + (i - 1)
                        + "]=" + quantiles[i - 1] + " > q[" + i + "]=" + quantiles[i]);
            }
        }
        this.quantiles = quantiles.clone();
    }

    /** Learns the quantiles of {@code column} (non-null doubles) over {@code distances}; a distributed aggregate. */
    public static ScoreCalibration learn(Dataset<Row> distances, String column) {
        double[] probabilities = new double[QUANTILES];
        for (int i = 0; i < QUANTILES; i++) {
            probabilities[i] = i / (double) (QUANTILES - 1);
        }
        double[] q = distances.stat().approxQuantile(column, probabilities, RELATIVE_ERROR);
        if (q.length != QUANTILES) {
            throw new IllegalArgumentException("Cannot calibrate scores: no training distances in column " + column);
        }
        // approxQuantile is monotone in exact arithmetic; guard against any floating-point wobble.
        for (int i = 1; i < q.length; i++) {
            q[i] = Math.max(q[i], q[i - 1]);
        }
        return new ScoreCalibration(q);
    }

    public double score(double distance) {
        double max = quantiles[QUANTILES - 1];
        if (Double.isNaN(distance)) {
            return Double.NaN;
        }
        if (distance > max) {
            double scale = max > 0 ? max : MIN_SCALE;
            return 100.0 - 1.0 / (1.0 + Math.log1p((distance - max) / scale));
        }
        if (distance < quantiles[0]) {
            return 0.0;
        }
        int i = upperRank(distance);
        double percent = i == QUANTILES - 1 ? 100.0
                : i + (distance - quantiles[i]) / (quantiles[i + 1] - quantiles[i]);
        return MAX_TRAINING_SCORE / 100.0 * percent;
    }

    /** Largest i with q[i] <= d; requires q[0] <= d <= q[100]. */
    private int upperRank(double d) {
        int lo = 0;
        int hi = QUANTILES - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (quantiles[mid] <= d) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The largest training distance. */
    public double maxDistance() {
        return quantiles[QUANTILES - 1];
    }

    public double[] quantiles() {
        return quantiles.clone();
    }

    @Override
    public String toString() {
        return "ScoreCalibration" + Arrays.toString(quantiles);
    }
}
