package io.nightshift.lakegen;

import static io.nightshift.lakegen.templates.AuthTemplates.*;
import static io.nightshift.lakegen.templates.BusinessTemplates.*;
import static io.nightshift.lakegen.templates.DatabaseTemplates.*;
import static io.nightshift.lakegen.templates.HttpTemplates.*;
import static io.nightshift.lakegen.templates.RuntimeTemplates.*;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.nightshift.lakegen.ServiceProfile.Latency;
import io.nightshift.lakegen.ServiceProfile.TemplateMix;

/**
 * The eleven services of the fictional company, with what the service catalog knows about them (owner, tier, data
 * classification) and how they behave in the logs. Rates and latencies differ on purpose: a detector that uses one
 * fleet-wide threshold should do visibly worse than one with per-service baselines.
 */
public final class ServiceCatalog {
    private static final List<String> ALL = List.of("us-east", "us-west", "eu-west", "ap-south");
    private static final List<String> US_EU = List.of("us-east", "us-west", "eu-west");
    private static final List<String> HQ = List.of("us-east", "eu-west");

    /** System lines every JVM service writes now and then. */
    private static final Object[] RUNTIME = {GC_PAUSE, 3, CACHE_MISS, 4, CACHE_EVICTION, 0.5, HEALTH_CHECK, 3,
            QUERY, 6};
    private static final Object[] RUNTIME_WARN = {DISK_USAGE, 0.3, THREAD_POOL, 0.5, SLOW_QUERY, 1,
            REPLICA_LAG, 0.3};
    private static final Object[] RUNTIME_FATAL = {OUT_OF_MEMORY, 1, SHUTDOWN, 1};

    public static final List<ServiceProfile> SERVICES = List.of(
            service("checkout", "storefront", 1, "confidential", true,
                    "Cart, order placement and the checkout flow for shoppers")
                    .runsIn(ALL, Topology.WEB).traffic(14).latency(120, 0.50, 0.012, 0.45).bytes(4_000)
                    .rates(0.025, 0.010, 0.0002)
                    .normal(OK, 70, TOKEN_REFRESH, 4)
                    .warn(CLIENT_ERROR, 6, SLOW_UPSTREAM, 1, RATE_LIMITED, 0.5)
                    .error(SERVER_ERROR, 4, UPSTREAM_TIMEOUT, 3, TIMEOUT, 1, NULL_POINTER, 1, CIRCUIT_OPEN, 0.3)
                    .build(),
            service("payments", "payments", 1, "restricted", true,
                    "Card authorisation, capture and refunds through the card gateway")
                    .runsIn(ALL, Topology.CORE).traffic(7).latency(240, 0.40, 0.015, 0.35).bytes(900)
                    .rates(0.030, 0.006, 0.0001)
                    .normal(OK, 20, PAYMENT_AUTHORIZED, 40)
                    .warn(PAYMENT_DECLINED, 8, CLIENT_ERROR, 2)
                    .error(SERVER_ERROR, 2, UPSTREAM_TIMEOUT, 3, DEADLOCK, 1)
                    .build(),
            service("auth", "identity", 1, "confidential", true,
                    "Sign-in, MFA, sessions and OAuth tokens for all tenants")
                    .runsIn(ALL, Topology.WEB).traffic(12).latency(45, 0.45, 0.008, 0.30).bytes(1_200)
                    .rates(0.035, 0.004, 0.0001)
                    .normal(LOGIN_OK, 25, MFA_CHALLENGE, 8, LOGOUT, 10, SESSION_EXPIRED, 5, TOKEN_REFRESH, 30, OK, 15)
                    .warn(LOGIN_FAILED, 12, ACCOUNT_LOCKED, 0.3, CLIENT_ERROR, 2)
                    .error(SERVER_ERROR, 2, TIMEOUT, 1)
                    .build(),
            service("search", "discovery", 2, "public", false,
                    "Product search, suggestions and facets over the search index")
                    .runsIn(ALL, Topology.WEB).traffic(18).latency(60, 0.60, 0.010, 0.60).bytes(12_000)
                    .rates(0.015, 0.008, 0.0)
                    .normal(SEARCH_EXECUTED, 60, OK, 25)
                    .warn(CLIENT_ERROR, 3, SLOW_UPSTREAM, 1)
                    .error(SERVER_ERROR, 3, UPSTREAM_TIMEOUT, 2)
                    .build(),
            service("catalog", "discovery", 2, "internal", false,
                    "Product, price and category data for the storefront")
                    .runsIn(ALL, Topology.WEB).traffic(16).latency(35, 0.45, 0.006, 0.30).bytes(6_000)
                    .rates(0.010, 0.003, 0.0)
                    .normal(OK, 80)
                    .warn(CLIENT_ERROR, 5)
                    .error(SERVER_ERROR, 2, TIMEOUT, 1)
                    .build(),
            service("storage", "platform-storage", 1, "confidential", true,
                    "Blob storage for uploads, exports and generated documents")
                    .runsIn(US_EU, Topology.CORE).traffic(12).latency(25, 0.55, 0.010, 0.25).bytes(180_000)
                    .rates(0.008, 0.002, 0.0001)
                    .normal(BLOB_READ, 55, BLOB_WRITTEN, 25, OK, 10)
                    .warn(CLIENT_ERROR, 2, DISK_USAGE, 1)
                    .error(SERVER_ERROR, 2)
                    .build(),
            service("billing-api", "billing", 2, "restricted", true,
                    "Invoices, subscriptions and usage metering for tenants")
                    .runsIn(US_EU, Topology.CORE).traffic(4).latency(150, 0.50, 0.010, 0.30).bytes(3_000)
                    .rates(0.020, 0.012, 0.0)
                    .normal(OK, 60, INVOICE_CREATED, 10)
                    .warn(CLIENT_ERROR, 4, SLOW_UPSTREAM, 1)
                    .error(SERVER_ERROR, 3, DEADLOCK, 1, TIMEOUT, 1)
                    .build(),
            service("reports", "analytics", 3, "confidential", true,
                    "Scheduled and on-demand tenant reports rendered from the warehouse")
                    .runsIn(US_EU, Topology.WEB).traffic(3).latency(900, 0.70, 0.020, 0.40).bytes(400_000)
                    .rates(0.040, 0.015, 0.0002)
                    .normal(REPORT_GENERATED, 40, OK, 40)
                    .warn(SLOW_UPSTREAM, 3, CLIENT_ERROR, 2)
                    .error(SERVER_ERROR, 2, UPSTREAM_TIMEOUT, 2, NULL_POINTER, 1)
                    .build(),
            service("admin-console", "identity", 2, "restricted", true,
                    "Tenant administration: users, roles, settings and audit views")
                    .runsIn(HQ, Topology.WEB).traffic(2).latency(90, 0.50, 0.010, 0.20).bytes(5_000)
                    .rates(0.020, 0.005, 0.0)
                    .normal(OK, 80)
                    .warn(CLIENT_ERROR, 4)
                    .error(SERVER_ERROR, 2)
                    .build(),
            service("data-export", "data-platform", 2, "restricted", true,
                    "Bulk exports of tenant data sets to customer storage")
                    .runsIn(HQ, Topology.CORE).traffic(2).latency(400, 0.60, 0.020, 0.20).bytes(20_000)
                    .rates(0.020, 0.008, 0.0)
                    .normal(OK, 80)
                    .warn(CLIENT_ERROR, 3, CONSUMER_LAG, 1)
                    .error(SERVER_ERROR, 2, UPSTREAM_TIMEOUT, 1)
                    .build(),
            service("notifications", "messaging", 3, "internal", true,
                    "Email and push notifications for orders, invoices and security events")
                    .runsIn(ALL, Topology.CORE).traffic(6).latency(80, 0.50, 0.010, 0.20).bytes(800)
                    .rates(0.030, 0.007, 0.0)
                    .normal(EMAIL_SENT, 60, OK, 20)
                    .warn(EMAIL_BOUNCED, 6, CONSUMER_LAG, 2)
                    .error(SERVER_ERROR, 2, UPSTREAM_TIMEOUT, 1)
                    .build());

