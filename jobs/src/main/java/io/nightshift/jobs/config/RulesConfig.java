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
 * @param sigmaPipelines    field mappings per Sigma log source, shipped ({@code aws_cloudtrail}, {@code linux_auditd},
 *                          {@code canonical}) or written here; a later one wins over an earlier one, and all win over
 *                          {@code sigmaFieldMapping}
 * @param maxEvidenceRows   row ids kept per finding in {@code evidence_row_ids} (earliest first); bounds the size of
 *                          a finding however many rows matched
 */
public record RulesConfig(Path directory, Map<String, String> sigmaFieldMapping,
                          Map<String, List<String>> sigmaLogsources, List<SigmaPipelineSpec> sigmaPipelines,
                          int maxEvidenceRows) {
    public static final String DEFAULT_DIRECTORY = "rules";
    public static final int DEFAULT_MAX_EVIDENCE_ROWS = 50;

    public RulesConfig {
        sigmaFieldMapping = sigmaFieldMapping == null ? Map.of() : Map.copyOf(sigmaFieldMapping);
        Map<String, List<String>> ls = new LinkedHashMap<>();
        if (sigmaLogsources != null) {
            sigmaLogsources.forEach((k, v) -> ls.put(k, List.copyOf(v)));
        }
        sigmaLogsources = java.util.Collections.unmodifiableMap(ls);
        sigmaPipelines = sigmaPipelines == null ? List.of() : List.copyOf(sigmaPipelines);
    }

    /** The same section reading {@code directory} (rules check and show take a folder of their own). */
    public RulesConfig withDirectory(Path dir) {
        return new RulesConfig(dir, sigmaFieldMapping, sigmaLogsources, sigmaPipelines, maxEvidenceRows);
    }

    /**
     * One entry of {@code rules.sigma_pipelines}: a shipped mapping by name ({@code shipped}), a mapping written here
     * ({@code logsource} and {@code fields}), or a shipped one with {@code fields} added or replaced.
     *
     * @param logsource the Sigma log source keys ({@code product}, {@code service}, {@code category}) a rule must
     *                  have for the mapping to apply; for a shipped mapping, replaces the shipped log source
     * @param fields    Sigma field name → canonical field ({@code user}, {@code attributes.eventSource})
     */
    public record SigmaPipelineSpec(String shipped, Map<String, String> logsource, Map<String, String> fields) {
        public static final java.util.Set<String> LOGSOURCE_KEYS = java.util.Set.of("product", "service", "category");

        public SigmaPipelineSpec {
            logsource = logsource == null ? Map.of() : Map.copyOf(logsource);
            fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    /** The section as YAML gives it (snake_case keys; unknown keys are rejected by the config loader). */
    public record Raw(String directory, Map<String, String> sigmaFieldMapping,
                      Map<String, List<String>> sigmaLogsources, List<SigmaPipelineSpec> sigmaPipelines,
                      Integer maxEvidenceRows) {
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
        Raw r = raw == null ? new Raw(null, null, null, null, null) : raw;
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
        List<SigmaPipelineSpec> pipelines = r.sigmaPipelines() == null ? List.of() : r.sigmaPipelines();
        for (int i = 0; i < pipelines.size(); i++) {
            SigmaPipelineSpec sp = pipelines.get(i);
            String key = origin + ": rules.sigma_pipelines[" + i + "]";
            if (sp == null || (sp.shipped() == null && sp.fields().isEmpty())) {
                throw NightshiftException.badConfig(key + " needs 'shipped' (a shipped mapping: aws_cloudtrail,"
                        + " linux_auditd, canonical) or 'logsource' and 'fields'");
            }
            if (sp.shipped() == null && sp.logsource().isEmpty()) {
                throw NightshiftException.badConfig(key + " needs a 'logsource' (product, service and/or category)"
                        + " saying which rules its fields apply to");
            }
            for (String k : sp.logsource().keySet()) {
                if (!SigmaPipelineSpec.LOGSOURCE_KEYS.contains(k)) {
                    throw NightshiftException.badConfig(key + ".logsource: unknown key '" + k
                            + "' (use product, service and/or category)");
                }
            }
        }
        return new RulesConfig((p.isAbsolute() ? p : base.resolve(p)).normalize(), mapping, r.sigmaLogsources(),
                pipelines, max);
    }

    /** Defaults relative to {@code base}. */
    public static RulesConfig defaults(Path base) {
        return resolve(null, base, "built-in defaults");
    }
}
