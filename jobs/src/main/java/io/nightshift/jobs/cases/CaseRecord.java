package io.nightshift.jobs.cases;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.expressions.Expressions;

import io.nightshift.jobs.base.SparkOrdering;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.StoredRow;
import io.nightshift.jobs.store.WarehouseTables;

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

    /**
     * Where a record's rows come from. Values are plain, as {@link StoredRow} holds them; the warehouse read through
     * Iceberg ({@link #load(WarehouseTables, String)}) is the source commands use.
     */
    interface Source {
        /** Every column of the incident's row; throws (bad input) when there is none. */
        StoredRow incident(String incidentId);

        /**
         * The {@code columns} (and the {@code orderBy} ones) of the rows of {@code table} whose {@code column} is one
         * of {@code values}, sorted by {@code orderBy} ascending as Spark sorts (nulls first).
         */
        List<StoredRow> rows(ResultTable table, String column, Collection<String> values, List<String> orderBy,
                             List<String> columns);

        EvidenceVerifier.Result evidence(String incidentId);
    }

    private final Map<String, Object> sections;

    private CaseRecord(Map<String, Object> sections) {
        this.sections = sections;
    }

    public Map<String, Object> sections() {
        return sections;
    }

    /** The record read from the warehouse through Iceberg's Java API, without Spark. */
    public static CaseRecord load(WarehouseTables tables, String incidentId) {
        return load(new WarehouseSource(tables), incidentId);
    }

    static CaseRecord load(Source source, String incidentId) {
        StoredRow inc = source.incident(incidentId);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("incident", fields(inc, "incident_id", "title", "status", "summary", "incident_version", "created_date",
                "updated_date", "first_seen", "last_seen", "status_changed_at", "status_changed_by", "closed_at"));
        s.put("ownership and escalation", fields(inc, "owner_team", "secondary_teams", "escalation_teams",
                "escalation_reasons"));
        s.put("severity", fields(inc, "severity", "severity_score", "severity_reasons"));
        s.put("priority", fields(inc, "priority", "priority_reasons", "functional_impact", "information_impact",
                "recoverability"));
        s.put("scope", fields(inc, "regions", "datacenters", "services", "farms", "hosts", "affected_tenant_count"));
        List<String> self = List.of(incidentId);
        s.put("affected customers", rows(source, ResultTables.AFFECTED_CUSTOMERS, "incident_id", self,
                List.of("tenant_id"), List.of("tenant_id", "tenant_name", "industry", "regulations", "event_count",
                        "first_seen", "last_seen")));
        List<String> indicators = new ArrayList<>();
        for (Object o : inc.list("indicators")) {
            if (o instanceof StoredRow r) {
                indicators.add(r.string("type") + ": " + r.string("value"));
            }
        }
        s.put("indicators", indicators);
        List<String> related = list(inc, "related_incident_ids");
        s.put("related incidents", related.isEmpty() ? List.of() : rows(source, ResultTables.INCIDENTS,
                "incident_id", related, List.of("incident_id"), List.of("incident_id", "status", "severity", "title")));
        List<String> findingIds = list(inc, "finding_ids");
        // Ties in time are broken by id, so that the record prints the same on every read.
        s.put("findings", findingIds.isEmpty() ? List.of() : rows(source, ResultTables.FINDINGS, "finding_id",
                findingIds, List.of("first_seen", "finding_id"), List.of("finding_id", "detector", "detector_id",
                        "title", "score", "severity", "first_seen", "last_seen", "suppressed")));
        s.put("actions taken", rows(source, ResultTables.INCIDENT_ACTIONS, "incident_id", self,
                List.of("recorded_at", "action_id"), List.of("recorded_at", "analyst", "action", "status_before",
                        "status_after", "text")));
        s.put("triage verdicts", rows(source, ResultTables.TRIAGE, "incident_id", self,
                List.of("recorded_at", "triage_id"), List.of("recorded_at", "analyst", "verdict", "note",
                        "suppress_until")));
        EvidenceVerifier.Result ev = source.evidence(incidentId);
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
        s.put("notifications", rows(source, ResultTables.NOTIFICATIONS, "incident_id", self,
                List.of("created_at", "notification_id"), List.of("sink", "incident_version", "status", "attempts",
                        "last_error", "delivered_at", "payload_sha256")));
        s.put("recommended next steps", list(inc, "recommended_actions"));
        Object lessons = value(inc, "lessons_learned");
        s.put("lessons learned", lessons == null ? "" : lessons);
        return new CaseRecord(s);
    }

    private static Map<String, Object> fields(StoredRow row, String... names) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, value(row, n));
        }
        return m;
    }

    private static List<Map<String, Object>> rows(Source source, ResultTable table, String column,
                                                  Collection<String> values, List<String> orderBy,
                                                  List<String> columns) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (StoredRow r : source.rows(table, column, values, orderBy, columns)) {
            out.add(fields(r, columns.toArray(String[]::new)));
        }
        return out;
    }

    private static List<String> list(StoredRow row, String name) {
        Object v = value(row, name);
        if (!(v instanceof List<?> l)) {
            return List.of();
        }
        return l.stream().map(String::valueOf).toList();
    }

    /** A column's value as a plain JSON-friendly value: timestamps as ISO instants, dates as ISO dates. */
    private static Object value(StoredRow row, String name) {
        Object v = row.get(name);
        if (v instanceof Instant t) {
            return t.toString();
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return v;
    }

    /** The warehouse through Iceberg's Java API: each table read with the filter, sorted here as Spark sorts. */
    private record WarehouseSource(WarehouseTables tables) implements Source {
        @Override
        public StoredRow incident(String incidentId) {
            return IncidentLookup.require(tables, incidentId);
        }

        @Override
        public List<StoredRow> rows(ResultTable table, String column, Collection<String> values,
                                    List<String> orderBy, List<String> columns) {
            List<String> read = new ArrayList<>(columns);
            orderBy.stream().filter(c -> !read.contains(c)).forEach(read::add);
            List<StoredRow> rows = new ArrayList<>(tables.read(table, Expressions.in(column, values.toArray()), read));
            Comparator<StoredRow> order = null;
            for (String c : orderBy) {
                Comparator<StoredRow> by = Comparator.comparing(r -> r.get(c), SparkOrdering.ASCENDING);
                order = order == null ? by : order.thenComparing(by);
            }
            if (order != null) {
                rows.sort(order);
            }
            return rows;
        }

        @Override
        public EvidenceVerifier.Result evidence(String incidentId) {
            return new EvidenceVerifier(tables).verify(incidentId);
        }
    }
}
