package io.nightshift.jobs.incidents;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Recommended next steps per kind of signal, added after the rules' own next steps. */
public final class Playbooks {
    private static final Map<Signal.Kind, List<String>> STEPS = Map.of(
            Signal.Kind.THREAT_INTEL, List.of(
                    "Block the listed indicator at the edge (firewall, WAF, proxy) and search 30 days back for it",
                    "Check whether any session from the indicator authenticated successfully; if so, reset those credentials"),
            Signal.Kind.DATA_EXPORT, List.of(
                    "Confirm with the user's manager whether the export was authorised",
                    "Suspend the user's export rights and API keys until confirmed",
                    "Identify the exported records and the customers they belong to for notification"),
            Signal.Kind.PRIVILEGE_CHANGE, List.of(
                    "Verify the privilege change against an approved change request; revoke it if none",
                    "Review every action taken with the new privileges"),
            Signal.Kind.DESTRUCTION, List.of(
                    "Stop further deletions: disable the account or revoke its write access",
                    "Restore the deleted resources from backup and verify integrity"),
            Signal.Kind.DEFENSE_EVASION, List.of(
                    "Re-enable the disabled logging or security control and find who disabled it"),
            Signal.Kind.CREDENTIAL_ATTACK, List.of(
                    "Block the attacking source addresses and enforce MFA for the targeted accounts",
                    "Reset the password of any account that logged in successfully from the attacking sources"),
            Signal.Kind.AVAILABILITY, List.of(
                    "Check recent deploys and configuration changes of the affected services; roll back if correlated",
                    "Page the owning team and follow the service's runbook"),
            Signal.Kind.ANOMALOUS_OUTPUT, List.of(
                    "Read the explaining log templates and the preserved rows; decide whether this is a new failure mode",
                    "If benign, mark the incident benign so the fingerprint is learned"),
            Signal.Kind.OTHER, List.of("Review the preserved evidence and the findings' descriptions"));

    private Playbooks() {
    }

    public static List<String> recommend(IncidentFacts facts) {
        Set<String> steps = new LinkedHashSet<>();
        facts.signals().stream().sorted((a, b) -> Double.compare(b.score(), a.score()))
                .forEach(s -> steps.addAll(s.recommendedActions()));
        facts.kinds().forEach(k -> steps.addAll(STEPS.getOrDefault(k, List.of())));
        return List.copyOf(steps);
    }
}
