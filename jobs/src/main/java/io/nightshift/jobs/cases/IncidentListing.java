package io.nightshift.jobs.cases;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.base.SparkOrdering;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.StoredRow;
import io.nightshift.jobs.store.WarehouseTables;

/**
 * The incidents an analyst lists ({@code incident list}), most urgent first: by priority (P1 first), then severity
 * score (highest first), then id, the order the Spark query of earlier versions gave (nulls first by priority and
 * last by score). Read through Iceberg without Spark; the incidents table holds one row per incident, so a listing
 * reads a few thousand small rows at most.
 *
 * @param status   only this status; null for all
 * @param severity only this severity or higher; null for all
 * @param since    only incidents updated by a night on or after this date; null for all
 */
public record IncidentListing(CaseStatus status, Severity severity, LocalDate since) {
    /** The columns a listing shows, in order. */
    public static final List<String> COLUMNS = List.of("incident_id", "priority", "severity", "status", "owner_team",
            "updated_date", "title");

    private static final Comparator<StoredRow> MOST_URGENT_FIRST =
            Comparator.<StoredRow, Object>comparing(r -> r.get("priority"), SparkOrdering.ASCENDING)
                    .thenComparing(r -> r.get("severity_score"), SparkOrdering.ASCENDING.reversed())
                    .thenComparing(r -> r.get("incident_id"), SparkOrdering.ASCENDING);

    /** What a listing found: the rows shown (at most the limit) and how many matched. */
    public record Page(List<StoredRow> shown, long total) {
    }

    /** The first {@code limit} matching incidents, most urgent first. */
    public Page read(WarehouseTables tables, int limit) {
        if (limit < 0) {
            throw NightshiftException.usage("--limit must be 0 or more, got " + limit);
        }
        tables.require(ResultTables.INCIDENTS);
        List<String> columns = new ArrayList<>(COLUMNS);
        columns.add("severity_score");
        List<StoredRow> rows = new ArrayList<>(tables.read(ResultTables.INCIDENTS, filter(), columns));
        rows.sort(MOST_URGENT_FIRST);
        return new Page(List.copyOf(rows.subList(0, Math.min(limit, rows.size()))), rows.size());
    }

    /** A shown row's cells as {@code incident list} prints them: {@code -} for null, control characters escaped. */
    public static List<String> cells(StoredRow row) {
        return COLUMNS.stream().map(c -> row.get(c) == null ? "-" : CaseRecordFormat.plain(row.get(c))).toList();
    }

    private Expression filter() {
        Expression where = Expressions.alwaysTrue();
        if (status != null) {
            where = Expressions.and(where, Expressions.equal("status", status.word()));
        }
        if (severity != null) {
            List<String> atLeast = new ArrayList<>();
            for (Severity s : Severity.values()) {
                if (s.compareTo(severity) >= 0) {
                    atLeast.add(s.word());
                }
            }
            where = Expressions.and(where, Expressions.in("severity", atLeast.toArray()));
        }
        if (since != null) {
            where = Expressions.and(where, Expressions.greaterThanOrEqual("updated_date", since.toString()));
        }
        return where;
    }
}
