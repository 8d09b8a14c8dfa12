package io.nightshift.jobs.cases;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Records an analyst's verdict on an incident and moves the incident's status accordingly. A false-positive
 * verdict carries the incident's fingerprints and a suppression end date, which the nightly run honours.
 */
public final class Triage {
    public static final List<String> VERDICTS = List.of("true_positive", "false_positive", "benign", "duplicate");

    private final ResultsStore store;
    private final int falsePositiveDays;

    public Triage(ResultsStore store, int falsePositiveDays) {
        this.store = store;
        this.falsePositiveDays = falsePositiveDays;
    }

    /** The status a verdict leads to. */
    public static String statusAfter(String verdict) {
        return switch (verdict) {
            case "true_positive" -> "open";
            case "false_positive" -> "false_positive";
            case "benign", "duplicate" -> "closed";
            default -> throw NightshiftException.usage("unknown verdict '" + verdict + "'; verdicts are " + VERDICTS);
        };
    }

    /** Records the verdict and moves the status (refused, with nothing written, when the move is illegal). */
    public String record(String incidentId, String verdict, String analyst, String note) {
        statusAfter(verdict);
        CaseBook cases = new CaseBook(store);
        cases.verdict(incidentId, verdict, analyst, note);
        Row incident = cases.incident(incidentId);
        Instant now = Instant.now();
        LocalDate until = now.atZone(ZoneOffset.UTC).toLocalDate().plusDays(falsePositiveDays);
        String triageId = "TRI-" + UUID.randomUUID();
        Row triage = RowFactory.create(triageId, incidentId, verdict, analyst, note, Timestamp.from(now),
                incident.getList(incident.fieldIndex("fingerprints")),
                "false_positive".equals(verdict) ? Date.valueOf(until) : null);
        store.append(ResultTables.TRIAGE, store.spark().createDataFrame(List.of(triage), ResultTables.TRIAGE.schema()));
        return triageId;
    }
}
