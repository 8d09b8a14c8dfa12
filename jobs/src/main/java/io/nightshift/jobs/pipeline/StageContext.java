package io.nightshift.jobs.pipeline;

import java.time.LocalDate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.store.ResultsStore;

/**
 * What a stage gets: the date, the day's usable canonical rows (cached), the configuration, the store (to read
 * history) and the outputs staged so far (to read earlier stages' results and add its own).
 *
 * @param logs the day's usable rows with exactly the canonical columns
 * @param day  the same cached rows with the columns stages added before caching ({@link Stage#beforeCache}); the
 *             canonical rows themselves when none did. Null in the context {@link Stage#beforeCache} gets.
 */
public record StageContext(SparkSession spark, NightshiftConfig config, ResultsStore store, LocalDate date,
                           Dataset<Row> logs, StagedOutputs outputs, Progress progress, Dataset<Row> day) {

    /** A context whose day's rows are the canonical ones: no stage added columns before caching. */
    public StageContext(SparkSession spark, NightshiftConfig config, ResultsStore store, LocalDate date,
                        Dataset<Row> logs, StagedOutputs outputs, Progress progress) {
        this(spark, config, store, date, logs, outputs, progress, logs);
    }
}
