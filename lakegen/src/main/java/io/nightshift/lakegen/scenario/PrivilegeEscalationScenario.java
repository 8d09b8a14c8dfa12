package io.nightshift.lakegen.scenario;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.nightshift.lakegen.world.Directory;
import io.nightshift.lakegen.world.LogEvent;
import io.nightshift.lakegen.world.OperationalEvents;
import io.nightshift.lakegen.world.Sampling;
import io.nightshift.lakegen.world.Topology;
import io.nightshift.lakegen.world.OperationsTemplates;

/**
 * A non-admin user is granted the admin role (the grant comes from the tenant admin's account, but from the
 * user's own address) and, minutes later, deletes hundreds of objects in under an hour. Loud.
 */
public final class PrivilegeEscalationScenario extends Scenario {
    private final String tenantId;
    private final String user;
    private final String granter;
    private final String host;
    private final int deletions;

    PrivilegeEscalationScenario(String id, LocalDate date, Instant start, Instant end, String tenantId, String user,
                                String granter, String host, int deletions) {
        super(ScenarioKind.PRIVILEGE_ESCALATION, id, date, start, end);
        this.tenantId = tenantId;
        this.user = user;
        this.granter = granter;
        this.host = host;
        this.deletions = deletions;
    }

    static PrivilegeEscalationScenario plan(String id, LocalDate date, SplittableRandom rng) {
        Directory.Tenant tenant = Sampling.pick(rng, Directory.TENANTS.stream()
                .filter(t -> Directory.usersOf(t.id()).size() >= 8).toList());
        List<Directory.User> ordinary = Directory.usersOf(tenant.id()).stream()
                .filter(u -> u.role().equals("editor") || u.role().equals("viewer")).toList();
        Directory.User user = Sampling.pick(rng, ordinary);
        Topology.Host host = OperationalEvents.hqHost("admin-console", tenant.homeRegion(), rng);
        Instant start = at(date, Sampling.between(rng, 9, 16), rng.nextInt(60));
        Instant end = start.plusSeconds(60L * Sampling.between(rng, 50, 75));
        return new PrivilegeEscalationScenario(id, date, start, end, tenant.id(), user.name(),
                Directory.usersWithRole(tenant.id(), "admin").get(0).name(), host.name(),
                Sampling.between(rng, 120, 300));
    }

    @Override
    public String description() {
        return "User " + user + " of tenant " + tenantId + " is granted the admin role (by " + granter
                + "'s account, from " + user + "'s address), then deletes " + deletions + " objects";
    }

    @Override
    public Map<String, Object> entities() {
        return entityMap("tenant_id", tenantId, "user", user, "service", "admin-console", "host", host,
                "region", Topology.host(host).region());
    }

    @Override
    public java.util.Set<String> hostsWritten() {
        return java.util.Set.of(host);
    }

    @Override
    public int injectedRows() {
        return 1 + deletions;
    }

    @Override
    public void writeInjectedRow(LogEvent e, int k, SplittableRandom rng) {
        // The grant opens the window; deletions run from a quarter of the way in to its end.
        double fraction = k == 0 ? 0.0 : 0.25 + 0.74 * (k - 1) / deletions;
        placeAsUser(e, "admin-console", Topology.host(host), at(fraction) + rng.nextInt(5_000_000), user, rng);
        if (k == 0) {
            OperationsTemplates.ROLE_GRANTED.applyTo(e, rng);
            e.param("role", "admin");
            e.param("granter", granter);
            e.attributes.put("role", Directory.user(user).role());
        } else {
            OperationsTemplates.RECORD_DELETED.applyTo(e, rng);
            e.attributes.put("role", "admin");
        }
        mark(e);
    }
}
