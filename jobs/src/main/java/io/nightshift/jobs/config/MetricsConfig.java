package io.nightshift.jobs.config;

import io.nightshift.jobs.base.NightshiftException;

/**
 * The {@code metrics:} section: when a rule or detector is flagged for review in {@code detection_metrics}.
 *
 * @param maxFalsePositiveRate flagged when the share of its triaged incidents marked false positive is above this
 * @param minVerdicts          ... and at least this many of its incidents have a verdict (one bad call is no trend)
 */
public record MetricsConfig(double maxFalsePositiveRate, int minVerdicts) {
    /** The section as YAML gives it. */
    public record Raw(Double maxFalsePositiveRate, Integer minVerdicts) {
    }

    public static MetricsConfig defaults() {
        return resolve(null, "built-in defaults");
    }

    public static MetricsConfig resolve(Raw raw, String origin) {
        Raw r = raw == null ? new Raw(null, null) : raw;
        double rate = r.maxFalsePositiveRate() == null ? 0.3 : r.maxFalsePositiveRate();
        if (rate < 0 || rate > 1) {
            throw NightshiftException.badConfig(origin + ": metrics.max_false_positive_rate must be between 0 and 1, "
                    + "got " + rate);
        }
        return new MetricsConfig(rate, ConfigValues.atLeast(origin, "metrics.min_verdicts", r.minVerdicts(), 3, 1));
    }
}
