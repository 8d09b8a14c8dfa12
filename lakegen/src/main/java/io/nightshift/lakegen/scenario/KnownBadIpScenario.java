package io.nightshift.lakegen.scenario;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.nightshift.lakegen.world.Directory;
import io.nightshift.lakegen.world.LogEvent;
import io.nightshift.lakegen.world.Sampling;
import io.nightshift.lakegen.world.Topology;
import io.nightshift.lakegen.world.AuthTemplates;
import io.nightshift.lakegen.world.HttpTemplates;

/**
 * A user's account logs in from an address listed (unexpired) in the threat-intel feed and browses for a while.
 * Subtle: a dozen ordinary-looking lines; only indicator matching finds them.
 */
public final class KnownBadIpScenario extends Scenario {
    private final String ip;
    private final String user;
    private final int requests;

    KnownBadIpScenario(String id, LocalDate date, Instant start, Instant end, String ip, String user, int requests) {
        super(ScenarioKind.KNOWN_BAD_IP, id, date, start, end);
        this.ip = ip;
        this.user = user;
        this.requests = requests;
    }

    static KnownBadIpScenario plan(String id, LocalDate date, SplittableRandom rng, String knownBadIp) {
        Directory.User user = Sampling.pick(rng, Directory.USERS.stream()
                .filter(u -> !u.role().equals("admin")).toList());
        Instant start = at(date, Sampling.between(rng, 0, 22), rng.nextInt(60));
        Instant end = start.plusSeconds(60L * Sampling.between(rng, 20, 40));
        return new KnownBadIpScenario(id, date, start, end, knownBadIp, user.name(), Sampling.between(rng, 6, 14));
    }

    private String region() {
        return Directory.tenant(Directory.user(user).tenantId()).homeRegion();
    }

    @Override
    public String description() {
        return "User " + user + " signs in from threat-intel address " + ip + " and makes " + requests
                + " requests";
    }

    @Override
    public Map<String, Object> entities() {
        return entityMap("src_ip", ip, "user", user, "tenant_id", Directory.user(user).tenantId(), "region", region());
    }

    @Override
    public java.util.Set<String> hostsWritten() {
        java.util.Set<String> hosts = new java.util.HashSet<>();
        for (String service : List.of("auth", "checkout", "catalog", "search")) {
            hosts.addAll(hostNames(Topology.hostsOf(region(), service)));
        }
        return hosts;
    }

    @Override
    public int injectedRows() {
        return 1 + requests;
    }

    @Override
    public void writeInjectedRow(LogEvent e, int k, SplittableRandom rng) {
        String service = k == 0 ? "auth" : Sampling.pick(rng, "checkout", "catalog", "search");
        Topology.Host host = Sampling.pick(rng, Topology.hostsOf(region(), service));
        place(e, service, host, at(k / (requests + 1.0)) + rng.nextInt(30_000_000), rng);
        actAs(e, Directory.user(user), ip);
        (k == 0 ? AuthTemplates.LOGIN_OK : HttpTemplates.OK).applyTo(e, rng);
        e.attributes.put("user_agent", "curl/8.5.0");
        mark(e);
    }
}
