package io.nightshift.jobs.incidents;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Priority P1–P4 from the three NIST SP 800-61 categories, each derived from the findings and reference data:
 * functional impact (none/low/medium/high: how much service is degraded, weighted by the tier of the service),
 * information impact (none/privacy/proprietary/integrity: what data was exposed or altered) and recoverability
 * (regular/supplemented/extended/not_recoverable: what recovering takes).
 */
public final class PriorityAssessor {
    /** The three categories, the priority and why. */
    public record Priority(String priority, String functionalImpact, String informationImpact, String recoverability,
                           List<String> reasons) {
    }

    public Priority assess(IncidentFacts f) {
        Set<Signal.Kind> kinds = f.kinds();
        List<String> reasons = new ArrayList<>();

        ReferenceData.Service critical = f.mostCriticalService();
        int tier = critical == null ? 3 : critical.tier();
        String functional;
        if (kinds.contains(Signal.Kind.AVAILABILITY)) {
            functional = tier == 1 ? "high" : tier == 2 ? "medium" : "low";
            reasons.add("functional impact " + functional + ": availability degraded on "
                    + (f.services().isEmpty() ? (f.hosts().isEmpty() ? "an unknown service" : "host "
                    + String.join(", ", f.hosts())) : String.join(", ", f.services()))
                    + (critical == null ? " (no catalogued service; taken as tier 3)" : " (tier " + tier + ")"));
        } else if (kinds.contains(Signal.Kind.DESTRUCTION) || kinds.contains(Signal.Kind.ANOMALOUS_OUTPUT)) {
            functional = kinds.contains(Signal.Kind.DESTRUCTION) ? "medium" : "low";
            reasons.add("functional impact " + functional + ": "
                    + (kinds.contains(Signal.Kind.DESTRUCTION) ? "data or resources deleted" : "unusual log output"));
        } else {
            functional = "none";
            reasons.add("functional impact none: no service degradation observed");
        }

        ReferenceData.Service sensitive = f.mostSensitiveService();
        boolean personalData = sensitive != null && sensitive.containsPii();
        String information;
        if (kinds.contains(Signal.Kind.DATA_EXPORT)) {
            information = personalData || !f.regulations().isEmpty() ? "privacy" : "proprietary";
            reasons.add("information impact " + information + ": unusual data export"
                    + (information.equals("privacy") ? " of personal or regulated data" : ""));
        } else if (kinds.contains(Signal.Kind.DESTRUCTION) || kinds.contains(Signal.Kind.PRIVILEGE_CHANGE)
                || kinds.contains(Signal.Kind.DEFENSE_EVASION)) {
            information = "integrity";
            reasons.add("information impact integrity: privileges, data or security controls were changed");
        } else if (kinds.contains(Signal.Kind.THREAT_INTEL) || kinds.contains(Signal.Kind.CREDENTIAL_ATTACK)) {
            information = "none";
            reasons.add("information impact none yet: access attempts, no data shown to be exposed");
        } else {
            information = "none";
            reasons.add("information impact none: no data exposure or alteration signalled");
        }

        String recoverability;
        if (information.equals("privacy") && sensitive != null && "restricted".equals(sensitive.dataClassification())) {
            recoverability = "not_recoverable";
            reasons.add("recoverability not_recoverable: exported restricted data cannot be recalled");
        } else if (information.equals("privacy") || information.equals("proprietary")) {
            recoverability = "extended";
            reasons.add("recoverability extended: exposure needs investigation and customer notification");
        } else if (information.equals("integrity") || kinds.contains(Signal.Kind.THREAT_INTEL)
                || kinds.contains(Signal.Kind.CREDENTIAL_ATTACK)) {
            recoverability = "supplemented";
            reasons.add("recoverability supplemented: needs security response (credential resets, access review)");
        } else {
            recoverability = "regular";
            reasons.add("recoverability regular: standard operational recovery (rollback, restart)");
        }

        String priority;
        if (functional.equals("high") || recoverability.equals("not_recoverable")
                || (information.equals("privacy") && recoverability.equals("extended"))) {
            priority = "P1";
        } else if (functional.equals("medium") || !information.equals("none")) {
            priority = "P2";
        } else if (functional.equals("low") || recoverability.equals("supplemented")) {
            priority = "P3";
        } else {
            priority = "P4";
        }
        reasons.add("priority " + priority);
        return new Priority(priority, functional, information, recoverability, reasons);
    }
}
