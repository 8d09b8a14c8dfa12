package io.nightshift.jobs.incidents;

import java.sql.Timestamp;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What is known about one incident: its signals and the reference data about the services and tenants they touch.
 * Sorted sets throughout, so every derived list (and hash) is deterministic.
 *
 * @param affectedTenants tenants affected, including those seen in the incident's scope in the logs, not only
 *                        those named by a finding
 */
public record IncidentFacts(List<Signal> signals, Set<String> affectedTenants, ReferenceData reference) {

    private TreeSet<String> values(Function<Signal, String> f) {
        TreeSet<String> s = new TreeSet<>();
        signals.stream().map(f).filter(Objects::nonNull).forEach(s::add);
        return s;
    }

    public TreeSet<String> regions() {
        return values(Signal::region);
    }

    public TreeSet<String> datacenters() {
        return values(Signal::datacenter);
    }

    public TreeSet<String> services() {
        return values(Signal::service);
    }

    public TreeSet<String> farms() {
        return values(Signal::farm);
    }

    public TreeSet<String> hosts() {
        return values(Signal::host);
    }

    public TreeSet<String> users() {
        return values(Signal::user);
    }

    public TreeSet<String> ips() {
        return values(Signal::srcIp);
    }

    public TreeSet<String> detectors() {
        return values(Signal::detector);
    }

    public TreeSet<String> tenants() {
        TreeSet<String> t = values(Signal::tenantId);
        t.addAll(affectedTenants);
        return t;
    }

    public Set<Signal.Kind> kinds() {
        Set<Signal.Kind> k = EnumSet.noneOf(Signal.Kind.class);
        signals.forEach(s -> k.add(s.kind()));
        return k;
    }

    public double maxScore() {
        return signals.stream().mapToDouble(Signal::score).max().orElse(0);
    }

    public Timestamp firstSeen() {
        return signals.stream().map(Signal::firstSeen).min(Comparator.naturalOrder()).orElse(null);
    }

    public Timestamp lastSeen() {
        return signals.stream().map(Signal::lastSeen).max(Comparator.naturalOrder()).orElse(null);
    }

    public Signal strongest() {
        return signals.stream().max(Comparator.comparingDouble(Signal::score)
                .thenComparing(Signal::findingId, Comparator.reverseOrder())).orElseThrow();
    }

    private static int sensitivity(ReferenceData.Service s) {
        int c = switch (String.valueOf(s.dataClassification())) {
            case "restricted" -> 4;
            case "confidential" -> 3;
            case "internal" -> 2;
            default -> 1;
        };
        return c * 2 + (s.containsPii() ? 1 : 0);
    }

    public ReferenceData.Service mostSensitiveService() {
        return services().stream().map(reference::service).filter(Objects::nonNull)
                .max(Comparator.comparingInt(IncidentFacts::sensitivity).thenComparing(ReferenceData.Service::name))
                .orElse(null);
    }

    public ReferenceData.Service mostCriticalService() {
        return reference.mostCritical(services());
    }

    public List<String> regulations() {
        TreeSet<String> r = new TreeSet<>();
        tenants().stream().map(reference::tenant).filter(Objects::nonNull).forEach(t -> r.addAll(t.regulations()));
        return List.copyOf(r);
    }

    public List<String> industries() {
        TreeSet<String> r = new TreeSet<>();
        tenants().stream().map(reference::tenant).filter(Objects::nonNull).map(ReferenceData.Tenant::industry)
                .filter(Objects::nonNull).forEach(r::add);
        return List.copyOf(r);
    }
}
