package io.nightshift.jobs.store;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.cli.BuildVersion;

/** Records runs in {@code job_runs}: a {@code running} row at start, replaced by the outcome at the end. */
public final class JobRunLog {
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    private final ResultsStore store;

    public JobRunLog(ResultsStore store) {
        this.store = store;
    }

    /** What a run reports when it ends. */
    public record Outcome(String status, long inputRows, long quarantinedRows, long duplicateRows, long inputFiles,
                          Map<String, Long> stageCounts, Map<String, Double> stageSeconds, String errorMessage) {
        public static Outcome failed(String error, Map<String, Double> stageSeconds) {
            return new Outcome(FAILED, 0, 0, 0, 0, Map.of(), stageSeconds, error);
        }
    }

    /**
     * Records a run as running. Run ids are new (they end in random hex), so this appends: a MERGE, the first query
     * of a night, took about 5 s of its start-up to find that nothing matched.
     */
    public void started(String runId, String command, LocalDate date, Instant startedAt) {
        store.append(ResultTables.JOB_RUNS, rows(runId, command, date, startedAt, null,
                new Outcome(RUNNING, 0, 0, 0, 0, Map.of(), Map.of(), null)));
    }

    /** Replaces the run's row (or adds it, for a run that never recorded its start). */
    public void ended(String runId, String command, LocalDate date, Instant startedAt, Outcome outcome) {
        store.upsert(ResultTables.JOB_RUNS, rows(runId, command, date, startedAt, Instant.now(), outcome),
                List.of("run_id"));
    }

    /** True when a run of {@code command} for {@code date} has succeeded before (backfill skips those dates). */
    public boolean hasSucceeded(String command, LocalDate date) {
        return store.read(ResultTables.JOB_RUNS)
                .where(col("command").equalTo(command).and(col("status").equalTo(SUCCEEDED))
                        .and(col("logical_date").equalTo(lit(date.toString()).cast("date"))))
                .limit(1).count() > 0;
    }

    private Dataset<Row> rows(String runId, String command, LocalDate date, Instant startedAt, Instant endedAt,
                              Outcome o) {
        SparkSession spark = store.spark();
        Row row = RowFactory.create(runId, command, date == null ? null : Date.valueOf(date), o.status(),
                Timestamp.from(startedAt), endedAt == null ? null : Timestamp.from(endedAt),
                o.inputRows(), o.quarantinedRows(), o.duplicateRows(), o.inputFiles(),
                scala.jdk.javaapi.CollectionConverters.asScala(o.stageCounts()),
                scala.jdk.javaapi.CollectionConverters.asScala(o.stageSeconds()),
                o.errorMessage(), BuildVersion.current(), spark.sparkContext().master(),
                spark.sparkContext().applicationId());
        return spark.createDataFrame(List.of(row), ResultTables.JOB_RUNS.schema());
    }
}
