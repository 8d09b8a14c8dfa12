package io.nightshift.lakegen.scenario;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.nightshift.lakegen.world.Deploys;
import io.nightshift.lakegen.world.LogEvent;
import io.nightshift.lakegen.world.Sampling;
import io.nightshift.lakegen.world.Topology;

/**
 * After a deploy to one datacenter, one service gets about twice as slow there for a few hours, with no change in
 * its error rate. Subtle: only per-datacenter latency percentiles show it.
 */
public final class LatencyDegradationScenario extends Scenario {
    private static final List<String> CANDIDATES = List.of("search", "catalog", "checkout", "payments", "auth");
    private static final long DEPLOY_MICROS = 4 * 60 * 1_000_000L;

    private final String service;
    private final String datacenter;
    private final String deployHost;
    private final String version;
    private final double factor;

    LatencyDegradationScenario(String id, LocalDate date, Instant start, Instant end, String service,
                               String datacenter, String deployHost, String version, double factor) {
        super(ScenarioKind.LATENCY_DEGRADATION, id, date, start, end);
        this.service = service;
        this.datacenter = datacenter;
        this.deployHost = deployHost;
        this.version = version;
        this.factor = factor;
    }

    static LatencyDegradationScenario plan(String id, LocalDate date, SplittableRandom rng) {
        String service = Sampling.pick(rng, CANDIDATES);
        Topology.Host host = Sampling.pick(rng, Topology.hostsOfService(service));
        int minutes = Sampling.between(rng, 180, 300);
        Instant start = localBusinessStart(date, host.region(), 9, 12, minutes, rng);
        Instant end = start.plusSeconds(60L * minutes);
        double factor = Math.round((2.0 + 0.4 * rng.nextDouble()) * 100) / 100.0;
        return new LatencyDegradationScenario(id, date, start, end, service, host.datacenter(), host.name(),
                Deploys.version(rng), factor);
    }

    @Override
    public String description() {
        return "After deploying " + service + " " + version + " in " + datacenter + ", its request latency there is "
                + factor + "x (p95 roughly doubles) with no change in errors";
    }

    @Override
    public Map<String, Object> entities() {
        return entityMap("service", service, "datacenter", datacenter, "region", Topology.host(deployHost).region(),
                "host", deployHost);
    }

    @Override
    public java.util.Set<String> hostsWritten() {
        return java.util.Set.of(deployHost);
    }

    @Override
    public int injectedRows() {
        return 2;
    }

    @Override
    public void writeInjectedRow(LogEvent e, int k, SplittableRandom rng) {
        writeDeployLine(e, k, rng, service, deployHost, version, startMicros(), startMicros() + DEPLOY_MICROS, 240);
        mark(e);
    }

    @Override
    public void amend(LogEvent e, SplittableRandom rng) {
        // Only request-like lines (they have an action) get slower; GC pauses and health checks keep their timing.
        if (service.equals(e.service) && datacenter.equals(e.datacenter) && e.action != null && e.durationMs != null
                && e.epochMicros >= startMicros() + DEPLOY_MICROS && e.epochMicros < endMicros()) {
            e.durationMs = e.durationMs * factor;
            mark(e);
        }
    }
}
