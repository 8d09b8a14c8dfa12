package io.nightshift.lakegen.world;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;


/**
 * One line of ordinary traffic: a region by its share, a service by its share within the region, one of that
 * service's hosts there, an hour by the region's local day, then a template by the service's severity rates.
 * Request latency is drawn before the template so request lines carry the service's (load-dependent) latency.
 */
public final class TrafficGenerator {
    private static final long MICROS_PER_HOUR = 3_600_000_000L;
    private static final long MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

    private static final double[] REGION_CDF = Sampling.cumulative(
            Topology.REGIONS.stream().mapToDouble(Topology.Region::trafficShare).toArray());
    private static final List<List<ServiceProfile>> SERVICES_BY_REGION = new ArrayList<>();
    private static final List<double[]> SERVICE_CDF_BY_REGION = new ArrayList<>();

    static {
        for (Topology.Region region : Topology.REGIONS) {
            List<ServiceProfile> present = ServiceCatalog.SERVICES.stream()
                    .filter(s -> !Topology.hostsOf(region.name(), s.name()).isEmpty()).toList();
            SERVICES_BY_REGION.add(present);
            SERVICE_CDF_BY_REGION.add(Sampling.cumulative(
                    present.stream().mapToDouble(ServiceProfile::trafficWeight).toArray()));
        }
    }

    private TrafficGenerator() {
    }

    public static void fill(LogEvent e, SplittableRandom rng) {
        int r = Sampling.pickCumulative(rng, REGION_CDF);
        String region = Topology.REGIONS.get(r).name();
        ServiceProfile service = SERVICES_BY_REGION.get(r)
                .get(Sampling.pickCumulative(rng, SERVICE_CDF_BY_REGION.get(r)));
        Topology.Host host = Sampling.pick(rng, Topology.hostsOf(region, service.name()));
        int hour = Seasonality.sampleUtcHour(r, rng);
        e.service = service.name();
        e.placeOn(host);
        e.epochMicros = e.epochDay * MICROS_PER_DAY + hour * MICROS_PER_HOUR + rng.nextLong(MICROS_PER_HOUR);
        MessageTemplate template = service.sampleTemplate(rng);
        e.srcIp = host.ip();
        if (template.userScoped()) {
            Directory.User user = Directory.sampleUser(region, rng);
            e.actAs(user);
            if (template.action() != null) {
                // Most requests come from the user's usual address; some from phones and other networks.
                e.srcIp = rng.nextDouble() < 0.88 ? user.homeIp() : Sampling.customerIp(rng);
                e.dstIp = host.ip();
            }
        }
        e.requestLatencyMs = service.latency().sample(rng, Seasonality.load(region, hour));
        template.applyTo(e, rng);
    }

    public static long dayStartMicros(long epochDay) {
        return epochDay * MICROS_PER_DAY;
    }
}
