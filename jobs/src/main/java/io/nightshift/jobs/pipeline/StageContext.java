package io.nightshift.jobs.pipeline;

import java.time.LocalDate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.store.ResultsStore;

/**
 * What a stage gets: the date, the day's usable canonical rows (cached), the configuration, the store (to read
 * history) and the outputs staged so far (to read earlier stages' results and add its own).
 */
public record StageContext(SparkSession spark, NightshiftConfig config, ResultsStore store, LocalDate date,
                           Dataset<Row> logs, StagedOutputs outputs, Progress progress) {
}
