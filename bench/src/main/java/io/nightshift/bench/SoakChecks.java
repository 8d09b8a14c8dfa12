package io.nightshift.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.after.maintenance.MaintenanceJob;
import io.nightshift.jobs.pipeline.NightlyPipeline;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.JobRunLog;
import io.nightshift.jobs.store.ResultsStore;

/**
 * What a soak checks in the warehouse after each night, from the tables themselves: every processed date has
 * exactly one successful run, no finding or incident id appears twice, each date's {@code trend_hourly} rows are as
 * many as its run recorded in {@code job_runs.stage_counts}, and the night's maintenance succeeded. Everything read
 * is aggregated to at most a row per processed date before it reaches the driver.
 */
final class SoakChecks {
    /** The maintenance that followed a night, as {@code job_runs} recorded it. */
    record Maintenance(Instant startedAt, Duration took, String status, String error) {
        boolean succeeded() {
            return JobRunLog.SUCCEEDED.equals(status);
        }
    }

    private final ResultsStore store;

    SoakChecks(ResultsStore store) {
        this.store = store;
    }

    /** Problems in words; empty when the warehouse is consistent for every date in {@code processed}. */
    List<String> consistency(List<LocalDate> processed) {
        List<String> problems = new ArrayList<>();
        Column dates = col("logical_date").isin(processed.stream().map(Date::valueOf).toArray());
        Map<LocalDate, Row> runs = byDate(store.read(ResultTables.JOB_RUNS)
                .where(col("command").equalTo(NightlyPipeline.COMMAND)
                        .and(col("status").equalTo(JobRunLog.SUCCEEDED)).and(dates))
                .groupBy("logical_date")
                .agg(count(lit(1)).as("runs"), max_by(element_at(col("stage_counts"),
                        lit(ResultTables.TREND_HOURLY.name())), col("started_at")).as("recorded")));
        Map<LocalDate, Row> trendRows = byDate(store.read(ResultTables.TREND_HOURLY)
                .where(col("date").isin(processed.stream().map(Date::valueOf).toArray()))
                .groupBy(col("date").as("logical_date")).count());
        for (LocalDate d : processed) {
            Row run = runs.get(d);
            long succeeded = run == null ? 0 : run.getLong(1);
            if (succeeded != 1) {
                problems.add(d + " has " + succeeded + " succeeded runs in job_runs, expected exactly 1");
                continue;
            }
            long recorded = run.isNullAt(2) ? -1 : run.getLong(2);
            long actual = trendRows.containsKey(d) ? trendRows.get(d).getLong(1) : 0;
            if (recorded != actual) {
                problems.add("trend_hourly holds " + actual + " rows of " + d + ", its run recorded " + recorded);
            }
        }
        duplicates(ResultTables.FINDINGS, "finding_id").ifPresent(problems::add);
        duplicates(ResultTables.INCIDENTS, "incident_id").ifPresent(problems::add);
        return problems;
    }

    private static Map<LocalDate, Row> byDate(Dataset<Row> perDate) {
        Map<LocalDate, Row> rows = new HashMap<>();
        perDate.collectAsList().forEach(r -> rows.put(r.getDate(0).toLocalDate(), r));
        return rows;
    }

    private Optional<String> duplicates(ResultTable table, String key) {
        Dataset<Row> repeated = store.read(table).groupBy(key).count().where(col("count").gt(1));
        long n = repeated.count();
        return n == 0 ? Optional.empty()
                : Optional.of(table.name() + " has " + n + " " + key + " values on more than one row, e.g. "
                        + repeated.first().get(0));
    }

    /** The latest maintenance recorded for {@code night}, if any. */
    Optional<Maintenance> maintenance(LocalDate night) {
        List<Row> rows = store.read(ResultTables.JOB_RUNS)
                .where(col("command").equalTo(MaintenanceJob.COMMAND)
                        .and(col("logical_date").equalTo(lit(Date.valueOf(night)))))
                .orderBy(col("started_at").desc()).limit(1)
                .select("started_at", "ended_at", "status", "error_message").collectAsList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Row r = rows.get(0);
        Instant started = r.<Timestamp>getAs(0).toInstant();
        Duration took = r.isNullAt(1) ? Duration.ZERO : Duration.between(started, r.<Timestamp>getAs(1).toInstant());
        return Optional.of(new Maintenance(started, took, r.getString(2), r.getString(3)));
    }

    /** Model versions registered so far: a night that trains one is slower, and says so. */
    long models() {
        return store.read(ResultTables.MODEL_REGISTRY).count();
    }
}
