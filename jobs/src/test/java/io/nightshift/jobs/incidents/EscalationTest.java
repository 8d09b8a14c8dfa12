package io.nightshift.jobs.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.config.EscalationConfig;

class EscalationTest {
    private static final ReferenceData REFERENCE = new ReferenceData(
            Map.of("auth", new ReferenceData.Service("auth", "identity", 1, "confidential", true),
                    "search", new ReferenceData.Service("search", "discovery", 2, "public", false),
                    "billing", new ReferenceData.Service("billing", "payments", 1, "restricted", true)),
            Map.of("tn-01", new ReferenceData.Tenant("tn-01", "Northwind Health", "healthcare", List.of("HIPAA")),
                    "tn-09", new ReferenceData.Tenant("tn-09", "Plain Co", "retail", List.of())));

    private static Signal signal(String service, String tenant) {
        Timestamp t = Timestamp.valueOf("2026-11-18 03:00:00");
        return new Signal("f-" + service, "fp-" + service, "rule", "NS-AUTH-001", "Brute force", "many failures", 80,
                t, t, tenant, "alice", "h1", "203.0.113.9", service, "us-east", "use1", "farm1", "TA0006", List.of(),
                Map.of());
    }

    private static IncidentFacts facts(Set<String> tenants, Signal... signals) {
        return new IncidentFacts(List.of(signals), tenants, REFERENCE);
    }

    @Test
    void theOwnerIsTheMostCriticalServicesTeamAndTheOthersAreSecondary() {
        Escalation e = Escalation.assess(facts(Set.of(), signal("search", null), signal("auth", null),
                signal("billing", null)), Set.of(), "low", EscalationConfig.defaults());
        assertThat(e.ownerTeam()).isEqualTo("identity");  // tier 1, and "auth" sorts before "billing"
        assertThat(e.secondaryTeams()).containsExactly("discovery", "payments");
        assertThat(e.teams()).containsExactly("identity");
        assertThat(e.reasons().get(0)).contains("identity owns auth (tier 1");
    }

    @Test
    void highSeverityPagesSecurityResponseAndRegulatedTenantsBringInComplianceAndCommunications() {
        Escalation e = Escalation.assess(facts(Set.of("tn-01"), signal("auth", "tn-01")), Set.of(), "critical",
                EscalationConfig.defaults());
        assertThat(e.teams()).containsExactly("identity", "security-response", "legal-compliance",
                "customer-communications");
        assertThat(String.join("\n", e.reasons())).contains("severity critical ≥ high")
                .contains("Northwind Health (HIPAA)");

        Escalation plain = Escalation.assess(facts(Set.of("tn-09"), signal("auth", "tn-09")), Set.of(), "medium",
                EscalationConfig.defaults());
        assertThat(plain.teams()).containsExactly("identity");
    }

    @Test
    void aConfiguredPolicyMatchesIndustriesAndServicesAndAnUncataloguedServiceStillGetsAnOwner() {
        EscalationConfig policy = new EscalationConfig(List.of(
                new EscalationConfig.Rule("health", null, null, List.of("healthcare"), null, List.of("privacy-office")),
                new EscalationConfig.Rule("money", Severity.MEDIUM, null, null, List.of("billing"),
                        List.of(EscalationConfig.SECONDARY, "fraud"))));
        Escalation e = Escalation.assess(facts(Set.of("tn-01"), signal("auth", "tn-01"), signal("billing", null)),
                Set.of(), "high", policy);
        assertThat(e.teams()).containsExactly("privacy-office", "payments", "fraud");

        Escalation unknown = Escalation.assess(facts(Set.of(), signal("mystery", null)), Set.of(), "low",
                EscalationConfig.defaults());
        assertThat(unknown.ownerTeam()).isNull();
        assertThat(unknown.teams()).containsExactly(Escalation.UNOWNED_FALLBACK);
        assertThat(unknown.reasons().get(0)).contains("no service in scope [mystery]");

        // A user's anomaly names no service; the rows behind it do.
        Escalation fromRows = Escalation.assess(facts(Set.of(), signal(null, null)), Set.of("search", "mystery"), "low",
                EscalationConfig.defaults());
        assertThat(fromRows.ownerTeam()).isEqualTo("discovery");
        assertThat(fromRows.reasons().get(0)).contains("evidence rows");
    }
}
