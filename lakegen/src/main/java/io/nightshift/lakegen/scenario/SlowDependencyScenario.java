package io.nightshift.lakegen.scenario;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.nightshift.lakegen.world.LogEvent;
import io.nightshift.lakegen.world.Sampling;
import io.nightshift.lakegen.world.ServiceCatalog;
import io.nightshift.lakegen.world.HttpTemplates;

/**
 * Storage slows down in one region and its callers (checkout, reports) slow down with it in the same hours, a few
 * of their lines turning into slow-upstream warnings. Loud: three services move together, which is what a
 * correlator should link back to the origin.
 */
public final class SlowDependencyScenario extends Scenario {
    static final String ORIGIN = "storage";
    static final List<String> CALLERS = List.of("checkout", "reports");
    private static final double SLOW_CALL_WARNING_SHARE = 0.04;

    private final String region;
    private final double originFactor;
    private final double callerFactor;

    SlowDependencyScenario(String id, LocalDate date, Instant start, Instant end, String region, double originFactor,
                           double callerFactor) {
        super(ScenarioKind.SLOW_DEPENDENCY, id, date, start, end);
        this.region = region;
        this.originFactor = originFactor;
        this.callerFactor = callerFactor;
    }

    static SlowDependencyScenario plan(String id, LocalDate date, SplittableRandom rng) {
        String region = Sampling.pick(rng, ServiceCatalog.profile(ORIGIN).regions());
        int minutes = Sampling.between(rng, 120, 180);
        Instant start = localBusinessStart(date, region, 10, 14, minutes, rng);
        Instant end = start.plusSeconds(60L * minutes);
        return new SlowDependencyScenario(id, date, start, end, region,
                Math.round((3.5 + rng.nextDouble()) * 10) / 10.0, Math.round((1.6 + 0.3 * rng.nextDouble()) * 10) / 10.0);
    }

    @Override
    public String description() {
        return ORIGIN + " in " + region + " is " + originFactor + "x slower; its callers " + CALLERS + " are "
                + callerFactor + "x slower in the same hours";
    }

    @Override
    public Map<String, Object> entities() {
        return entityMap("origin_service", ORIGIN, "affected_services", CALLERS, "service", ORIGIN, "region", region);
    }

    @Override
    public void amend(LogEvent e, SplittableRandom rng) {
        if (!region.equals(e.region) || e.action == null || e.durationMs == null || !during(e)) {
            return;
        }
        if (ORIGIN.equals(e.service)) {
            e.durationMs = e.durationMs * originFactor;
            mark(e);
        } else if (CALLERS.contains(e.service)) {
            if (e.userRecord != null && rng.nextDouble() < SLOW_CALL_WARNING_SHARE) {
                e.requestLatencyMs = e.requestLatencyMs * callerFactor;
                rewrite(e, HttpTemplates.SLOW_UPSTREAM, rng);
                e.param("upstream", ORIGIN);
            } else {
                e.durationMs = e.durationMs * callerFactor;
            }
            mark(e);
        }
    }
}
