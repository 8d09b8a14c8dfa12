package io.nightshift.jobs.pipeline;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.stage.StageOutputs;
import io.nightshift.jobs.store.ResultsStore;

/**
 * A night's results, computed and held (persisted) before anything is written, then published: the one place of a
 * night that writes result tables. Publishing only starts once every stage has succeeded, so a stage that fails
 * leaves the result tables exactly as they were.
 */
public final class StagedOutputs {
    private final Map<ResultTable, Dataset<Row>> outputs = new LinkedHashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    /** @param staged every stage's outputs, merged in stage order */
    public StagedOutputs(StageOutputs staged) {
        outputs.putAll(staged.tables());
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
