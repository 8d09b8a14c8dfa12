package io.nightshift.jobs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.stage.History;
import io.nightshift.jobs.stage.Night;
import io.nightshift.jobs.stage.StageOutputs;

/** Nights for stage tests: a day of rows, history as small in-memory tables, nothing staged before. */
public final class TestNights {
    private TestNights() {
    }

    /** A night of {@code logs} with no history (a stage that reads any fails) and nothing staged. */
    public static Night of(SparkSession spark, LocalDate date, Dataset<Row> logs, Progress progress) {
        return new Night(spark, date, logs, logs, history(Map.of()), StageOutputs.empty(), progress);
    }

    /** {@link #of} with its progress lines thrown away. */
    public static Night of(SparkSession spark, LocalDate date, Dataset<Row> logs) {
        return of(spark, date, logs, new Progress(new PrintStream(new ByteArrayOutputStream()), "test"));
    }

    /** History holding exactly {@code tables}. */
    public static History history(Map<ResultTable, Dataset<Row>> tables) {
        return table -> {
            Dataset<Row> rows = tables.get(table);
            if (rows == null) {
                throw new IllegalStateException("no history of " + table.name() + " in this test");
            }
            return rows;
        };
    }
}
