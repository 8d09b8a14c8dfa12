package io.nightshift.jobs.detect.rules.sigma;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.nightshift.jobs.detect.rules.FieldRef;
import io.nightshift.jobs.detect.rules.YamlNode;

/**
 * A field mapping for the Sigma rules of one log source, as pySigma's processing pipelines map fields: the rules
 * whose {@code logsource} has every key of {@link #logsource} with the same value ({@code product: aws, service:
 * cloudtrail}) read {@code fields} (Sigma name → canonical field, as a rule writes it: {@code user},
 * {@code attributes.eventSource}). Nightshift ships {@link #SHIPPED} mappings as resources
 * ({@code sigma/pipelines/NAME.yml}, the same shape: {@code logsource} and {@code fields}); the configuration adds
 * its own ({@code rules.sigma_pipelines}).
 *
 * @param name      for messages and {@code rules show}: the shipped name, or {@code rules.sigma_pipelines[i]}
 * @param logsource the log source keys it applies to ({@code product}, {@code service}, {@code category}); empty
 *                  applies to every rule
 */
public record SigmaPipeline(String name, Map<String, String> logsource, Map<String, String> fields) {
    /** The mappings Nightshift ships. */
    public static final List<String> SHIPPED = List.of("aws_cloudtrail", "linux_auditd", "canonical");
    /** The logsource keys a pipeline may select on. */
    public static final Set<String> LOGSOURCE_KEYS = Set.of("product", "service", "category");

    /**
     * @throws IllegalArgumentException naming the pipeline and the bad logsource key or field target
     */
    public SigmaPipeline {
        logsource = Map.copyOf(logsource);
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        for (String k : logsource.keySet()) {
            if (!LOGSOURCE_KEYS.contains(k)) {
                throw new IllegalArgumentException(name + ": logsource key '" + k + "' is not one of "
                        + new java.util.TreeSet<>(LOGSOURCE_KEYS));
            }
        }
        for (var e : fields.entrySet()) {
            try {
                FieldRef.parse(e.getValue());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(name + ": field '" + e.getKey() + "': " + bad.getMessage(), bad);
            }
        }
    }

    /** Whether a rule with this {@code logsource} (Sigma keys to values) uses this mapping. Values fold case. */
    public boolean appliesTo(Map<String, String> ruleLogsource) {
        for (var e : logsource.entrySet()) {
            String v = ruleLogsource.get(e.getKey());
            if (v == null || !v.toLowerCase(Locale.ROOT).equals(e.getValue().toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A shipped mapping by name.
     *
     * @throws IllegalArgumentException when there is no such shipped mapping, listing those there are
     */
    public static SigmaPipeline shipped(String name) {
        if (!SHIPPED.contains(name)) {
            throw new IllegalArgumentException("no shipped Sigma pipeline '" + name + "' (shipped: "
                    + String.join(", ", SHIPPED) + ")");
        }
        String resource = "/sigma/pipelines/" + name + ".yml";
        try (InputStream in = SigmaPipeline.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the build");
            }
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
            YamlNode doc = YamlNode.documents(reader).get(0);
            Map<String, YamlNode.Entry> e = doc.entries();
            return new SigmaPipeline(name, strings(e.get("logsource")), strings(e.get("fields")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static Map<String, String> strings(YamlNode.Entry entry) {
        Map<String, String> out = new LinkedHashMap<>();
        if (entry != null) {
            entry.value().entries().forEach((k, v) -> out.put(k, v.value().text()));
        }
        return out;
    }
}
