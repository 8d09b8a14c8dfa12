package io.nightshift.lakegen.scenario;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.SplittableRandom;

import io.nightshift.lakegen.world.LogEvent;
import io.nightshift.lakegen.world.Sampling;
import io.nightshift.lakegen.world.Topology;

/**
 * A host stops logging for several hours (hung process, full disk, broken shipper) without a single error line:
 * its lines in the window are dropped. Subtle: the only signal is the missing volume, so the ground truth has no
 * marked rows.
 */
public final class SilentHostScenario extends Scenario {
    private final String host;

    SilentHostScenario(String id, LocalDate date, Instant start, Instant end, String host) {
        super(ScenarioKind.SILENT_HOST, id, date, start, end);
        this.host = host;
    }

    /** @param busy hosts other incidents of the day write on, which must keep logging */
    static SilentHostScenario plan(String id, LocalDate date, SplittableRandom rng, java.util.Set<String> busy) {
        // A web host: busy enough that several hours of silence are unmistakable in its hourly counts.
        Topology.Host host = Sampling.pick(rng, Topology.HOSTS.stream()
                .filter(h -> h.farmKind().equals(Topology.WEB) && !busy.contains(h.name())).toList());
        Instant start = at(date, Sampling.between(rng, 2, 14), rng.nextInt(60));
        Instant end = start.plusSeconds(60L * Sampling.between(rng, 180, 360));
        return new SilentHostScenario(id, date, start, end, host.name());
    }

    @Override
    public String description() {
        return "Host " + host + " writes no logs at all for "
                + java.time.Duration.between(start(), end()).toMinutes() + " minutes";
    }

    @Override
    public Map<String, Object> entities() {
        Topology.Host h = Topology.host(host);
        return entityMap("host", host, "region", h.region(), "datacenter", h.datacenter(), "farm", h.farm());
    }

    @Override
    public boolean silences(LogEvent e) {
        return host.equals(e.host) && during(e);
    }
}
