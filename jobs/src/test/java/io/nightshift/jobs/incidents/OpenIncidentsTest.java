package io.nightshift.jobs.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** An open incident looks to every run of a date as the nights before the date left it. */
class OpenIncidentsTest {

    private static Signal signal(String id, String user, String template, String first, String last) {
        return new Signal(id, "fp-" + id, "rules", "NS-AUTH-003", "Repeated failed logins", "d", 5.0,
                Timestamp.valueOf(first), Timestamp.valueOf(last), null, user, null, null, "auth", "us-east", null,
                null, null, List.of(), template == null ? Map.of() : Map.of("template_id", template));
    }

    /** Alice and carol late on 2026-10-06: one incident, still open. */
    private static final Signal OCT6 = signal("f-oct6", "alice", "t1", "2026-10-06 23:00:00", "2026-10-06 23:30:00");
    private static final Signal CAROL = signal("f-carol", "carol", "t1", "2026-10-06 22:50:00", "2026-10-06 23:20:00");
    /** Alice again just after midnight, in a finding for the whole of 2026-10-07: it continues the incident. */
    private static final Signal OCT7 = signal("f-oct7", "alice", "t2", "2026-10-07 00:10:00", "2026-10-08 00:00:00");
    /** The incident as the first run of 2026-10-07 stored it. */
    private static final FindingCorrelator.OpenIncident STORED = new FindingCorrelator.OpenIncident("INC-1",
            CAROL.firstSeen(), OCT7.lastSeen(), List.copyOf(IncidentRecord.indicatorKeys(List.of(OCT6, CAROL, OCT7))));
    private static final List<String> FINDINGS = List.of("f-carol", "f-oct6", "f-oct7");
    private static final Map<String, Signal> EARLIER = Map.of("f-oct6", OCT6, "f-carol", CAROL);

    @Test
    void aRerunSeesTheIncidentWithoutWhatTheDatesEarlierRunAdded() {
        FindingCorrelator.OpenIncident before = OpenIncidents.asBefore(STORED, FINDINGS, EARLIER);

        assertThat(before.incidentId()).isEqualTo("INC-1");
        assertThat(before.firstSeen()).isEqualTo(CAROL.firstSeen());
        assertThat(before.lastSeen()).isEqualTo(OCT6.lastSeen());
        assertThat(before.linkKeys()).containsExactly("template=t1", "user=alice", "user=carol");
    }

    @Test
    void soTheRerunContinuesItWithTheSameFindingsAsTheFirstRun() {
        // Carol in the afternoon: nothing of that night links her to alice, and the incident's last activity was
        // before midnight, so the first run of the date opens a new incident for her.
        Signal carolPm = signal("f-carol-pm", "carol", "t3", "2026-10-07 15:00:00", "2026-10-07 15:20:00");
        FindingCorrelator correlator = new FindingCorrelator(60);

        FindingCorrelator.OpenIncident before = OpenIncidents.asBefore(STORED, FINDINGS, EARLIER);
        List<FindingCorrelator.Group> groups = correlator.correlate(List.of(OCT7, carolPm), List.of(before));
        assertThat(groups).hasSize(2);
        assertThat(groups).filteredOn(g -> g.signals().contains(OCT7))
                .singleElement().satisfies(g -> assertThat(g.continues()).isEqualTo(before));
        assertThat(groups).filteredOn(g -> g.signals().contains(carolPm))
                .singleElement().satisfies(g -> assertThat(g.continues()).isNull());

        // As stored, the incident reaches to the end of the date and took her finding too: what made each rerun's
        // incident bigger than the last.
        assertThat(correlator.correlate(List.of(OCT7, carolPm), List.of(STORED)))
                .filteredOn(g -> g.signals().contains(carolPm))
                .singleElement().satisfies(g -> assertThat(g.continues()).isEqualTo(STORED));
    }

    @Test
    void anIncidentWhoseEarlierFindingsAreGoneKeepsItsStoredState() {
        assertThat(OpenIncidents.asBefore(STORED, FINDINGS, Map.of())).isEqualTo(STORED);
    }
}