    private static final Map<String, ServiceProfile> BY_NAME =
            SERVICES.stream().collect(Collectors.toMap(ServiceProfile::name, Function.identity()));

    private ServiceCatalog() {
    }

    public static ServiceProfile profile(String name) {
        ServiceProfile p = BY_NAME.get(name);
        if (p == null) {
            throw new IllegalArgumentException("Unknown service " + name);
        }
        return p;
    }

    public static List<String> names() {
        return SERVICES.stream().map(ServiceProfile::name).toList();
    }

    private static Builder service(String name, String team, int tier, String classification, boolean pii,
                                   String description) {
        return new Builder(name, team, tier, classification, pii, description);
    }

    /** Keeps the table above readable: one line per aspect of a service. */
    private static final class Builder {
        private final String name;
        private final String team;
        private final int tier;
        private final String classification;
        private final boolean pii;
        private final String description;
        private List<String> regions;
        private String farmKind;
        private double traffic;
        private Latency latency;
        private long bytes;
        private double warnRate;
        private double errorRate;
        private double fatalRate;
        private TemplateMix normal;
        private TemplateMix warn;
        private TemplateMix error;

        Builder(String name, String team, int tier, String classification, boolean pii, String description) {
            this.name = name;
            this.team = team;
            this.tier = tier;
            this.classification = classification;
            this.pii = pii;
            this.description = description;
        }

        Builder runsIn(List<String> regions, String farmKind) {
            this.regions = regions;
            this.farmKind = farmKind;
            return this;
        }

        Builder traffic(double weight) {
            this.traffic = weight;
            return this;
        }

        Builder latency(double medianMs, double sigma, double tailProbability, double peakSlowdown) {
            this.latency = new Latency(medianMs, sigma, tailProbability, peakSlowdown);
            return this;
        }

        Builder bytes(long medianBytes) {
            this.bytes = medianBytes;
            return this;
        }

        Builder rates(double warn, double error, double fatal) {
            this.warnRate = warn;
            this.errorRate = error;
            this.fatalRate = fatal;
            return this;
        }

        Builder normal(Object... pairs) {
            this.normal = TemplateMix.of(concat(pairs, RUNTIME));
            return this;
        }

        Builder warn(Object... pairs) {
            this.warn = TemplateMix.of(concat(pairs, RUNTIME_WARN));
            return this;
        }

        Builder error(Object... pairs) {
            this.error = TemplateMix.of(pairs);
            return this;
        }

        ServiceProfile build() {
            return new ServiceProfile(name, team, tier, classification, pii, description, regions, farmKind, traffic,
                    latency, bytes, warnRate, errorRate, fatalRate, normal, warn, error, TemplateMix.of(RUNTIME_FATAL));
        }

        private static Object[] concat(Object[] a, Object[] b) {
            Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }
}
