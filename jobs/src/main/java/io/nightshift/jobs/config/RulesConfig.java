package io.nightshift.jobs.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.nightshift.jobs.base.NightshiftException;

/**
 * The {@code rules:} section of the configuration.
 *
 * @param directory         folder of rule files (Nightshift and Sigma YAML, searched recursively); default
 *                          {@code rules} relative to the configuration file's folder (or the working folder)
 * @param sigmaFieldMapping Sigma field name → canonical field ({@code user}, {@code attributes.country}), on top of
 *                          the built-in Sigma field mapping (SigmaFieldMapping); its targets are checked when the rules load
 * @param sigmaLogsources   Sigma log source name ({@code logsource.service}, {@code .category} or {@code .product})
 *                          → canonical services the rule applies to; unmapped log sources apply to every service
 * @param maxEvidenceRows   row ids kept per finding in {@code evidence_row_ids} (earliest first); bounds the size of
 *                          a finding however many rows matched
 */
public record RulesConfig(Path directory, Map<String, String> sigmaFieldMapping,
                          Map<String, List<String>> sigmaLogsources, int maxEvidenceRows) {
    public static final String DEFAULT_DIRECTORY = "rules";
    public static final int DEFAULT_MAX_EVIDENCE_ROWS = 50;

    public RulesConfig {
        sigmaFieldMapping = sigmaFieldMapping == null ? Map.of() : Map.copyOf(sigmaFieldMapping);
        Map<String, List<String>> ls = new LinkedHashMap<>();
        if (sigmaLogsources != null) {
            sigmaLogsources.forEach((k, v) -> ls.put(k, List.copyOf(v)));
        }
        sigmaLogsources = java.util.Collections.unmodifiableMap(ls);
    }

    /** The section as YAML gives it (snake_case keys; unknown keys are rejected by the config loader). */
    public record Raw(String directory, Map<String, String> sigmaFieldMapping,
                      Map<String, List<String>> sigmaLogsources, Integer maxEvidenceRows) {
    }

    /**
     * Fills defaults and validates.
     *
     * @param raw    the section, or null when the file has none
     * @param base   folder relative paths resolve against
     * @param origin "config file X" or "built-in defaults", for messages
     * @throws NightshiftException (bad config) naming the key and the value
     */
    public static RulesConfig resolve(Raw raw, Path base, String origin) {
        Raw r = raw == null ? new Raw(null, null, null, null) : raw;
        String dir = r.directory() == null || r.directory().isBlank() ? DEFAULT_DIRECTORY : r.directory();
        Path p = Path.of(dir);
        int max = r.maxEvidenceRows() == null ? DEFAULT_MAX_EVIDENCE_ROWS : r.maxEvidenceRows();
        if (max < 1 || max > 10_000) {
            throw NightshiftException.badConfig(origin + ": rules.max_evidence_rows must be between 1 and 10000, got "
                    + max);
        }
        Map<String, String> mapping = r.sigmaFieldMapping() == null ? Map.of() : r.sigmaFieldMapping();
        if (r.sigmaLogsources() != null) {
            r.sigmaLogsources().forEach((k, v) -> {
                if (v == null || v.isEmpty()) {
                    throw NightshiftException.badConfig(origin + ": rules.sigma_logsources." + k
                            + " must list at least one service");
                }
            });
        }
        return new RulesConfig((p.isAbsolute() ? p : base.resolve(p)).normalize(), mapping, r.sigmaLogsources(), max);
    }

    /** Defaults relative to {@code base}. */
    public static RulesConfig defaults(Path base) {
        return resolve(null, base, "built-in defaults");
    }
}
