package io.nightshift.jobs.stage;

import java.time.LocalDate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.base.Progress;

/**
 * What a stage sees of the night it runs in.
 *
 * @param date    the logical date
 * @param logs    the day's usable rows with exactly the canonical columns (cached)
 * @param day     the same cached rows with the columns stages added before caching ({@link Stage#beforeCache})
 * @param history the earlier nights' tables the stage declared ({@link Stage#reads()})
 * @param staged  what the stages before this one produced
 */
public record Night(SparkSession spark, LocalDate date, Dataset<Row> logs, Dataset<Row> day, History history,
                    StageOutputs staged, Progress progress) {

    /** The same night as the next stage sees it: its own history and everything staged so far. */
    public Night next(History nextHistory, StageOutputs nowStaged) {
        return new Night(spark, date, logs, day, nextHistory, nowStaged, progress);
    }
}
