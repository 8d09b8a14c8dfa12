package io.nightshift.models.features;

import java.io.Serializable;
import java.util.List;

/**
 * The numeric window features and their standardisation (mean and sample standard deviation learned in fit, like
 * MLlib's {@code StandardScaler} with mean and std).
 *
 * <p>Counts enter as {@code log1p}: a window with 10x the usual volume should stand out, but not dwarf every
 * template dimension the way a raw count of thousands would. A feature whose training deviation is 0 is scaled by
 * {@link #MIN_STD} instead, so a value never seen in training moves the window clearly rather than being divided
 * by zero.
 */
public final class NumericFeatures implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Deviation used for a feature that never varied in training. New-template counts are always 0 in training; in
     * raw log units they would be drowned by the template dimensions, scaled by this, 40 lines of a never-seen
     * message move a window about 15 units.
     */
    static final double MIN_STD = 0.25;

    /** Feature names in vector order. */
    public static final List<String> NAMES = List.of("volume_log1p", "error_share", "distinct_templates_log1p",
            "distinct_users_log1p", "new_templates_log1p", "unknown_templates_log1p");

    private final double[] means;
    private final double[] stds;

    public NumericFeatures(double[] means, double[] stds) {
        if (means.length != NAMES.size() || stds.length != NAMES.size()) {
            throw new IllegalArgumentException("Expected " + NAMES.size() + " means and deviations " + NAMES
                    + ", got " + means.length + " and " + stds.length);
        }
        this.means = means.clone();
        this.stds = stds.clone();
    }

    /** Unscaled features of one window, in {@link #NAMES} order. */
    public static double[] raw(long lineCount, long errorCount, long distinctTemplates, long distinctUsers,
                               long newTemplates, long unknownTemplates) {
        return new double[] {
            Math.log1p(lineCount),
            lineCount == 0 ? 0.0 : (double) errorCount / lineCount,
            Math.log1p(distinctTemplates),
            Math.log1p(distinctUsers),
            Math.log1p(newTemplates),
            Math.log1p(unknownTemplates)
        };
    }

    /** Standardised copy of {@code raw}. */
    public double[] scale(double[] raw) {
        double[] out = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            double centred = raw[i] - means[i];
            out[i] = centred / (stds[i] > 0 ? stds[i] : MIN_STD);
        }
        return out;
    }

    public double mean(int i) {
        return means[i];
    }

    public double std(int i) {
        return stds[i];
    }
}
