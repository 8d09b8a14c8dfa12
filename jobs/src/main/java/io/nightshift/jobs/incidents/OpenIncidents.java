package io.nightshift.jobs.incidents;

import java.sql.Timestamp;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A still-open incident as correlation sees it when a night may continue it: as the nights before that date left it.
 *
 * <p>Why not as stored: a rerun of a date finds the incidents that the date's earlier run continued already reaching
 * into the date and holding the keys of its findings, so each rerun attached more of the date's findings to them (an
 * incident of the 10M benchmark grew from 450 to 532 to 533 findings over three runs of one date). Rebuilt from its
 * findings of earlier dates, an open incident looks the same to every run of a date.
 */
final class OpenIncidents {
    private OpenIncidents() {
    }

    /**
     * @param stored     the incident's span and indicators as stored
     * @param findingIds the stored incident's findings, of any date
     * @param earlier    findings of the dates before the night's, by id
     * @return the span and indicators of the incident's findings in {@code earlier}; {@code stored} when it has none
     *         there (its findings of those dates were replaced since, by a rerun with other detectors)
     */
    static FindingCorrelator.OpenIncident asBefore(FindingCorrelator.OpenIncident stored, List<String> findingIds,
                                                   Map<String, Signal> earlier) {
        List<Signal> before = findingIds.stream().map(earlier::get).filter(Objects::nonNull).toList();
        if (before.isEmpty()) {
            return stored;
        }
        Timestamp first = before.stream().map(Signal::firstSeen).min(Comparator.naturalOrder()).orElseThrow();
        Timestamp last = before.stream().map(Signal::lastSeen).max(Comparator.naturalOrder()).orElseThrow();
        return new FindingCorrelator.OpenIncident(stored.incidentId(), first, last,
                List.copyOf(IncidentRecord.indicatorKeys(before)));
    }
}
