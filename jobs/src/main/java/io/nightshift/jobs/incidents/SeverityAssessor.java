package io.nightshift.jobs.incidents;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.nightshift.jobs.config.IncidentsConfig;

/**
 * Severity from defined criteria, each contributing points (times its configured weight) and a reason in words:
 * privacy (data classification of the services involved), impact (the findings' scores), scope (regions,
 * datacenters, services, farms, hosts), affected tenants, criticality (service tier, region), the incident's
 * details (threat-intel match, privilege change, data export, destruction) and the customers' regulations and
 * industry. The total, capped at 100, maps to informational / low / medium / high / critical.
 */
public final class SeverityAssessor {
    /** The outcome: a level, a 0–100 score and one reason per criterion that contributed. */
    public record Severity(String level, double score, List<String> reasons) {
    }

    private final IncidentsConfig config;

    public SeverityAssessor(IncidentsConfig config) {
        this.config = config;
    }

    public Severity assess(IncidentFacts f) {
        List<String> reasons = new ArrayList<>();
        double total = 0;

        ReferenceData.Service mostSensitive = f.mostSensitiveService();
        double privacy = 0;
        String privacyWhy = "no service with classified data involved";
        if (mostSensitive != null) {
            privacy = switch (String.valueOf(mostSensitive.dataClassification())) {
                case "restricted" -> 15;
                case "confidential" -> 10;
                case "internal" -> 4;
                default -> 0;
            } + (mostSensitive.containsPii() ? 10 : 0);
            privacyWhy = mostSensitive.name() + " holds " + mostSensitive.dataClassification() + " data"
                    + (mostSensitive.containsPii() ? " with personal data" : "");
        }
        total += add(reasons, "privacy", privacy, privacyWhy);

        double impact = Math.min(25, f.maxScore() * 0.25);
        total += add(reasons, "impact", impact, String.format(Locale.ROOT,
                "strongest finding scored %.0f/100 (%d findings)", f.maxScore(), f.signals().size()));

        double scope = Math.min(15, 4 * Math.max(0, f.regions().size() - 1) + 2 * Math.max(0, f.datacenters().size() - 1)
                + 2 * Math.max(0, f.services().size() - 1) + Math.log(1 + f.hosts().size()) / Math.log(2));
        total += add(reasons, "scope", scope, f.regions().size() + " regions, " + f.datacenters().size()
                + " datacenters, " + f.services().size() + " services, " + f.farms().size() + " farms, "
                + f.hosts().size() + " hosts");

        int tenants = f.tenants().size();
        double tenantPoints = Math.min(15, 5 * Math.log(1 + tenants) / Math.log(2));
        total += add(reasons, "tenants", tenantPoints, tenants + " affected tenants");

        ReferenceData.Service mostCritical = f.mostCriticalService();
        double criticality = mostCritical == null ? 0 : switch (mostCritical.tier()) {
            case 1 -> 10;
            case 2 -> 5;
            default -> 1;
        };
        total += add(reasons, "criticality", criticality, mostCritical == null ? "no catalogued service involved"
                : mostCritical.name() + " is tier " + mostCritical.tier()
                + (f.regions().isEmpty() ? "" : " in " + String.join(", ", f.regions())));

        Set<Signal.Kind> kinds = f.kinds();
        double details = 0;
        List<String> what = new ArrayList<>();
        for (var k : EnumSet.of(Signal.Kind.THREAT_INTEL, Signal.Kind.DATA_EXPORT, Signal.Kind.PRIVILEGE_CHANGE,
                Signal.Kind.DESTRUCTION, Signal.Kind.DEFENSE_EVASION, Signal.Kind.CREDENTIAL_ATTACK)) {
            if (kinds.contains(k)) {
                details += switch (k) {
                    // Exported personal data cannot be recalled (NIST: not recoverable); altered privileges and
                    // deleted data can be restored, so they weigh less.
                    case DATA_EXPORT -> 20;
                    case THREAT_INTEL -> 12;
                    case PRIVILEGE_CHANGE, DESTRUCTION, DEFENSE_EVASION -> 8;
                    default -> 6;
                };
                what.add(k.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }
        }
        total += add(reasons, "details", Math.min(20, details), what.isEmpty() ? "operational signals only"
                : String.join(", ", what));

        double regulated = 0;
        List<String> regs = f.regulations();
        if (regs.stream().anyMatch(r -> r.equalsIgnoreCase("HIPAA") || r.startsWith("PCI"))) {
            regulated += 12;
        } else if (!regs.isEmpty()) {
            regulated += 8;
        }
        if (f.industries().stream().anyMatch(i -> i != null && (i.toLowerCase(Locale.ROOT).contains("health")
                || i.toLowerCase(Locale.ROOT).contains("financ") || i.toLowerCase(Locale.ROOT).contains("bank")))) {
            regulated += 4;
        }
        // Regulations weigh fully where customer data was exported, altered or deleted; attempts and availability
        // problems touch regulated customers less directly.
        if (kinds.stream().noneMatch(k -> k == Signal.Kind.DATA_EXPORT || k == Signal.Kind.PRIVILEGE_CHANGE
                || k == Signal.Kind.DESTRUCTION)) {
            regulated /= 2;
        }
        total += add(reasons, "regulations", Math.min(15, regulated), regs.isEmpty() ? "no regulated customers"
                : "customers under " + String.join(", ", regs) + " (" + String.join(", ", f.industries()) + ")");

        double score = Math.round(Math.min(100, total) * 10) / 10.0;
        return new Severity(level(score), score, reasons);
    }

    private double add(List<String> reasons, String criterion, double points, String why) {
        double weighted = points * config.weight(criterion);
        reasons.add(String.format(Locale.ROOT, "%s +%.1f: %s", criterion, weighted, why));
        return weighted;
    }

    static String level(double score) {
        if (score >= 75) {
            return "critical";
        }
        if (score >= 55) {
            return "high";
        }
        if (score >= 35) {
            return "medium";
        }
        if (score >= 15) {
            return "low";
        }
        return "informational";
    }
}
