package io.nightshift.jobs.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.RulesConfig;
import io.nightshift.jobs.detect.rules.Condition;
import io.nightshift.jobs.detect.rules.FieldRef;
import io.nightshift.jobs.detect.rules.Operator;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleCatalog;
import io.nightshift.jobs.detect.rules.RuleStatus;
import io.nightshift.jobs.detect.rules.load.RuleLoader;
import io.nightshift.jobs.detect.rules.own.RuleWriter;
import io.nightshift.jobs.detect.rules.sigma.SigmaFieldMapping;

/** Drafting a rule from an incident, without Spark: from the rule behind it, from its templates and entities, refusals. */
class RuleDrafterTest {
    static final Path REPO = Path.of(System.getProperty("nightshift.repo.root", ".."));
    static final List<Rule> PACK = RuleLoader.fromConfig(RulesConfig.defaults(REPO)).load(REPO.resolve("rules")).rules();
    static final RuleDrafter DRAFTER = new RuleDrafter(PACK);
    static final String ID = "INC-20261117-0a1b2c3d";

    static IncidentCase.Finding finding(String detector, String detectorId, double score, Double observed,
                                        Map<String, String> entities) {
        return new IncidentCase.Finding("f-" + detectorId, detector, detectorId, score, observed,
                "TA0006 Credential Access", "T1110.003 Password Spraying", entities);
    }

    static IncidentCase incident(List<IncidentCase.Indicator> indicators, List<IncidentCase.Finding> findings,
                                 Map<String, String> templates) {
        return new IncidentCase(ID, "Password spray from one source (+2 related findings)", LocalDate.of(2026, 11, 17),
                indicators, findings, templates);
    }

