package io.nightshift.jobs.stage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.schema.ResultTable;

/**
 * Rows per result table, as stages return them: an immutable value. Several stages may add rows for the same table
 * (every detector adds findings): {@link #merged} unions them by column name, unless a later stage
 * {@link #replacing replaces} what was staged (the incident stage marks suppressed findings). {@link #notes} are what
 * the stages worked around (a rule left out, and why), which the run records in {@code job_runs.detail}.
 */
public final class StageOutputs {
    private static final StageOutputs EMPTY = new StageOutputs(Map.of(), Map.of(), List.of());

    private final Map<ResultTable, Dataset<Row>> rows;
    private final Map<ResultTable, Boolean> replaces;
    private final List<String> notes;

    private StageOutputs(Map<ResultTable, Dataset<Row>> rows, Map<ResultTable, Boolean> replaces,
                         List<String> notes) {
        this.rows = Collections.unmodifiableMap(rows);
        this.replaces = Collections.unmodifiableMap(replaces);
        this.notes = List.copyOf(notes);
    }

    /** These outputs with {@code note} added: one line saying what a stage left out or worked around, and why. */
    public StageOutputs withNote(String note) {
        List<String> n = new ArrayList<>(notes);
        n.add(note);
        return new StageOutputs(rows, replaces, n);
    }

    /** The stages' notes, in the order they were added. */
    public List<String> notes() {
        return notes;
    }

    public static StageOutputs empty() {
        return EMPTY;
    }

    public static StageOutputs of(ResultTable table, Dataset<Row> tableRows) {
        return EMPTY.and(table, tableRows);
    }

    /** These outputs with {@code tableRows} added to {@code table}'s. */
    public StageOutputs and(ResultTable table, Dataset<Row> tableRows) {
        Map<ResultTable, Dataset<Row>> r = new LinkedHashMap<>(rows);
        r.merge(table, tableRows, (a, b) -> a.unionByName(b, true));
        Map<ResultTable, Boolean> p = new LinkedHashMap<>(replaces);
        p.putIfAbsent(table, false);
        return new StageOutputs(r, p, notes);
    }

    /**
     * {@link #and} with {@code tableRows} computed now and their lineage cut. For a detector's findings: every
     * detector's plan otherwise meets in the incident stage's one union, whose adaptive re-planning after each
     * finished step grows with the plan's size, and the stage times would show the detectors' work where it is
     * forced instead of where it belongs.
     */
    public StageOutputs andComputed(ResultTable table, Dataset<Row> tableRows) {
        return and(table, tableRows.localCheckpoint(true));
    }

    /** These outputs where {@code table}'s rows are {@code tableRows}, replacing what earlier stages staged. */
    public StageOutputs replacing(ResultTable table, Dataset<Row> tableRows) {
        Map<ResultTable, Dataset<Row>> r = new LinkedHashMap<>(rows);
        r.put(table, tableRows);
        Map<ResultTable, Boolean> p = new LinkedHashMap<>(replaces);
        p.put(table, true);
        return new StageOutputs(r, p, notes);
    }

    /** The rows staged for {@code table}, or null when none were. */
    public Dataset<Row> get(ResultTable table) {
        return rows.get(table);
    }

    public Map<ResultTable, Dataset<Row>> tables() {
        return rows;
    }

    /** These outputs followed by a later stage's: added rows are unioned, replaced ones replace. */
    public StageOutputs merged(StageOutputs later) {
        List<String> n = new ArrayList<>(notes);
        n.addAll(later.notes);
        StageOutputs out = new StageOutputs(rows, replaces, n);
        for (var e : later.rows.entrySet()) {
            out = later.replaces.get(e.getKey()) ? out.replacing(e.getKey(), e.getValue())
                    : out.and(e.getKey(), e.getValue());
        }
        return out;
    }
}
