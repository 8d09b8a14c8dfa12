package io.nightshift.lakegen.scenario;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.nightshift.lakegen.world.LogEvent;
import io.nightshift.lakegen.world.Sampling;
import io.nightshift.lakegen.world.ServiceCatalog;
import io.nightshift.lakegen.world.Topology;
import io.nightshift.lakegen.world.MessageTemplate;

/**
 * A message no one has seen before starts appearing on one service in one region: tens to a few hundred lines over
 * an hour, while everything else looks normal. Subtle: only template mining notices.
 */
public final class NewTemplateScenario extends Scenario {
    /** Never used by ordinary traffic; each reads like a real regression. */
    static final List<MessageTemplate> NOVEL = List.of(
            MessageTemplate.system("novel_schema_validation", "ERROR", null,
                    "Schema validation failed for field 'line_items[{index}].sku': expected string but got null (trace {trace})",
                    (e, rng) -> {
                        e.param("index", rng.nextInt(12));
                        e.param("trace", Sampling.hex(rng, 16));
                    }),
            MessageTemplate.system("novel_tls_expired", "ERROR", null,
                    "TLS handshake with {peer}.internal:8443 failed: certificate has expired (serial {serial})",
                    (e, rng) -> {
                        e.param("peer", Sampling.pick(rng, "ledger", "fraud-scoring", "tax-engine"));
                        e.param("serial", Sampling.hex(rng, 12).toUpperCase(java.util.Locale.ROOT));
                    }),
            MessageTemplate.system("novel_feature_flag", "WARN", null,
                    "Feature flag '{flag}' evaluation returned unknown variant 'v{variant}'; falling back to default",
                    (e, rng) -> {
                        e.param("flag", Sampling.pick(rng, "pricing.dynamic_discounts", "checkout.one_click"));
                        e.param("variant", Sampling.between(rng, 3, 9));
                    }),
            MessageTemplate.system("novel_idempotency", "ERROR", null,
                    "Idempotency key {key} reused with a different payload hash {hash}; request rejected",
                    (e, rng) -> {
                        e.param("key", "idem_" + Sampling.hex(rng, 20));
                        e.param("hash", Sampling.hex(rng, 8));
                    }));

    private static final List<String> CANDIDATES = List.of("checkout", "payments", "billing-api", "catalog",
            "search", "notifications");

    private final String service;
    private final String region;
    private final int variant;
    private final int lines;

    NewTemplateScenario(String id, LocalDate date, Instant start, Instant end, String service, String region,
                        int variant, int lines) {
        super(ScenarioKind.NEW_TEMPLATE, id, date, start, end);
        this.service = service;
        this.region = region;
        this.variant = variant;
        this.lines = lines;
    }

    static NewTemplateScenario plan(String id, LocalDate date, SplittableRandom rng) {
        String service = Sampling.pick(rng, CANDIDATES);
        String region = Sampling.pick(rng, ServiceCatalog.profile(service).regions());
        Instant start = at(date, Sampling.between(rng, 8, 19), rng.nextInt(60));
        return new NewTemplateScenario(id, date, start, start.plusSeconds(3600), service, region,
                rng.nextInt(NOVEL.size()), Sampling.between(rng, 40, 300));
    }

    @Override
    public String description() {
        return lines + " lines of a never-seen message (" + NOVEL.get(variant).pattern() + ") from " + service
                + " in " + region + " within one hour";
    }

    @Override
    public Map<String, Object> entities() {
        return entityMap("service", service, "region", region);
    }

    @Override
    public java.util.Set<String> hostsWritten() {
        return hostNames(Topology.hostsOf(region, service));
    }

    @Override
    public int injectedRows() {
        return lines;
    }

    @Override
    public void writeInjectedRow(LogEvent e, int k, SplittableRandom rng) {
        List<Topology.Host> hosts = Topology.hostsOf(region, service);
        place(e, service, hosts.get(k % hosts.size()), at(rng.nextDouble()), rng);
        NOVEL.get(variant).applyTo(e, rng);
        mark(e);
    }
}
