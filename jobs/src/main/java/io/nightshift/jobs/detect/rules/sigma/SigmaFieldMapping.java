package io.nightshift.jobs.detect.rules.sigma;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.nightshift.jobs.detect.rules.FieldRef;
import io.nightshift.jobs.detect.rules.FieldResolution;

/**
 * Maps Sigma field names to canonical fields, in this order: the {@link SigmaPipeline pipelines} whose log source
 * the rule's is (the last one listed wins), then the configured overrides ({@code rules.sigma_field_mapping}), then
 * the built-in names common to Sigma's Windows, Linux and ECS-style rules. A field no mapping knows is read from
 * {@code attributes['<name>']}, so rules on log-specific fields work when the lake keeps those fields as attributes,
 * and the resolution says it was a guess ({@link FieldResolution#mapped()} false) so {@code rules check} can name it.
 * Lookups are exact first, then case-insensitive (Sigma authors spell {@code Hostname}, {@code hostname}...).
 */
public final class SigmaFieldMapping {
    /** The built-in mapping (Sigma name → canonical field as a rule would write it). */
    public static final Map<String, String> DEFAULTS = defaults();

    private final Layer overrides;
    private final Layer builtIn;
    private final List<SigmaPipeline> pipelines;
    private final List<Layer> pipelineLayers = new ArrayList<>();

    /** One mapping, looked up exactly and then case-insensitively. */
    private static final class Layer {
        final String name;
        final Map<String, FieldRef> exact = new LinkedHashMap<>();
        final Map<String, FieldRef> folded = new LinkedHashMap<>();

        Layer(String name, Map<String, String> mapping) {
            this.name = name;
            mapping.forEach((sigma, target) -> {
                FieldRef ref;
                try {
                    ref = FieldRef.parse(target);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("sigma field mapping for '" + sigma + "': " + e.getMessage(), e);
                }
                exact.put(sigma, ref);
                folded.putIfAbsent(sigma.toLowerCase(Locale.ROOT), ref);
            });
        }

        FieldRef get(String sigmaField) {
            FieldRef ref = exact.get(sigmaField);
            return ref != null ? ref : folded.get(sigmaField.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * @param overrides Sigma name → canonical field ({@code user}, {@code attributes.country}...)
     * @throws IllegalArgumentException naming the Sigma field whose target is not a canonical field
     */
    public SigmaFieldMapping(Map<String, String> overrides) {
        this(overrides, List.of());
    }

    /**
     * @param pipelines per log source mappings, in the order given: a later one wins over an earlier one
     * @throws IllegalArgumentException naming the Sigma field whose target is not a canonical field
     */
    public SigmaFieldMapping(Map<String, String> overrides, List<SigmaPipeline> pipelines) {
        this.overrides = new Layer("rules.sigma_field_mapping", overrides);
        this.builtIn = new Layer("built-in Sigma mapping", DEFAULTS);
        this.pipelines = List.copyOf(pipelines);
        for (SigmaPipeline p : this.pipelines) {
            pipelineLayers.add(new Layer("pipeline " + p.name(), p.fields()));
        }
    }

    public static SigmaFieldMapping defaultMapping() {
        return new SigmaFieldMapping(Map.of());
    }

    public List<SigmaPipeline> pipelines() {
        return pipelines;
    }

    /** The field a Sigma field of a rule with no log source-specific mapping reads. */
    public FieldRef resolve(String sigmaField) {
        return resolve(sigmaField, Map.of()).field();
    }

    /**
     * How {@code sigmaField} of a rule whose {@code logsource} is given (Sigma keys to values) resolves.
     */
    public FieldResolution resolve(String sigmaField, Map<String, String> logsource) {
        List<Layer> order = new ArrayList<>();
        for (int i = pipelines.size() - 1; i >= 0; i--) {
            if (pipelines.get(i).appliesTo(logsource)) {
                order.add(pipelineLayers.get(i));
            }
        }
        order.add(overrides);
        order.add(builtIn);
        for (Layer layer : order) {
            FieldRef ref = layer.get(sigmaField);
            if (ref != null) {
                return new FieldResolution(sigmaField, ref, layer.name);
            }
        }
        return new FieldResolution(sigmaField, FieldRef.attribute(sigmaField), null);
    }

    private static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : new String[] {"User", "user", "user.name", "UserName", "SubjectUserName", "TargetUserName"}) {
            m.put(f, "user");
        }
        for (String f : new String[] {"SourceIp", "src_ip", "source.ip", "IpAddress", "ClientIP", "c-ip"}) {
            m.put(f, "src_ip");
        }
        for (String f : new String[] {"DestinationIp", "dst_ip", "destination.ip"}) {
            m.put(f, "dst_ip");
        }
        for (String f : new String[] {"Hostname", "host.name", "ComputerName", "Computer", "host"}) {
            m.put(f, "host");
        }
        for (String f : new String[] {"EventID", "event.action", "action"}) {
            m.put(f, "action");
        }
        m.put("event.outcome", "outcome");
        m.put("outcome", "outcome");
        m.put("service", "service");
        m.put("service.name", "service");
        m.put("message", "message");
        m.put("Message", "message");
        m.put("log.level", "level");
        m.put("tenant_id", "tenant_id");
        m.put("sc-status", "status_code");
        m.put("http.response.status_code", "status_code");
        m.put("sc-bytes", "bytes_out");
        m.put("c-useragent", "attributes.user_agent");
        m.put("user_agent.original", "attributes.user_agent");
        m.put("cs-uri", "attributes.url");
        m.put("url.original", "attributes.url");
        m.put("cs-host", "attributes.domain");
        m.put("url.domain", "attributes.domain");
        return java.util.Collections.unmodifiableMap(m);
    }
}
