package io.nightshift.jobs.config;

import java.nio.file.Path;

import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;

/**
 * The checks every configuration section makes of its values, each failing as a bad config that names the key, the
 * value and what was expected. Used by the loader and the section records alike, so a section never calls back
 * into the loader that built it.
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    /** {@code value}, or {@code dflt} when it is null; a bad config naming {@code key} when below {@code min}. */
    public static int atLeast(String origin, String key, Integer value, int dflt, int min) {
        int v = value == null ? dflt : value;
        if (v < min) {
            throw NightshiftException.badConfig(origin + ": " + key + " must be at least " + min + ", got " + v);
        }
        return v;
    }

    /** {@code value}, or {@code dflt} when it is null; a bad config naming {@code key} unless greater than 0. */
    public static double positive(String origin, String key, Double value, double dflt) {
        double v = value == null ? dflt : value;
        if (!(v > 0)) {
            throw NightshiftException.badConfig(origin + ": " + key + " must be greater than 0, got " + v);
        }
        return v;
    }

    /** {@code value}, or {@code dflt} when it is null; a bad config naming {@code key} unless in [0, 1). */
    public static double fraction(String origin, String key, Double value, double dflt) {
        double v = value == null ? dflt : value;
        if (v < 0 || v >= 1) {
            throw NightshiftException.badConfig(origin + ": " + key + " must be in [0, 1), got " + v);
        }
        return v;
    }

    /**
     * A data location: a URI ({@code hdfs://}, {@code s3a://}, ...) as written, a local path made absolute against
     * {@code base}; a bad config naming {@code key} when it is not a valid URI or holds credentials.
     */
    public static Location location(String origin, String key, Path base, String value) {
        try {
            return Location.of(value, base);
        } catch (IllegalArgumentException e) {
            throw NightshiftException.badConfig(origin + ": " + key + ": " + e.getMessage());
        }
    }
}
