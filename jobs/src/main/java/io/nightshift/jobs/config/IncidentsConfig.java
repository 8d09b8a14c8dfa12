package io.nightshift.jobs.config;

import java.util.Map;

/**
 * Incident-stage settings.
 *
 * @param correlationGapMinutes   findings sharing an entity and no further apart than this are one incident
 * @param maxEvidencePerFinding   log rows preserved per finding
 * @param falsePositiveDays       a false-positive verdict suppresses the same fingerprints for this many days
 * @param maxFindingsPerNight     correlation runs on the driver; beyond this many findings the lowest-scored are
 *                                left uncorrelated (counted in the run's progress) rather than failing the night
 * @param minScoreToOpen        a group of findings opens an incident only when its strongest finding scores at least
 *                              this; weaker findings still join incidents they correlate with
 * @param severityWeights         multiplier per severity criterion (privacy, impact, scope, tenants, criticality,
 *                                details, regulations); 1.0 each by default
 */
public record IncidentsConfig(int correlationGapMinutes, int maxEvidencePerFinding, int falsePositiveDays,
                              int maxFindingsPerNight, double minScoreToOpen, Map<String, Double> severityWeights) {
    public static final java.util.List<String> CRITERIA =
            java.util.List.of("privacy", "impact", "scope", "tenants", "criticality", "details", "regulations");

    public IncidentsConfig {
        severityWeights = severityWeights == null ? Map.of() : Map.copyOf(severityWeights);
    }

    public static IncidentsConfig defaults() {
        return new IncidentsConfig(120, 20, 30, 50_000, 40.0, Map.of());
    }

    public double weight(String criterion) {
        return severityWeights.getOrDefault(criterion, 1.0);
    }
}
