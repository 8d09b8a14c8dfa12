package io.nightshift.lakegen.scenario;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.nightshift.lakegen.world.LogEvent;
import io.nightshift.lakegen.world.Sampling;
import io.nightshift.lakegen.world.ServiceCatalog;
import io.nightshift.lakegen.world.ServiceProfile.TemplateMix;
import io.nightshift.lakegen.world.Topology;
import io.nightshift.lakegen.world.HttpTemplates;
import io.nightshift.lakegen.world.RuntimeTemplates;

/**
 * A bad deploy of one service in one region: the deploy lines, then for about two hours 45% of that service's lines
 * there become errors, until a rollback to the previous version. Loud.
 */
public final class ErrorStormScenario extends Scenario {
    private static final List<String> CANDIDATES = List.of("checkout", "payments", "search", "catalog");
    private static final double ERROR_SHARE = 0.45;
    private static final long DEPLOY_MICROS = 5 * 60 * 1_000_000L;
    private static final TemplateMix STORM = TemplateMix.of(HttpTemplates.SERVER_ERROR, 5,
            HttpTemplates.UPSTREAM_TIMEOUT, 2, RuntimeTemplates.NULL_POINTER, 3);

    private final String service;
    private final String region;
    private final String deployHost;
    private final String badVersion;
    private final String goodVersion;

    ErrorStormScenario(String id, LocalDate date, Instant start, Instant end, String service, String region,
                       String deployHost, String badVersion, String goodVersion) {
        super(ScenarioKind.ERROR_STORM, id, date, start, end);
        this.service = service;
        this.region = region;
        this.deployHost = deployHost;
        this.badVersion = badVersion;
        this.goodVersion = goodVersion;
    }

    static ErrorStormScenario plan(String id, LocalDate date, SplittableRandom rng) {
        String service = Sampling.pick(rng, CANDIDATES);
        String region = Sampling.pick(rng, ServiceCatalog.profile(service).regions());
        Topology.Host host = Sampling.pick(rng, Topology.hostsOf(region, service));
        int minutes = Sampling.between(rng, 110, 130);
        Instant start = localBusinessStart(date, region, 9, 13, minutes, rng);
        Instant end = start.plusSeconds(60L * minutes);
        int major = Sampling.between(rng, 1, 4);
        int minor = Sampling.between(rng, 1, 30);
        int patch = Sampling.between(rng, 0, 9);
        return new ErrorStormScenario(id, date, start, end, service, region, host.name(),
                major + "." + minor + "." + patch, major + "." + (minor - 1) + "." + Sampling.between(rng, 0, 9));
    }

    @Override
    public String description() {
        return "Bad deploy of " + service + " " + badVersion + " in " + region + ": about "
                + Math.round(ERROR_SHARE * 100) + "% of its lines there are errors until the rollback to "
                + goodVersion;
    }

    @Override
    public Map<String, Object> entities() {
        return entityMap("service", service, "region", region, "host", deployHost);
    }

    @Override
    public java.util.Set<String> hostsWritten() {
        return java.util.Set.of(deployHost);
    }

    @Override
    public int injectedRows() {
        return 4;
    }

    @Override
    public void writeInjectedRow(LogEvent e, int k, SplittableRandom rng) {
        // The bad deploy opens the window, the rollback closes it.
        if (k < 2) {
            writeDeployLine(e, k, rng, service, deployHost, badVersion, startMicros(), startMicros() + DEPLOY_MICROS,
                    300);
        } else {
            writeDeployLine(e, k - 2, rng, service, deployHost, goodVersion, endMicros() - 2 * 60_000_000L,
                    endMicros() - 1, 90);
        }
        mark(e);
    }

    @Override
    public void amend(LogEvent e, SplittableRandom rng) {
        if (service.equals(e.service) && region.equals(e.region) && e.epochMicros >= startMicros() + DEPLOY_MICROS
                && e.epochMicros < endMicros() - 2 * 60_000_000L && rng.nextDouble() < ERROR_SHARE) {
            rewrite(e, STORM.sample(rng), rng);
            mark(e);
        }
    }
}
