package io.nightshift.jobs.incidents;

import java.sql.Date;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

import io.nightshift.jobs.schema.ResultTables;

/** Builds {@code incidents} and {@code affected_customers} rows from assessed facts. */
public final class IncidentRecord {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private IncidentRecord() {
    }

    static StructType schema() {
        return ResultTables.INCIDENTS.schema();
    }

    static StructType affectedSchema() {
        return ResultTables.AFFECTED_CUSTOMERS.schema();
    }

    /** An array column of a stored incident as a list; empty when null (a row written before the column existed). */
    public static List<Object> listOf(Row r, String column) {
        int i = r.fieldIndex(column);
        return r.isNullAt(i) ? List.of() : r.getList(i);
    }

    /**
     * The incident's indicators as {@code type=value} keys, sorted: its signals' link keys and the log templates
     * they name. Stored as the {@code indicators} column; an open incident links to later findings on them.
     */
    static Set<String> indicatorKeys(List<Signal> signals) {
        Set<String> keys = new TreeSet<>();
        signals.forEach(s -> keys.addAll(s.linkKeys()));
        signals.forEach(s -> {
            String template = s.metadata().get("template_id");
            if (template != null) {
                keys.add("template=" + template);
            }
        });
        return keys;
    }

    static Row row(String id, Row old, IncidentFacts f, SeverityAssessor.Severity sev, PriorityAssessor.Priority prio,
                   List<String> actions, String evidenceHash, List<String> related, Escalation escalation,
                   LocalDate date) {
        // Status belongs to analysts once the incident exists (the table preserves it on merge); a new one is "new".
        String status = old == null ? "new" : old.getAs("status");
        Date created = old == null ? Date.valueOf(date) : old.getAs("created_date");
        Signal top = f.strongest();
        String title = top.title() + (f.signals().size() > 1 ? " (+" + (f.signals().size() - 1) + " related findings)" : "");
        List<Row> indicators = new ArrayList<>();
        for (String k : indicatorKeys(f.signals())) {
            int eq = k.indexOf('=');
            indicators.add(RowFactory.create(k.substring(0, eq), k.substring(eq + 1)));
        }
        List<String> findingIds = f.signals().stream().map(Signal::findingId).sorted().distinct().toList();
        List<String> fingerprints = f.signals().stream().map(Signal::fingerprint).sorted().distinct().toList();
        return RowFactory.create(id, status, title, summary(f), sev.level(), sev.score(), sev.reasons(),
                prio.priority(), prio.reasons(), prio.functionalImpact(), prio.informationImpact(),
                prio.recoverability(), f.firstSeen(), f.lastSeen(),
                List.copyOf(f.regions()), List.copyOf(f.datacenters()), List.copyOf(f.services()),
                List.copyOf(f.farms()), List.copyOf(f.hosts()), List.copyOf(f.tenants()), f.tenants().size(),
                indicators, findingIds, fingerprints, List.copyOf(f.detectors()), related, actions, evidenceHash,
                created, Date.valueOf(date), escalation.ownerTeam() == null ? Escalation.UNOWNED_FALLBACK
                        : escalation.ownerTeam(), escalation.secondaryTeams(), escalation.teams(),
                escalation.reasons(), version(old, date), null, null, null, null);
    }

    /**
     * 1 for a new incident; one more on each later night that changes it. Rerunning the night that wrote the stored
     * version (or an earlier one) keeps it, so a rerun never makes a new version to notify.
     */
    static int version(Row old, LocalDate date) {
        if (old == null) {
            return 1;
        }
        int v = old.isNullAt(old.fieldIndex("incident_version")) ? 1 : old.<Integer>getAs("incident_version");
        Date updated = old.getAs("updated_date");
        return updated != null && date.isAfter(updated.toLocalDate()) ? v + 1 : v;
    }

    /** One sentence: what, where, when, who. */
    static String summary(IncidentFacts f) {
        List<String> kinds = f.kinds().stream().map(k -> k.name().toLowerCase(Locale.ROOT).replace('_', ' ')).toList();
        StringBuilder sb = new StringBuilder();
        sb.append(capitalise(String.join(" and ", kinds)));
        List<String> where = new ArrayList<>();
        if (!f.services().isEmpty()) {
            where.add("service " + String.join(", ", f.services()));
        }
        if (!f.regions().isEmpty()) {
            where.add("in " + String.join(", ", f.regions()));
        }
        if (!f.users().isEmpty()) {
            where.add("user " + String.join(", ", limit(f.users())));
        }
        if (!f.ips().isEmpty()) {
            where.add("from " + String.join(", ", limit(f.ips())));
        }
        if (!f.hosts().isEmpty() && f.hosts().size() <= 3) {
            where.add("host " + String.join(", ", f.hosts()));
        }
        if (!where.isEmpty()) {
            sb.append(" (").append(String.join("; ", where)).append(")");
        }
        sb.append(": ").append(f.signals().size()).append(f.signals().size() == 1 ? " finding" : " findings")
                .append(" from ").append(String.join(", ", f.detectors()))
                .append(" between ").append(WHEN.format(f.firstSeen().toInstant()))
                .append(" and ").append(WHEN.format(f.lastSeen().toInstant())).append(" UTC");
        int tenants = f.tenants().size();
        sb.append("; ").append(tenants).append(tenants == 1 ? " tenant" : " tenants").append(" affected");
        List<String> names = f.tenants().stream().map(t -> {
            ReferenceData.Tenant info = f.reference().tenant(t);
            return info == null ? t : info.name();
        }).toList();
        if (tenants > 0 && tenants <= 3) {
            sb.append(" (").append(String.join(", ", names)).append(")");
        }
        sb.append(". Strongest signal: ").append(f.strongest().description());
        return sb.toString();
    }

    private static List<String> limit(Set<String> values) {
        List<String> l = new ArrayList<>(values);
        return l.size() <= 3 ? l : List.of(l.get(0), l.get(1), "and " + (l.size() - 2) + " more");
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static List<Row> affectedRows(List<Row> affected, ReferenceData reference) {
        List<Row> out = new ArrayList<>();
        for (Row r : affected) {
            ReferenceData.Tenant t = reference.tenant(r.getAs("tenant_id"));
            out.add(RowFactory.create(r.getAs("incident_id"), r.getAs("tenant_id"),
                    t == null ? null : t.name(), t == null ? null : t.industry(),
                    t == null ? List.of() : t.regulations(), r.getAs("first_seen"), r.getAs("last_seen"),
                    r.getAs("event_count")));
        }
        return out;
    }
}
