package io.nightshift.jobs.pipeline;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One step of the nightly run. A stage reads the day's canonical rows (and, through the store, earlier days'
 * results) and adds its results to {@link StagedOutputs}; it never writes a table itself, so a failing stage
 * leaves nothing behind.
 */
public interface Stage {
    String name();

    void run(StageContext context);

    /**
     * Columns to add to the day's usable rows before they are cached, computed in the pass that reads the lake and
     * kept with the rows for {@link #run} ({@link StageContext#day()}): work over every row of the day that would
     * otherwise read the cache and write a copy of it. Called once, before any stage runs, with a context that has
     * no rows yet; the rows as they are by default.
     *
     * @param usable the day's usable rows, canonical columns and those earlier stages added
     */
    default Dataset<Row> beforeCache(StageContext context, Dataset<Row> usable) {
        return usable;
    }
}
