package io.nightshift.jobs.incidents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.config.EscalationConfig;

/**
 * Who owns an incident and who is brought in: the owner team is the catalog owner of the most critical service in
 * scope (lowest tier, then name), the other services' owners are secondary, and the escalation policy adds teams by
 * severity, regulated tenants, industries and services. Pure: facts and policy in, teams and reasons out.
 *
 * @param ownerTeam       null when no service in scope is in the catalog (the reasons say so)
 * @param secondaryTeams  sorted, without the owner
 * @param teams           everyone to involve, in policy order, each once
 * @param reasons         one line per team and policy rule that added it
 */
public record Escalation(String ownerTeam, List<String> secondaryTeams, List<String> teams, List<String> reasons) {
    /** Where an incident with no catalogued service goes, so that nothing is left without an owner. */
    public static final String UNOWNED_FALLBACK = "security-response";

    /**
     * @param evidenceServices services named by the log rows preserved as the incident's evidence (and the usual
     *                         service of a silent host): where the owner comes from when no finding names a
     *                         catalogued service
     */
    public static Escalation assess(IncidentFacts facts, Set<String> evidenceServices, String severityLevel,
                                    EscalationConfig policy) {
        ReferenceData.Service critical = facts.mostCriticalService();
        boolean fromEvidence = false;
        if (critical == null) {
            critical = facts.reference().mostCritical(evidenceServices);
            fromEvidence = critical != null;
        }
        String owner = critical == null ? null : critical.ownerTeam();
        Set<String> secondary = new TreeSet<>();
        for (String s : facts.services()) {
            ReferenceData.Service svc = facts.reference().service(s);
            if (svc != null && svc.ownerTeam() != null && !svc.ownerTeam().equals(owner)) {
                secondary.add(svc.ownerTeam());
            }
        }
        Severity severity = Severity.parse(severityLevel);
        Map<String, List<String>> why = new LinkedHashMap<>();
        for (EscalationConfig.Rule rule : policy.rules()) {
            String reason = matches(rule, facts, severity);
            if (reason == null) {
                continue;
            }
            for (String team : rule.teams()) {
                List<String> resolved = switch (team) {
                    case EscalationConfig.OWNER -> owner == null ? List.of(UNOWNED_FALLBACK) : List.of(owner);
                    case EscalationConfig.SECONDARY -> List.copyOf(secondary);
                    default -> List.of(team);
                };
                for (String t : resolved) {
                    why.computeIfAbsent(t, k -> new ArrayList<>()).add(rule.name() + ": " + reason);
                }
            }
        }
        List<String> reasons = new ArrayList<>();
        if (owner == null) {
            reasons.add("owner: no service in scope " + facts.services() + " or in the evidence rows and silent hosts "
                    + new TreeSet<>(evidenceServices) + " is in the service catalog; routed to " + UNOWNED_FALLBACK);
        } else {
            reasons.add("owner: " + owner + " owns " + critical.name() + " (tier " + critical.tier()
                    + (fromEvidence ? ", the most critical service of the incident's evidence rows or silent hosts; "
                    + "the findings name no catalogued service)" : ", the most critical service in scope)"));
        }
        why.forEach((team, rs) -> reasons.add(team + " ← " + String.join("; ", rs)));
        return new Escalation(owner, List.copyOf(secondary), List.copyOf(new LinkedHashSet<>(why.keySet())), reasons);
    }

    /** Why the rule applies to the incident, or null when one of its conditions does not hold. */
    private static String matches(EscalationConfig.Rule rule, IncidentFacts facts, Severity severity) {
        List<String> because = new ArrayList<>();
        if (rule.minSeverity() != null) {
            if (severity == null || severity.compareTo(rule.minSeverity()) < 0) {
                return null;
            }
            because.add("severity " + severity.word() + " ≥ " + rule.minSeverity().word());
        }
        if (rule.regulated() != null) {
            List<String> regulated = facts.tenants().stream().map(t -> facts.reference().tenant(t))
                    .filter(Objects::nonNull).filter(t -> !t.regulations().isEmpty())
                    .map(t -> t.name() + " (" + String.join(", ", t.regulations()) + ")").toList();
            if (rule.regulated() != !regulated.isEmpty()) {
                return null;
            }
            because.add(regulated.isEmpty() ? "no regulated tenant affected" : "regulated tenants " + regulated);
        }
        if (!rule.industries().isEmpty()) {
            List<String> hit = facts.industries().stream().filter(rule.industries()::contains).toList();
            if (hit.isEmpty()) {
                return null;
            }
            because.add("tenants in " + hit);
        }
        if (!rule.services().isEmpty()) {
            List<String> hit = facts.services().stream().filter(rule.services()::contains).toList();
            if (hit.isEmpty()) {
                return null;
            }
            because.add("services " + hit);
        }
        return because.isEmpty() ? "always" : String.join(", ", because);
    }
}
