package io.nightshift.jobs.config;

import java.nio.file.Path;

import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;

/**
 * The {@code intel:} section of the configuration.
 *
 * @param directory       folder of indicator feeds ({@code *.csv}, {@code *.json} STIX bundles), searched
 *                        recursively; default {@code data-samples/threat_intel} relative to the configuration file's
 *                        folder (or the working folder)
 * @param minConfidence   indicators below this confidence (0–100) are not matched; default 0
 * @param maxEvidenceRows row ids kept per finding (earliest first); default 50
 */
public record IntelConfig(Location directory, int minConfidence, int maxEvidenceRows) {
    public static final String DEFAULT_DIRECTORY = "data-samples/threat_intel";
    public static final int DEFAULT_MAX_EVIDENCE_ROWS = 50;

    /** The section as YAML gives it (snake_case keys; unknown keys are rejected by the config loader). */
    public record Raw(String directory, Integer minConfidence, Integer maxEvidenceRows) {
    }

    /**
     * Fills defaults and validates.
     *
     * @throws NightshiftException (bad config) naming the key and the value
     */
    public static IntelConfig resolve(Raw raw, Path base, String origin) {
        Raw r = raw == null ? new Raw(null, null, null) : raw;
        String dir = r.directory() == null || r.directory().isBlank() ? DEFAULT_DIRECTORY : r.directory();
        int min = r.minConfidence() == null ? 0 : r.minConfidence();
        if (min < 0 || min > 100) {
            throw NightshiftException.badConfig(origin + ": intel.min_confidence must be between 0 and 100, got " + min);
        }
        int max = r.maxEvidenceRows() == null ? DEFAULT_MAX_EVIDENCE_ROWS : r.maxEvidenceRows();
        if (max < 1 || max > 10_000) {
            throw NightshiftException.badConfig(origin + ": intel.max_evidence_rows must be between 1 and 10000, got "
                    + max);
        }
        return new IntelConfig(ConfigValues.location(origin, "intel.directory", base, dir), min, max);
    }

    public static IntelConfig defaults(Path base) {
        return resolve(null, base, "built-in defaults");
    }
}
