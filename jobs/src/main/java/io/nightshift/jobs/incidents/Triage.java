package io.nightshift.jobs.incidents;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import io.nightshift.jobs.cli.NightshiftException;
import io.nightshift.jobs.store.ResultTables;
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

    public String record(String incidentId, String verdict, String analyst, String note) {
        String status = statusAfter(verdict);
        Row incident = IncidentLookup.require(store, incidentId);
        Instant now = Instant.now();
        LocalDate until = now.atZone(ZoneOffset.UTC).toLocalDate().plusDays(falsePositiveDays);
        String triageId = "TRI-" + UUID.randomUUID();
        Row triage = RowFactory.create(triageId, incidentId, verdict, analyst, note, Timestamp.from(now),
                incident.getList(incident.fieldIndex("fingerprints")),
                "false_positive".equals(verdict) ? Date.valueOf(until) : null);
        store.append(ResultTables.TRIAGE, store.spark().createDataFrame(List.of(triage), ResultTables.TRIAGE.schema()));
        // Only the status changes; a MERGE on the id, so a concurrent nightly commit is retried, not lost.
        store.spark().createDataFrame(List.of(RowFactory.create(incidentId, status)),
                org.apache.spark.sql.types.StructType.fromDDL("incident_id STRING, status STRING"))
                .createOrReplaceTempView("nightshift_triage_status");
        store.spark().sql("MERGE INTO " + store.fullName(ResultTables.INCIDENTS) + " t USING nightshift_triage_status s"
                + " ON t.incident_id = s.incident_id WHEN MATCHED THEN UPDATE SET t.status = s.status");
        return triageId;
    }
}
