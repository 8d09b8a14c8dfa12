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
import io.nightshift.lakegen.world.Seeds;
import io.nightshift.lakegen.world.Topology;
import io.nightshift.lakegen.world.HttpTemplates;
import io.nightshift.lakegen.world.OperationsTemplates;

/**
 * An analyst of a HIPAA-regulated tenant exports tens of gigabytes of patient data late in the evening and
 * downloads it in parts, from their usual address: every line looks legitimate, only the size (about a thousand
 * times the user's daily exports) gives it away. Subtle.
 */
public final class BulkExportScenario extends Scenario {
    private final String tenantId;
    private final String user;
    private final String host;
    private final long totalBytes;
    private final int parts;

    BulkExportScenario(String id, LocalDate date, Instant start, Instant end, String tenantId, String user,
                       String host, long totalBytes, int parts) {
        super(ScenarioKind.BULK_EXPORT, id, date, start, end);
        this.tenantId = tenantId;
        this.user = user;
        this.host = host;
        this.totalBytes = totalBytes;
        this.parts = parts;
    }

    static BulkExportScenario plan(String id, LocalDate date, SplittableRandom rng) {
        List<Directory.Tenant> hipaa = Directory.TENANTS.stream().filter(t -> t.regulatedBy("HIPAA")).toList();
        Directory.Tenant tenant = Sampling.pick(rng, hipaa);
        Directory.User analyst = Sampling.pick(rng, Directory.usersWithRole(tenant.id(), "analyst"));
        Topology.Host host = OperationalEvents.hqHost("data-export", tenant.homeRegion(), rng);
        Instant start = at(date, Sampling.between(rng, 20, 22), rng.nextInt(60));
        Instant end = start.plusSeconds(60L * Sampling.between(rng, 35, 55));
        long bytes = Sampling.between(rng, 40, 120) * 1_000_000_000L + rng.nextInt(1_000_000_000);
        return new BulkExportScenario(id, date, start, end, tenant.id(), analyst.name(), host.name(), bytes,
                Sampling.between(rng, 12, 30));
    }

    @Override
    public String description() {
        return "User " + user + " of HIPAA tenant " + tenantId + " exports " + totalBytes / 1_000_000_000L
                + " GB of regulated data after hours and downloads it in " + parts + " parts";
    }

    @Override
    public Map<String, Object> entities() {
        return entityMap("tenant_id", tenantId, "user", user, "service", "data-export", "host", host,
                "region", Topology.host(host).region(), "src_ip", Directory.user(user).homeIp());
    }

    @Override
    public java.util.Set<String> hostsWritten() {
        return java.util.Set.of(host);
    }

    @Override
    public int injectedRows() {
        return 2 + parts;
    }

    @Override
    public void writeInjectedRow(LogEvent e, int k, SplittableRandom rng) {
        double fraction = k == 0 ? 0.0 : k == 1 ? 0.25 : 0.3 + 0.68 * (k - 2) / parts;
        placeAsUser(e, "data-export", Topology.host(host), at(fraction), user, rng);
        // The export id is shared by all lines of this export, so it comes from the scenario, not the row.
        String exportId = "exp-" + Long.toHexString(Seeds.combine(id().hashCode(), totalBytes)).substring(0, 10);
        if (k == 1) {
            OperationsTemplates.EXPORT_COMPLETED.applyTo(e, rng);
            OperationalEvents.exportDetails(e, rng, Directory.tenant(tenantId), totalBytes);
            e.param("export_id", exportId);
            e.param("dataset", "patients");
            e.attributes.put("dataset", "patients");
            e.attributes.put("destination", "s3://" + tenantId + "-exports/patients/");
        } else {
            HttpTemplates.OK.applyTo(e, rng);
            e.statusCode = 200;
            if (k == 0) {
                e.param("method", "POST");
                e.param("path", "/api/v1/exports");
                e.bytesOut = 512L;
            } else {
                e.param("method", "GET");
                e.param("path", "/api/v1/exports/" + exportId + "/download?part=" + (k - 1));
                e.bytesOut = totalBytes / parts;
                e.durationMs = e.bytesOut / 50_000.0;
            }
            e.attributes.put("url", "https://api.fernhill.example" + e.params.get("path"));
        }
        mark(e);
    }
}
