package io.nightshift.lakegen.scenario;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.nightshift.lakegen.world.Directory;
import io.nightshift.lakegen.world.LogEvent;
import io.nightshift.lakegen.world.Sampling;
import io.nightshift.lakegen.world.Topology;
import io.nightshift.lakegen.world.AuthTemplates;
import io.nightshift.lakegen.world.MessageTemplate;

/**
 * Password spray at night: one external address tries every user of one tenant (and some guessed names) three
 * times each, then gets in as one of them and starts using the session. Loud: hundreds of failures from one address.
 */
public final class BruteForceScenario extends Scenario {
    private static final List<String> GUESSED_NAMES = List.of("admin", "administrator", "test", "root", "support",
            "backup", "guest", "info", "sales", "it.helpdesk");
    private static final int ROUNDS = 5;
    private static final int FOLLOW_UPS = 4;
    private static final String ATTACK_AGENT = "python-requests/2.31.0";

    private final String tenantId;
    private final String attackerIp;
    private final String compromisedUser;
    private final String region;
    private final List<String> targets;

    BruteForceScenario(String id, LocalDate date, Instant start, Instant end, String tenantId, String attackerIp,
                       String compromisedUser) {
        super(ScenarioKind.BRUTE_FORCE, id, date, start, end);
        this.tenantId = tenantId;
        this.attackerIp = attackerIp;
        this.compromisedUser = compromisedUser;
        this.region = Directory.tenant(tenantId).homeRegion();
        List<String> names = new ArrayList<>();
        Directory.usersOf(tenantId).forEach(u -> names.add(u.name()));
        names.addAll(GUESSED_NAMES);
        this.targets = List.copyOf(names);
    }

    static BruteForceScenario plan(String id, LocalDate date, SplittableRandom rng) {
        List<Directory.Tenant> large = Directory.TENANTS.stream()
                .filter(t -> Directory.usersOf(t.id()).size() >= 9).toList();
        Directory.Tenant tenant = Sampling.pick(rng, large);
        List<Directory.User> users = Directory.usersOf(tenant.id());
        Directory.User victim = users.get(Sampling.between(rng, 3, users.size() - 1));
        Instant start = at(date, Sampling.between(rng, 1, 4), rng.nextInt(60));
        Instant end = start.plusSeconds(60L * Sampling.between(rng, 40, 70));
        return new BruteForceScenario(id, date, start, end, tenant.id(),
                "198.51.100." + Sampling.between(rng, 150, 249), victim.name());
    }

    @Override
    public String description() {
        return "Password spray from " + attackerIp + " against " + Directory.usersOf(tenantId).size()
                + " users of tenant " + tenantId + " (" + attempts() + " failed logins), then a successful login as "
                + compromisedUser + " and use of the session";
    }

    @Override
    public Map<String, Object> entities() {
        return entityMap("tenant_id", tenantId, "src_ip", attackerIp, "user", compromisedUser, "service", "auth",
                "region", region);
    }

    private int attempts() {
        return targets.size() * ROUNDS;
    }

    @Override
    public java.util.Set<String> hostsWritten() {
        return hostNames(Topology.hostsOf(region, "auth"));
    }

    @Override
    public int injectedRows() {
        return attempts() + 1 + FOLLOW_UPS;
    }

    @Override
    public void writeInjectedRow(LogEvent e, int k, SplittableRandom rng) {
        List<Topology.Host> hosts = Topology.hostsOf(region, "auth");
        // Failures fill the first 95% of the window in spray order; the success and its follow-ups come last.
        double fraction = k < attempts() ? 0.95 * k / attempts() : 0.95 + 0.01 * (k - attempts());
        place(e, "auth", hosts.get(k % hosts.size()), at(fraction) + rng.nextInt(900_000), rng);
        if (k < attempts()) {
            String name = targets.get(k % targets.size());
            if (GUESSED_NAMES.contains(name)) {
                e.tenantId = tenantId;
                e.srcIp = attackerIp;
                e.param("guess", name);
                AuthTemplates.LOGIN_INVALID_USER.applyTo(e, rng);
            } else {
                actAs(e, Directory.user(name), attackerIp);
                AuthTemplates.LOGIN_FAILED.applyTo(e, rng);
            }
        } else {
            actAs(e, Directory.user(compromisedUser), attackerIp);
            MessageTemplate t = k == attempts() ? AuthTemplates.LOGIN_OK : AuthTemplates.TOKEN_REFRESH;
            t.applyTo(e, rng);
        }
        e.attributes.put("user_agent", ATTACK_AGENT);
        e.attributes.put("country", "unknown");
        mark(e);
    }
}
