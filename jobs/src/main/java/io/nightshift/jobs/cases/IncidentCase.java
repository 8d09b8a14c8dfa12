package io.nightshift.jobs.cases;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What an incident saw, as far as drafting a rule from it needs: its indicators, its findings with their observed
 * values, and the text of the log templates it names. Read from the warehouse by {@link IncidentCaseReader}; plain
 * values, so {@link RuleDrafter} is tested without Spark.
 *
 * @param templates template id → template text (tokens joined by single spaces, parameters as {@code <*>}), for
 *                  the {@code template} indicators whose text the warehouse still has
 */
public record IncidentCase(String incidentId, String title, LocalDate createdDate, List<Indicator> indicators,
                           List<Finding> findings, Map<String, String> templates) {
    public IncidentCase {
        indicators = List.copyOf(indicators);
        findings = List.copyOf(findings);
        templates = Map.copyOf(templates);
    }

    /** One typed indicator of the incident: {@code ip}, {@code user}, {@code tenant}, {@code host}, {@code template}... */
    public record Indicator(String type, String value) {
    }

    /**
     * One finding of the incident.
     *
     * @param observed the measure the detector saw (a rule's count, distinct count or sum in its strongest window);
     *                 null when the detector records none
     * @param entities entity column → value, for the entity columns the finding has a value in
     */
    public record Finding(String findingId, String detector, String detectorId, double score, Double observed,
                          String mitreTactic, String mitreTechnique, Map<String, String> entities) {
        public Finding {
            entities = Map.copyOf(entities);
        }
    }
}
