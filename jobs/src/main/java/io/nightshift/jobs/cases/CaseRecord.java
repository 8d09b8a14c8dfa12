package io.nightshift.jobs.cases;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;

/**
 * The whole case record of one incident, gathered from every table that holds part of it, as ordered sections of
 * plain values (strings, numbers, lists, maps) that {@link CaseRecordFormat} prints as text, Markdown or JSON.
 */
public final class CaseRecord {
    /** Section titles, in the order a responder reads them. */
    public static final List<String> SECTIONS = List.of("incident", "ownership and escalation", "severity",
            "priority", "scope", "affected customers", "indicators", "related incidents", "findings",
            "actions taken", "triage verdicts", "evidence", "notifications", "recommended next steps",
            "lessons learned");

    private final Map<String, Object> sections;

    private CaseRecord(Map<String, Object> sections) {
        this.sections = sections;
    }

    public Map<String, Object> sections() {
        return sections;
    }

    public static CaseRecord load(ResultsStore store, String incidentId) {
        Row inc = new CaseBook(store).incident(incidentId);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("incident", fields(inc, "incident_id", "title", "status", "summary", "incident_version", "created_date",
                "updated_date", "first_seen", "last_seen", "status_changed_at", "status_changed_by", "closed_at"));
        s.put("ownership and escalation", fields(inc, "owner_team", "secondary_teams", "escalation_teams",
                "escalation_reasons"));
        s.put("severity", fields(inc, "severity", "severity_score", "severity_reasons"));
        s.put("priority", fields(inc, "priority", "priority_reasons", "functional_impact", "information_impact",
                "recoverability"));
        s.put("scope", fields(inc, "regions", "datacenters", "services", "farms", "hosts", "affected_tenant_count"));
        s.put("affected customers", rows(store, ResultTables.AFFECTED_CUSTOMERS, col("incident_id").equalTo(incidentId),
                "tenant_id", List.of("tenant_id", "tenant_name", "industry", "regulations", "event_count",
                        "first_seen", "last_seen")));
        List<String> indicators = new ArrayList<>();
        if (!inc.isNullAt(inc.fieldIndex("indicators"))) {
            for (Object o : inc.getList(inc.fieldIndex("indicators"))) {
                Row r = (Row) o;
                indicators.add(r.getString(0) + ": " + r.getString(1));
            }
        }
        s.put("indicators", indicators);
        List<String> related = list(inc, "related_incident_ids");
        s.put("related incidents", related.isEmpty() ? List.of() : rows(store, ResultTables.INCIDENTS,
                col("incident_id").isin(related.toArray()), "incident_id",
                List.of("incident_id", "status", "severity", "title")));
        List<String> findingIds = list(inc, "finding_ids");
        s.put("findings", findingIds.isEmpty() ? List.of() : rows(store, ResultTables.FINDINGS,
                col("finding_id").isin(findingIds.toArray()), "first_seen",
                List.of("finding_id", "detector", "detector_id", "title", "score", "severity", "first_seen",
                        "last_seen", "suppressed")));
        s.put("actions taken", rows(store, ResultTables.INCIDENT_ACTIONS, col("incident_id").equalTo(incidentId),
                "recorded_at", List.of("recorded_at", "analyst", "action", "status_before", "status_after", "text")));
        s.put("triage verdicts", rows(store, ResultTables.TRIAGE, col("incident_id").equalTo(incidentId),
                "recorded_at", List.of("recorded_at", "analyst", "verdict", "note", "suppress_until")));
        EvidenceVerifier.Result ev = new EvidenceVerifier(store).verify(incidentId);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("rows", ev.rows());
        evidence.put("manifest_sha256", ev.expectedManifest());
        evidence.put("verification", ev.rows() == 0 ? "no evidence rows preserved"
                : ev.ok() ? "intact: every row matches its SHA-256 and the manifest matches"
                : "ALTERED: the stored evidence no longer matches its hashes");
        if (!ev.tamperedRows().isEmpty()) {
            evidence.put("altered_rows", ev.tamperedRows());
        }
        s.put("evidence", evidence);
        s.put("notifications", rows(store, ResultTables.NOTIFICATIONS, col("incident_id").equalTo(incidentId),
                "created_at", List.of("sink", "incident_version", "status", "attempts", "last_error", "delivered_at",
                        "payload_sha256")));
        s.put("recommended next steps", list(inc, "recommended_actions"));
        Object lessons = value(inc, "lessons_learned");
        s.put("lessons learned", lessons == null ? "" : lessons);
        return new CaseRecord(s);
    }

    private static Map<String, Object> fields(Row row, String... names) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, value(row, n));
        }
        return m;
    }

    private static List<Map<String, Object>> rows(ResultsStore store, ResultTable table,
                                                  org.apache.spark.sql.Column where, String orderBy,
                                                  List<String> columns) {
        Dataset<Row> df = store.read(table).where(where).orderBy(col(orderBy));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : df.collectAsList()) {
            out.add(fields(r, columns.toArray(String[]::new)));
        }
        return out;
    }

    private static List<String> list(Row row, String name) {
        Object v = value(row, name);
        if (!(v instanceof List<?> l)) {
            return List.of();
        }
        return l.stream().map(String::valueOf).toList();
    }

    /** A column's value as a plain JSON-friendly value: timestamps as ISO instants, arrays as lists. */
    private static Object value(Row row, String name) {
        int i = row.fieldIndex(name);
        if (row.isNullAt(i)) {
            return null;
        }
        Object v = row.get(i);
        if (v instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof java.sql.Date d) {
            return d.toString();
        }
        if (v instanceof scala.collection.Seq<?> || v instanceof List<?>) {
            return row.getList(i).stream().map(String::valueOf).toList();
        }
        return v;
    }
}
