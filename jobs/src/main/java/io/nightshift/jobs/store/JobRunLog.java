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

import io.nightshift.jobs.base.BuildVersion;
import io.nightshift.jobs.schema.ResultTables;

/**
 * Records runs in {@code job_runs}: a {@code running} row at start, replaced by the outcome at the end. A run
 * {@link #start started} here ends as {@code succeeded} or {@code failed} however it ends (see {@link JobRun}); a row
 * left {@code running} by a process that vanished (kill -9, a lost machine) is marked {@code abandoned} by the next
 * run of its date ({@link #abandonOrphans}).
 */
public final class JobRunLog {
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String ABANDONED = "abandoned";

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
     * Records a run as running and returns its handle, which records the end however the run ends: call
     * {@link JobRun#succeeded} or {@link JobRun#failed}, and close it in a {@code finally}.
     */
    public JobRun start(String runId, String command, LocalDate date) {
        return start(runId, command, date, null);
    }

    /** {@link #start(String, String, LocalDate)} with what the run does, recorded in {@code detail}. */
    public JobRun start(String runId, String command, LocalDate date, String detail) {
        Instant startedAt = Instant.now();
        store.append(ResultTables.JOB_RUNS, rows(runId, command, date, startedAt, null,
                new Outcome(RUNNING, 0, 0, 0, 0, Map.of(), Map.of(), null), detail));
        return new JobRun(this, runId, command, date, startedAt, detail);
    }

    /**
     * Marks the {@code running} rows of {@code date} other than {@code currentRunId} as {@code abandoned}: their
     * processes ended without recording an outcome. Called by a run that holds the warehouse lock, so no other run
     * of the warehouse is alive. A row whose run ends meanwhile keeps its outcome.
     *
     * @return the run ids marked
     */
    public List<String> abandonOrphans(LocalDate date, String currentRunId) {
        List<Row> orphans = store.read(ResultTables.JOB_RUNS)
                .where(col("status").equalTo(RUNNING).and(col("run_id").notEqual(currentRunId))
                        .and(col("logical_date").equalTo(lit(date.toString()).cast("date"))))
                .select("run_id").collectAsList();
        if (orphans.isEmpty()) {
            return List.of();
        }
        List<String> ids = orphans.stream().map(r -> r.getString(0)).toList();
        Timestamp now = Timestamp.from(Instant.now());
        String why = "the run ended without recording an outcome (its process was killed or lost); marked by run "
                + currentRunId;
        List<Row> updates = ids.stream().map(id -> RowFactory.create(id, ABANDONED, now, why)).toList();
        Dataset<Row> rows = store.spark().createDataFrame(updates, org.apache.spark.sql.types.StructType.fromDDL(
                "run_id STRING, status STRING, ended_at TIMESTAMP, error_message STRING"));
        store.updateColumnsWhere(ResultTables.JOB_RUNS, rows, List.of("run_id"),
                List.of("status", "ended_at", "error_message"), "t.status = '" + RUNNING + "'");
        return ids;
    }

    /**
     * Records a run as running. Run ids are new (they end in random hex), so this appends: a MERGE, the first query
     * of a night, took about 5 s of its start-up to find that nothing matched.
     */
    public void started(String runId, String command, LocalDate date, Instant startedAt) {
        store.append(ResultTables.JOB_RUNS, rows(runId, command, date, startedAt, null,
                new Outcome(RUNNING, 0, 0, 0, 0, Map.of(), Map.of(), null), null));
    }

    /** Replaces the run's row (or adds it, for a run that never recorded its start). */
    public void ended(String runId, String command, LocalDate date, Instant startedAt, Outcome outcome) {
        ended(runId, command, date, startedAt, outcome, null);
    }

    void ended(String runId, String command, LocalDate date, Instant startedAt, Outcome outcome, String detail) {
        store.upsert(ResultTables.JOB_RUNS, rows(runId, command, date, startedAt, Instant.now(), outcome, detail),
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
                              Outcome o, String detail) {
        SparkSession spark = store.spark();
        Row row = RowFactory.create(runId, command, date == null ? null : Date.valueOf(date), o.status(),
                Timestamp.from(startedAt), endedAt == null ? null : Timestamp.from(endedAt),
                o.inputRows(), o.quarantinedRows(), o.duplicateRows(), o.inputFiles(),
                scala.jdk.javaapi.CollectionConverters.asScala(o.stageCounts()),
                scala.jdk.javaapi.CollectionConverters.asScala(o.stageSeconds()),
                o.errorMessage(), BuildVersion.current(), spark.sparkContext().master(),
                spark.sparkContext().applicationId(), detail);
        return spark.createDataFrame(List.of(row), ResultTables.JOB_RUNS.schema());
    }
}
