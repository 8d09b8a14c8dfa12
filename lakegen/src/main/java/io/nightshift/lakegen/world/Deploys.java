package io.nightshift.lakegen.world;

import java.util.SplittableRandom;


/** The two lines of a rolling deploy, shared by the daily schedule and the deploy-triggered scenarios. */
public final class Deploys {
    private Deploys() {
    }

    public static String version(SplittableRandom rng) {
        return Sampling.between(rng, 1, 4) + "." + Sampling.between(rng, 0, 30) + "." + Sampling.between(rng, 0, 9);
    }

    public static void started(LogEvent e, SplittableRandom rng, String service, Topology.Host host, String version,
                               long epochMicros) {
        place(e, service, host, epochMicros);
        OperationsTemplates.DEPLOY_STARTED.applyTo(e, rng);
        e.param("version", version);
    }

    public static void finished(LogEvent e, SplittableRandom rng, String service, Topology.Host host, String version,
                                long epochMicros, int seconds) {
        place(e, service, host, epochMicros);
        OperationsTemplates.DEPLOY_FINISHED.applyTo(e, rng);
        e.param("version", version);
        e.param("seconds", seconds);
        e.param("count", Topology.hostsOf(host.region(), service).size());
        e.durationMs = seconds * 1000.0;
    }

    private static void place(LogEvent e, String service, Topology.Host host, long epochMicros) {
        e.service = service;
        e.placeOn(host);
        e.epochMicros = epochMicros;
        e.user = Directory.CI_BOT;
        e.srcIp = host.ip();
    }
}