    static Rule pack(String id) {
        return PACK.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    /** Writes the draft and loads it back as 'rules check' does. */
    static Rule writtenAndChecked(Rule draft, Path dir) throws Exception {
        Files.createDirectories(dir);
        Path file = Files.writeString(dir.resolve(draft.id() + ".yml"), RuleWriter.write(draft, List.of("draft")));
        RuleCatalog back = new RuleLoader(SigmaFieldMapping.defaultMapping(), Map.of()).load(dir);
        assertThat(back.errors()).as(Files.readString(file)).isEmpty();
        return back.rules().get(0);
    }

    @Test
    void fromTheStrongestRuleFindingNarrowedToTenantAndServiceWithHalfTheObservedThreshold(@TempDir Path dir)
            throws Exception {
        IncidentCase spray = incident(List.of(new IncidentCase.Indicator("ip", "198.51.100.167"),
                        new IncidentCase.Indicator("tenant", "tn-13")),
                List.of(finding("rule", "NS-AUTH-002", 80.2, 19.0,
                                Map.of("src_ip", "198.51.100.167", "tenant_id", "tn-13", "service", "auth")),
                        finding("trend", "auth_failure_spike", 60, 95.0, Map.of("tenant_id", "tn-13"))),
                Map.of());
        Rule draft = writtenAndChecked(DRAFTER.draft(spray, "x.yml"), dir);
        Rule base = pack("NS-AUTH-002");

        assertThat(draft.id()).isEqualTo("LL-" + ID);
        assertThat(draft.status()).isEqualTo(RuleStatus.EXPERIMENTAL);
        assertThat(draft.title()).isEqualTo("Password spray from one source (drafted from " + ID + ")");
        assertThat(draft.description()).startsWith("Drafted from incident " + ID + " (Password spray from one source"
                + " (+2 related findings), 2026-11-17): rule NS-AUTH-002 (Password spray from one source), narrowed to"
                + " tenant_id tn-13; service auth. The threshold is more than 9 (half of the 19 observed) instead of"
                + " more than 10.");
        // The rule's condition, and the scope: the address it groups by stays free.
        assertThat(draft.condition()).isEqualTo(new Condition.All(List.of(base.condition(),
                Condition.Match.of(FieldRef.column("tenant_id"), Operator.IN, List.of("tn-13"), false),
                Condition.Match.of(FieldRef.column("service"), Operator.IN, List.of("auth"), false))));
        assertThat(draft.threshold().limit()).isEqualTo(9);
        assertThat(draft.threshold()).usingRecursiveComparison().ignoringFields("limit").isEqualTo(base.threshold());
        assertThat(draft).usingRecursiveComparison().comparingOnlyFields("severity", "mitre", "services",
                "suppression", "nextSteps").isEqualTo(base);
    }

    @Test
    void aThresholdIsNeverRaisedAndMeasuredOrGroupedColumnsAreNeverPinned(@TempDir Path dir) throws Exception {
        // NS-AUTH-001 groups by tenant and user; a huge burst keeps the rule's own limit.
        IncidentCase burst = incident(List.of(), List.of(finding("rule", "NS-AUTH-001", 85, 400.0,
                Map.of("tenant_id", "tn-02", "user", "ann", "service", "auth"))), Map.of());
        Rule draft = writtenAndChecked(DRAFTER.draft(burst, "x.yml"), dir);
        assertThat(draft.threshold().limit()).isEqualTo(20);
        assertThat(draft.description()).contains("narrowed to service auth. The threshold stays more than 20 (half of"
                + " the 400 observed would be higher).");
        assertThat(((Condition.All) draft.condition()).parts()).hasSize(2);
        // A rule whose condition is an all: gets the scope tests added to it, not nested.
        IncidentCase success = incident(List.of(), List.of(finding("rule", "NS-AUTH-003", 95, 35.0,
                Map.of("tenant_id", "tn-13", "service", "auth"))), Map.of());
        Rule flat = writtenAndChecked(DRAFTER.draft(success, "x.yml"), dir.resolve("flat"));
        assertThat(((Condition.All) flat.condition()).parts()).containsExactly(
                Condition.Match.of(FieldRef.column("action"), Operator.EQUALS, List.of("login"), false),
                Condition.Match.of(FieldRef.column("outcome"), Operator.IN, List.of("failure", "success"), false),
                Condition.Match.of(FieldRef.column("tenant_id"), Operator.IN, List.of("tn-13"), false),
                Condition.Match.of(FieldRef.column("service"), Operator.IN, List.of("auth"), false));
    }

    @Test
    void withoutARuleFindingTheTemplatesAndEntitiesMakeTheCondition(@TempDir Path dir) throws Exception {
        IncidentCase cluster = incident(List.of(new IncidentCase.Indicator("service", "payments"),
                        new IncidentCase.Indicator("template", "t-1"), new IncidentCase.Indicator("user", "bob")),
                List.of(new IncidentCase.Finding("f1", "cluster", "cluster:service_1h", 72, 40.0, null, null,
                        Map.of("service", "payments"))),
                Map.of("t-1", "Idempotency key <*> reused (hash=<*>) rejected"));
        Rule draft = writtenAndChecked(DRAFTER.draft(cluster, "x.yml"), dir);
        assertThat(draft.threshold().implicit()).isTrue();
        assertThat(draft.title()).isEqualTo("Lessons from " + ID + ": Password spray from one source (+2 related"
                + " findings)");
        assertThat(draft.mitre().tactic()).isEqualTo("TA0040 Impact");
        assertThat(draft.severity().word()).isEqualTo("medium");
        Condition.Match template = (Condition.Match) ((Condition.All) draft.condition()).parts().get(0);
        String regex = (String) template.values().get(0);
        assertThat("Idempotency key k-77  reused (hash=ab12) rejected").containsPattern(regex);
        assertThat("Idempotency key k-77 reused (digest=ab12) rejected").doesNotContainPattern(regex);
        assertThat(draft.description()).isEqualTo("Drafted from incident " + ID + " (Password spray from one source"
                + " (+2 related findings), 2026-11-17), found by cluster cluster:service_1h: every log row with 1 log"
                + " template; user bob; service payments.");
    }

    @Test
    void refusesAnIncidentWithNothingARuleCanMatch() {
        IncidentCase operational = incident(List.of(new IncidentCase.Indicator("service", "catalog"),
                        new IncidentCase.Indicator("host", "use1-web-04")),
                List.of(new IncidentCase.Finding("f1", "trend", "error_rate_surge", 70, 0.45, null, null, Map.of())),
                Map.of());
        assertThatThrownBy(() -> DRAFTER.draft(operational, "x.yml"))
                .isInstanceOfSatisfying(NightshiftException.class, e -> assertThat(e.exitCode())
                        .isEqualTo(ExitCodes.BAD_INPUT))
                .hasMessage("incident " + ID + " has nothing a rule can match: none of its findings comes from a rule"
                        + " in the catalog, and it names no log template, source address or user (at most 5 of each);"
                        + " a rule on host, service alone would match all their traffic");
    }
}
