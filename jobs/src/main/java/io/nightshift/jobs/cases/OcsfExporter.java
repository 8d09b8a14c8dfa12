package io.nightshift.jobs.cases;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nightshift.jobs.incidents.IncidentRecord;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Writes a night's incidents and findings as OCSF 1.3 events, one JSON object per line: Incident Finding
 * (class 2005) per incident updated that night and Detection Finding (class 2004) per finding, for forwarding to
 * another SIEM or SOAR. {@link #incidentJson} is also the body of an incident's notification.
 */
public final class OcsfExporter {
    static final String OCSF_VERSION = "1.3.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ResultsStore store;

    public OcsfExporter(ResultsStore store) {
        this.store = store;
    }

    /** @return the number of events written */
    public long export(LocalDate date, Writer out) {
        long n = 0;
        var day = lit(date.toString()).cast("date");
        Iterator<Row> incidents = store.read(ResultTables.INCIDENTS).where(col("updated_date").equalTo(day))
                .orderBy("incident_id").toLocalIterator();
        while (incidents.hasNext()) {
            write(out, incidentJson(incidents.next()));
            n++;
        }
        Iterator<Row> findings = store.read(ResultTables.FINDINGS).where(col("date").equalTo(day))
                .orderBy("finding_id").toLocalIterator();
        while (findings.hasNext()) {
            write(out, json(detection(findings.next())));
            n++;
        }
        return n;
    }

    /**
     * One incident row as one line of OCSF JSON. Deterministic: fields in a fixed order and nothing from the clock,
     * so the same row always gives the same bytes, and a notification's SHA-256 identifies what was sent.
     */
    public static String incidentJson(Row incident) {
        return json(incident(incident));
    }

    private static String json(ObjectNode event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Writer out, String line) {
        try {
            out.write(line);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int severityId(String severity) {
        return switch (severity == null ? "" : severity) {
            case "informational" -> 1;
            case "low" -> 2;
            case "medium" -> 3;
            case "high" -> 4;
            case "critical" -> 5;
            default -> 0;
        };
    }

    private static ObjectNode base(int classUid, String className, long time) {
        ObjectNode e = JSON.createObjectNode();
        e.put("category_uid", 2).put("category_name", "Findings")
                .put("class_uid", classUid).put("class_name", className)
                .put("activity_id", 1).put("activity_name", "Create")
                .put("type_uid", classUid * 100 + 1).put("time", time);
        ObjectNode meta = e.putObject("metadata");
        meta.put("version", OCSF_VERSION);
        meta.putObject("product").put("name", "Nightshift").put("vendor_name", "Nightshift");
        return e;
    }

    static ObjectNode incident(Row r) {
        Timestamp last = r.getAs("last_seen");
        ObjectNode e = base(2005, "Incident Finding", last == null ? 0 : last.getTime());
        String severity = r.getAs("severity");
        e.put("severity_id", severityId(severity)).put("severity", severity);
        String priority = r.getAs("priority");
        e.put("priority", priority).put("priority_id", priority == null ? 0 : 5 - Integer.parseInt(priority.substring(1)));
        e.put("status", (String) r.getAs("status"));
        e.put("desc", (String) r.getAs("summary"));
        e.put("impact", (String) r.getAs("functional_impact"));
        ObjectNode info = e.putObject("finding_info");
        info.put("uid", (String) r.getAs("incident_id")).put("title", (String) r.getAs("title"));
        putTime(info, "first_seen_time", r.getAs("first_seen"));
        putTime(info, "last_seen_time", last);
        ArrayNode list = e.putArray("finding_info_list");
        for (Object id : IncidentRecord.listOf(r, "finding_ids")) {
            list.addObject().put("uid", String.valueOf(id));
        }
        ArrayNode observables = e.putArray("observables");
        for (Object o : IncidentRecord.listOf(r, "indicators")) {
            Row ind = (Row) o;
            observables.addObject().put("name", ind.getString(0)).put("value", ind.getString(1))
                    .put("type_id", observableType(ind.getString(0)));
        }
        ObjectNode unmapped = e.putObject("unmapped");
        unmapped.put("severity_score", (Double) r.getAs("severity_score"));
        strings(unmapped.putArray("severity_reasons"), IncidentRecord.listOf(r, "severity_reasons"));
        strings(unmapped.putArray("priority_reasons"), IncidentRecord.listOf(r, "priority_reasons"));
        unmapped.put("information_impact", (String) r.getAs("information_impact"))
                .put("recoverability", (String) r.getAs("recoverability"))
                .put("evidence_sha256", (String) r.getAs("evidence_sha256"));
        strings(unmapped.putArray("tenants"), IncidentRecord.listOf(r, "tenants"));
        strings(unmapped.putArray("recommended_actions"), IncidentRecord.listOf(r, "recommended_actions"));
        // Who the incident is for, and which version of it this is (a notification is sent per version).
        unmapped.put("incident_version", (Integer) r.getAs("incident_version"))
                .put("owner_team", (String) r.getAs("owner_team"));
        strings(unmapped.putArray("secondary_teams"), IncidentRecord.listOf(r, "secondary_teams"));
        strings(unmapped.putArray("escalation_teams"), IncidentRecord.listOf(r, "escalation_teams"));
        return e;
    }

    static ObjectNode detection(Row r) {
        Timestamp last = r.getAs("last_seen");
        ObjectNode e = base(2004, "Detection Finding", last == null ? 0 : last.getTime());
        String severity = r.getAs("severity");
        e.put("severity_id", severityId(severity)).put("severity", severity);
        Boolean suppressed = r.getAs("suppressed");
        e.put("status", Boolean.TRUE.equals(suppressed) ? "Suppressed" : "New");
        e.put("risk_score", (Double) r.getAs("score"));
        ObjectNode info = e.putObject("finding_info");
        info.put("uid", (String) r.getAs("finding_id")).put("title", (String) r.getAs("title"))
                .put("desc", (String) r.getAs("description"));
        putTime(info, "first_seen_time", r.getAs("first_seen"));
        putTime(info, "last_seen_time", last);
        info.putObject("analytic").put("uid", (String) r.getAs("detector_id"))
                .put("name", (String) r.getAs("detector")).put("type_id", 1).put("type", "Rule");
        String tactic = r.getAs("mitre_tactic");
        if (tactic != null) {
            ObjectNode attack = info.putArray("attacks").addObject();
            attack.putObject("tactic").put("uid", tactic);
            String technique = r.getAs("mitre_technique");
            if (technique != null) {
                attack.putObject("technique").put("uid", technique);
            }
        }
        ArrayNode observables = e.putArray("observables");
        for (var kv : Map.of("src_ip", "ip", "user", "user", "host", "host", "tenant_id", "tenant").entrySet()) {
            String v = r.getAs(kv.getKey());
            if (v != null) {
                observables.addObject().put("name", kv.getKey()).put("value", v).put("type_id", observableType(kv.getValue()));
            }
        }
        return e;
    }

    /** OCSF observable type ids: 1 hostname, 2 IP address, 4 user name, 99 other. */
    static int observableType(String type) {
        return switch (type) {
            case "host" -> 1;
            case "ip" -> 2;
            case "user" -> 4;
            default -> 99;
        };
    }

    private static void putTime(ObjectNode node, String field, Timestamp ts) {
        if (ts != null) {
            node.put(field, ts.getTime());
        }
    }

    private static void strings(ArrayNode array, List<Object> values) {
        values.forEach(v -> array.add(String.valueOf(v)));
    }
}
