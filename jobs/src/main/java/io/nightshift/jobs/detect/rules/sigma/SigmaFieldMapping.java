package io.nightshift.jobs.detect.rules.sigma;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.nightshift.jobs.detect.rules.FieldRef;

/**
 * Maps Sigma field names to canonical fields. The defaults cover the common names of Sigma's Windows, Linux and
 * ECS-style rules; configured overrides win; a field that maps to nothing is read from
 * {@code attributes['<name>']}, so rules on log-specific fields work when the lake keeps those fields as attributes.
 * Lookups are exact first, then case-insensitive (Sigma authors spell {@code Hostname}, {@code hostname}...).
 */
public final class SigmaFieldMapping {
    /** The built-in mapping (Sigma name → canonical field as a rule would write it). */
    public static final Map<String, String> DEFAULTS = defaults();

    private final Map<String, FieldRef> exact = new LinkedHashMap<>();
    private final Map<String, FieldRef> folded = new LinkedHashMap<>();

    /**
     * @param overrides Sigma name → canonical field ({@code user}, {@code attributes.country}...)
     * @throws IllegalArgumentException naming the Sigma field whose target is not a canonical field
     */
    public SigmaFieldMapping(Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>(DEFAULTS);
        all.putAll(overrides);
        all.forEach((sigma, target) -> {
            FieldRef ref;
            try {
                ref = FieldRef.parse(target);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sigma field mapping for '" + sigma + "': " + e.getMessage(), e);
            }
            exact.put(sigma, ref);
            folded.put(sigma.toLowerCase(Locale.ROOT), ref);
        });
    }

    public static SigmaFieldMapping defaultMapping() {
        return new SigmaFieldMapping(Map.of());
    }

    public FieldRef resolve(String sigmaField) {
        FieldRef ref = exact.get(sigmaField);
        if (ref == null) {
            ref = folded.get(sigmaField.toLowerCase(Locale.ROOT));
        }
        return ref != null ? ref : FieldRef.attribute(sigmaField);
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
