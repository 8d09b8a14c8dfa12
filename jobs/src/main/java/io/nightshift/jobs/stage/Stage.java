package io.nightshift.jobs.stage;

import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.schema.ResultTable;

/**
 * One step of the nightly run, as a function: the night (the day's rows, the history the stage declared, what the
 * stages before it produced) in, its outputs out. A stage never reads the store or writes a table: the pipeline
 * reads the declared history before any stage runs and publishes everything after the last one, so a failing stage
 * leaves nothing behind.
 */
public interface Stage {
    String name();

    /** The result tables of earlier nights this stage reads through {@link Night#history()}; none by default. */
    default Set<ResultTable> reads() {
        return Set.of();
    }

    /**
     * Columns to add to the day's usable rows before they are cached, computed in the pass that reads the lake and
     * kept with the rows for {@link #run} ({@link Night#day()}): work over every row of the day that would otherwise
     * read the cache and write a copy of it. The rows as they are by default.
     *
     * @param usable the day's usable rows, canonical columns and those earlier stages added
     */
    default Dataset<Row> beforeCache(Dataset<Row> usable) {
        return usable;
    }

    /** This stage's results for the night: rows per result table, planned or computed, never written. */
    StageOutputs run(Night night);
}
