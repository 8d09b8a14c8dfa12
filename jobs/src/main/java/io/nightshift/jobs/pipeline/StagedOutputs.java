package io.nightshift.jobs.pipeline;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.tables.ResultTable;

/**
 * A run's results, computed and held (persisted) before anything is written. Publishing only starts once every
 * stage has succeeded, so a stage that fails leaves the result tables exactly as they were. Several stages may add
 * rows for the same table (every detector adds findings); they are unioned by column name.
 */
public final class StagedOutputs {
    private final Map<ResultTable, Dataset<Row>> outputs = new LinkedHashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    public void add(ResultTable table, Dataset<Row> rows) {
        outputs.merge(table, rows, (a, b) -> a.unionByName(b, true));
    }

    /**
     * Computes {@code rows} now, cutting their lineage, and stages them. For a detector's findings: every detector's
     * plan otherwise meets in the incident stage's one union, whose adaptive re-planning after each finished step
     * grows with the plan's size, and the stage times would show the detectors' work where it is forced instead of
     * where it belongs.
     */
    public void addComputed(ResultTable table, Dataset<Row> rows) {
        add(table, rows.localCheckpoint(true));
    }

    public Dataset<Row> get(ResultTable table) {
        return outputs.get(table);
    }

    /** Replaces what is staged for {@code table} (a later stage refining earlier rows, e.g. marking suppression). */
    public void replace(ResultTable table, Dataset<Row> rows) {
        outputs.put(table, rows);
    }

    /** Computes and caches every output, recording its row count. */
    public Map<String, Long> materialize() {
        for (var e : outputs.entrySet()) {
            long start = System.nanoTime();
            // Stages cache what they read again themselves (the hourly trend tables); persisting those twice only
            // makes Spark warn.
            Dataset<Row> staged = e.getValue();
            Dataset<Row> cached = staged.storageLevel().useMemory() || staged.storageLevel().useDisk() ? staged
                    : staged.persist(StorageLevel.MEMORY_AND_DISK());
            e.setValue(cached);
            counts.put(e.getKey().name(), cached.count());
            seconds.put(e.getKey().name(), Progress.seconds(start));
        }
        return counts;
    }

    /**
     * Wall time of computing each table in {@link #materialize}, in order: tables computed later reuse what earlier
     * ones cached, so a table's figure is what it cost beyond those before it.
     */
    public Map<String, Double> computeSeconds() {
        return java.util.Collections.unmodifiableMap(seconds);
    }

    /** Writes each table the way its {@link ResultTable.WriteMode} says, one Iceberg commit per table. */
    public void publish(ResultsStore store, LocalDate date) {
        for (var e : outputs.entrySet()) {
            ResultTable t = e.getKey();
            switch (t.writeMode()) {
                case REPLACE_DATE -> store.replaceDate(t, date, e.getValue());
                case MERGE -> store.upsert(t, e.getValue(), t.keys());
                case INSERT_NEW -> store.insertNew(t, e.getValue(), t.keys());
            }
        }
    }

    public void release() {
        outputs.values().forEach(Dataset::unpersist);
    }

    public Map<String, Long> counts() {
        return Map.copyOf(counts);
    }
}
