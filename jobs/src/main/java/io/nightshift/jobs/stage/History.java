package io.nightshift.jobs.stage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.schema.ResultTable;

/**
 * The result tables of earlier nights, as a stage declared it reads them ({@link Stage#reads()}). The port the
 * stages read history through; the store implements it, tests hand stages small in-memory tables.
 */
public interface History {
    /**
     * All rows of {@code table} as the warehouse held them before the night's stages ran.
     *
     * @throws IllegalStateException when the stage did not declare it reads {@code table}
     */
    Dataset<Row> read(ResultTable table);

    /** Rows of a date-partitioned {@code table} for dates in [from, to]. */
    default Dataset<Row> dates(ResultTable table, LocalDate from, LocalDate to) {
        return read(table).where(col("date").between(lit(from.toString()).cast("date"),
                lit(to.toString()).cast("date")));
    }
}
