package io.nightshift.lakegen.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;


/** The service catalog is data (services.yaml): read as written, in order, and wrong files named by what is wrong. */
class ServiceCatalogTest {
    private static final String EVERY_SERVICE = String.join("\n",
            "every_service:",
            "  normal: {gc_pause: 3}",
            "  warn: {disk_usage: 0.3}",
            "  fatal: {out_of_memory: 1, shutdown_hook: 1}",
            "");

    private static String service(String... overrides) {
        String base = String.join("\n",
                "  - name: checkout",
                "    owner_team: storefront",
                "    tier: 1",
                "    data_classification: confidential",
                "    contains_pii: true",
                "    description: \"Cart, order placement\"",
                "    regions: [us-east, eu-west]",
                "    farm_kind: web",
                "    traffic_weight: 14",
                "    latency: {median_ms: 120, sigma: 0.50, tail_probability: 0.012, peak_slowdown: 0.45}",
                "    median_bytes: 4000",
                "    rates: {warn: 0.025, error: 0.010, fatal: 0.0002}",
                "    normal: {http_ok: 70, token_refresh: 4}",
                "    warn: {http_client_error: 6}",
                "    error: {http_server_error: 4, db_timeout: 1}",
                "");
        for (int i = 0; i < overrides.length; i += 2) {
            base = base.replace(overrides[i], overrides[i + 1]);
        }
        return EVERY_SERVICE + "services:\n" + base;
    }

    private static List<ServiceProfile> parse(String yaml) throws Exception {
        return ServiceCatalog.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aServiceReadsAsWrittenWithTheSharedLinesAfterItsOwn() throws Exception {
        ServiceProfile p = parse(service()).get(0);
        assertThat(p.name()).isEqualTo("checkout");
        assertThat(p.description()).isEqualTo("Cart, order placement");
        assertThat(p.regions()).containsExactly("us-east", "eu-west");
        assertThat(p.latency()).isEqualTo(new ServiceProfile.Latency(120, 0.5, 0.012, 0.45));
        assertThat(p.medianBytes()).isEqualTo(4000);
        assertThat(List.of(p.warnRate(), p.errorRate(), p.fatalRate())).containsExactly(0.025, 0.010, 0.0002);
        assertThat(p.normal().templates()).extracting(MessageTemplate::id)
                .containsExactly("http_ok", "token_refresh", "gc_pause");
        assertThat(p.normal().cumulative()).as("running sums of the weights").containsExactly(70.0, 74.0, 77.0);
        assertThat(p.warn().templates()).extracting(MessageTemplate::id).containsExactly("http_client_error",
                "disk_usage");
        assertThat(p.error().templates()).extracting(MessageTemplate::id).containsExactly("http_server_error",
                "db_timeout");
        assertThat(p.fatal().templates()).extracting(MessageTemplate::id).containsExactly("out_of_memory",
                "shutdown_hook");
    }

    @Test
    void theShippedCatalogHasElevenServicesInItsOrder() {
        assertThat(ServiceCatalog.names()).containsExactly("checkout", "payments", "auth", "search", "catalog",
                "storage", "billing-api", "reports", "admin-console", "data-export", "notifications");
        assertThat(ServiceCatalog.profile("reports").latency().medianMs()).isEqualTo(900);
    }

    @Test
    void anUnknownTemplateIsNamedWithItsService() {
        assertThatThrownBy(() -> parse(service("token_refresh: 4", "token_refreshed: 4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot use template token_refreshed in checkout.normal of services.yaml: no ordinary "
                        + "template has that id (MessageTemplates.ALL)");
    }

    @Test
    void anUnknownFarmKindIsNamed() {
        assertThatThrownBy(() -> parse(service("farm_kind: web", "farm_kind: edge")))
                .hasMessage("Cannot use farm_kind edge for service checkout in services.yaml: expected web or core");
    }

    @Test
    void unknownAndMissingKeysAreErrors() {
        assertThatThrownBy(() -> parse(service("median_bytes:", "median_byte:")))
                .hasMessageContaining("median_byte");
        assertThatThrownBy(() -> parse(service("    tier: 1\n", "")))
                .hasMessageContaining("tier");
    }
}
