package io.nightshift.lakegen.world;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;


/**
 * The day's discrete operational and audit events: deploys, config changes, role grants and revocations, data
 * exports and deletions. Their numbers come from the seed and the date, not from the traffic volume, so a 10M-row
 * day has a handful of deploys just like a 30k-row day; and they give every user a baseline (an analyst exports
 * tens of megabytes a day) for the incidents to depart from.
 */
public final class OperationalEvents {
    /** How many events of each kind a day has; a deploy writes two lines. */
    public record Plan(int deploys, int configChanges, int grants, int revokes, int exports, int deletes)
            implements Serializable {
        public static Plan forDay(long seed, LocalDate date) {
            SplittableRandom rng = Seeds.random(Seeds.OPERATIONS, seed, date.toEpochDay());
            boolean weekend = date.getDayOfWeek().getValue() >= 6;
            return new Plan(weekend ? Sampling.between(rng, 0, 2) : Sampling.between(rng, 3, 6),
                    Sampling.between(rng, 3, 8), Sampling.between(rng, 0, 3), Sampling.between(rng, 0, 1),
                    Sampling.between(rng, 15, 30), Sampling.between(rng, 6, 20));
        }

        public int rows() {
            return 2 * deploys + configChanges + grants + revokes + exports + deletes;
        }
    }

    private static final List<String> HQ_REGIONS = List.of("us-east", "eu-west");

    private OperationalEvents() {
    }

    /** Writes line {@code k} of the day's schedule into {@code e}. */
    public static void fill(LogEvent e, Plan plan, int k, long seed, SplittableRandom rng) {
        if (k < 2 * plan.deploys()) {
            deploy(e, k / 2, k % 2 == 1, seed, rng);
            return;
        }
        k -= 2 * plan.deploys();
        if (k < plan.configChanges()) {
            configChange(e, rng);
            return;
        }
        k -= plan.configChanges();
        if (k < plan.grants() + plan.revokes()) {
            roleChange(e, k < plan.grants(), rng);
            return;
        }
        k -= plan.grants() + plan.revokes();
        if (k < plan.exports()) {
            export(e, rng);
            return;
        }
        delete(e, rng);
    }

    /** Both lines of deploy {@code j} draw its service, host, time and version from one shared stream. */
    private static void deploy(LogEvent e, int j, boolean finished, long seed, SplittableRandom rowRng) {
        SplittableRandom rng = Seeds.random(Seeds.OPERATIONS, seed, e.epochDay, 1_000 + j);
        String service = Sampling.pick(rng, ServiceCatalog.names());
        List<Topology.Host> hosts = Topology.hostsOfService(service);
        Topology.Host host = Sampling.pick(rng, hosts);
        // Deploys run in the deploying team's working hours (US-east business day, 14:00-22:00 UTC).
        long start = TrafficGenerator.dayStartMicros(e.epochDay)
                + (14 * 3600L + rng.nextInt(8 * 3600)) * 1_000_000L;
        String version = Deploys.version(rng);
        int seconds = Sampling.between(rng, 120, 900);
        if (finished) {
            Deploys.finished(e, rowRng, service, host, version, start + seconds * 1_000_000L, seconds);
        } else {
            Deploys.started(e, rowRng, service, host, version, start);
        }
    }

    private static void configChange(LogEvent e, SplittableRandom rng) {
        String service = Sampling.pick(rng, ServiceCatalog.names());
        Topology.Host host = Sampling.pick(rng, Topology.hostsOfService(service));
        placeAt(e, service, host, rng);
        e.user = Sampling.pick(rng, Directory.OPERATORS);
        e.srcIp = host.ip();
        OperationsTemplates.CONFIG_CHANGED.applyTo(e, rng);
    }

    private static void roleChange(LogEvent e, boolean grant, SplittableRandom rng) {
        Directory.Tenant tenant = Sampling.pick(rng, Directory.TENANTS);
        List<Directory.User> users = Directory.usersOf(tenant.id());
        Directory.User admin = users.get(0);
        Directory.User target = users.get(Sampling.between(rng, 1, users.size() - 1));
        placeAt(e, "admin-console", hqHost("admin-console", tenant.homeRegion(), rng), rng);
        e.actAs(target);
        e.srcIp = admin.homeIp();
        (grant ? OperationsTemplates.ROLE_GRANTED : OperationsTemplates.ROLE_REVOKED).applyTo(e, rng);
        // Admin grants happen, rarely, for legitimate reasons too: a detector must look at what follows.
        e.param("role", rng.nextDouble() < 0.05 ? "admin"
                : Sampling.pick(rng, "viewer", "editor", "analyst", "billing-admin"));
        e.param("granter", admin.name());
        e.attributes.put("role", target.role());
    }

    private static void export(LogEvent e, SplittableRandom rng) {
        Directory.User analyst = Sampling.pick(rng, Directory.analysts());
        Directory.Tenant tenant = Directory.tenant(analyst.tenantId());
        placeAt(e, "data-export", hqHost("data-export", tenant.homeRegion(), rng), rng);
        e.actAs(analyst);
        e.srcIp = analyst.homeIp();
        OperationsTemplates.EXPORT_COMPLETED.applyTo(e, rng);
        exportDetails(e, rng, tenant, Math.round(Sampling.logNormal(rng, 25_000_000, 0.8)));
    }

    /** Export id, data set, row count and size; shared with the bulk-export scenario. */
    public static void exportDetails(LogEvent e, SplittableRandom rng, Directory.Tenant tenant, long bytes) {
        String dataset = tenant.industry().equals("healthcare") || tenant.regulatedBy("HIPAA")
                ? Sampling.pick(rng, "patients", "claims", "appointments", "lab_results")
                : Sampling.pick(rng, "orders", "customers", "invoices", "audit_log");
        e.param("export_id", "exp-" + Sampling.hex(rng, 10));
        e.param("dataset", dataset);
        e.param("rows", Math.max(1L, bytes / 420));
        e.attributes.put("dataset", dataset);
        e.attributes.put("destination", "s3://" + tenant.id() + "-exports/" + dataset + "/");
        e.bytesOut = bytes;
        e.durationMs = Sampling.tenths(2_000 + bytes / 40_000.0);
        e.statusCode = 200;
    }

    private static void delete(LogEvent e, SplittableRandom rng) {
        Directory.Tenant tenant = Sampling.pick(rng, Directory.TENANTS);
        Directory.User user = Sampling.pick(rng, Directory.usersOf(tenant.id()));
        placeAt(e, "admin-console", hqHost("admin-console", tenant.homeRegion(), rng), rng);
        e.actAs(user);
        e.srcIp = user.homeIp();
        OperationsTemplates.RECORD_DELETED.applyTo(e, rng);
    }

    /** Admin and export services only run in the HQ regions; tenants elsewhere are served from us-east. */
    public static Topology.Host hqHost(String service, String homeRegion, SplittableRandom rng) {
        String region = HQ_REGIONS.contains(homeRegion) ? homeRegion : "us-east";
        return Sampling.pick(rng, Topology.hostsOf(region, service));
    }

    private static void placeAt(LogEvent e, String service, Topology.Host host, SplittableRandom rng) {
        e.service = service;
        e.placeOn(host);
        e.dstIp = host.ip();
        int hour = Seasonality.sampleUtcHour(Topology.regionIndex(host.region()), rng);
        e.epochMicros = TrafficGenerator.dayStartMicros(e.epochDay) + hour * 3_600_000_000L
                + rng.nextLong(3_600_000_000L);
    }
}
