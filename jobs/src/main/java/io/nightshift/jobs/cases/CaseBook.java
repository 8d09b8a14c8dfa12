package io.nightshift.jobs.cases;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Records what analysts do with an incident: actions, triage verdicts and closure, each as an append-only
 * {@code incident_actions} row, and moves the incident's status by the {@link CaseStatus} rules. Safe to use while the
 * nightly run writes: the status only moves if it is still what the analyst's command saw (a conditional MERGE,
 * retried on conflicting commits), and the nightly merge never overwrites the analyst-owned columns.
 */
public final class CaseBook {
    /** What was recorded. */
    public record Recorded(String actionId, String incidentId, String action, CaseStatus before, CaseStatus after) {
        public boolean moved() {
            return before != after;
        }
    }

    private static final StructType STATUS_MOVE = StructType.fromDDL("incident_id STRING, status_before STRING, "
            + "status STRING, status_changed_at TIMESTAMP, status_changed_by STRING, closed_at TIMESTAMP, "
            + "lessons_learned STRING");

    private final ResultsStore store;

    public CaseBook(ResultsStore store) {
        this.store = store;
    }

    /** The incident's current row, read past any cached snapshot. */
    public Row incident(String incidentId) {
        store.refresh(ResultTables.INCIDENTS);
        return IncidentLookup.require(store, incidentId);
    }

    public CaseStatus status(Row incident) {
        return CaseStatus.parse(incident.getAs("status"));
    }

    /** {@code incident act}: one of the analyst's response actions. */
    public Recorded act(String incidentId, ActionKind kind, String analyst, String text) {
        requireAnalyst(analyst);
        Row incident = incident(incidentId);
        CaseStatus before = status(incident);
        CaseStatus after = kind.statusAfter(incidentId, before);
        return record(incidentId, kind.word(), analyst, text, before, after, null);
    }

    /** {@code incident close}: closes the case with its lessons learned. */
    public Recorded close(String incidentId, String analyst, String lessons) {
        requireAnalyst(analyst);
        if (lessons == null || lessons.isBlank()) {
            throw NightshiftException.usage("--lessons must say what was learned (it is kept with the case and "
                    + "feeds rule drafting)");
        }
        Row incident = incident(incidentId);
        CaseStatus before = status(incident);
        before.requireMove(incidentId, CaseStatus.CLOSED, "incident close");
        return record(incidentId, ActionKind.CLOSE, analyst, lessons, before, CaseStatus.CLOSED, lessons);
    }

    /**
     * A triage verdict's status move, recorded as a {@code triage} action: true_positive opens a new incident,
     * false_positive marks it so, benign and duplicate close it. The verdict itself goes to the triage table
     * (see {@link io.nightshift.jobs.cases.Triage}).
     */
    public Recorded verdict(String incidentId, String verdict, String analyst, String note) {
        requireAnalyst(analyst);
        Row incident = incident(incidentId);
        CaseStatus before = status(incident);
        CaseStatus target = CaseStatus.parse(Triage.statusAfter(verdict));
        // A true positive opens a new case; one already being worked stays where it is.
        CaseStatus after = target == CaseStatus.OPEN && before != CaseStatus.NEW ? before : target;
        if (after != before) {
            before.requireMove(incidentId, after, "verdict " + verdict);
        } else if (before.isFinal()) {
            throw NightshiftException.badInput("incident " + incidentId + " is " + before.word()
                    + ", which is final; a verdict can no longer change it");
        }
        String text = "verdict " + verdict + (note == null || note.isBlank() ? "" : ": " + note);
        return record(incidentId, ActionKind.TRIAGE, analyst, text, before, after, null);
    }

    private Recorded record(String incidentId, String action, String analyst, String text, CaseStatus before,
                            CaseStatus after, String lessons) {
        Timestamp now = Timestamp.from(Instant.now());
        if (after != before) {
            move(incidentId, before, after, analyst, now, lessons);
        }
        String actionId = "ACT-" + UUID.randomUUID();
        Row row = RowFactory.create(actionId, incidentId, action, analyst, text == null ? "" : text, before.word(),
                after.word(), now);
        store.append(ResultTables.INCIDENT_ACTIONS,
                store.spark().createDataFrame(List.of(row), ResultTables.INCIDENT_ACTIONS.schema()));
        return new Recorded(actionId, incidentId, action, before, after);
    }

    /** Moves the status only if nobody moved it since it was read; refuses, naming the new status, otherwise. */
    private void move(String incidentId, CaseStatus before, CaseStatus after, String analyst, Timestamp at,
                      String lessons) {
        Timestamp closedAt = after.isFinal() ? at : null;
        Row row = RowFactory.create(incidentId, before.word(), after.word(), at, analyst, closedAt, lessons);
        store.mergeWhere(ResultTables.INCIDENTS, store.spark().createDataFrame(List.of(row), STATUS_MOVE),
                "t.incident_id = s.incident_id AND t.status = s.status_before",
                "WHEN MATCHED THEN UPDATE SET t.status = s.status, t.status_changed_at = s.status_changed_at, "
                        + "t.status_changed_by = s.status_changed_by, "
                        + "t.closed_at = coalesce(s.closed_at, t.closed_at), "
                        + "t.lessons_learned = coalesce(s.lessons_learned, t.lessons_learned)");
        CaseStatus now = status(incident(incidentId));
        if (now != after) {
            throw NightshiftException.badInput("incident " + incidentId + " was moved to " + now.word()
                    + " by someone else while this command ran (it expected " + before.word() + "); nothing was "
                    + "recorded; look at it again (scripts/nightshift incident show " + incidentId + ")");
        }
    }

    private static void requireAnalyst(String analyst) {
        if (analyst == null || analyst.isBlank()) {
            throw NightshiftException.usage("--analyst must name who acted");
        }
    }
}
