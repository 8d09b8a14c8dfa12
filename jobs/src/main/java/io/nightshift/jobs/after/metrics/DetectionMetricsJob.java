package io.nightshift.jobs.after.metrics;

import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.base.Failures;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.MetricsConfig;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Recomputes {@code detection_metrics} from the warehouse ({@link DetectionMetrics}) and upserts it on
 * {@code (detector, detector_id)}, in one MERGE commit retried on conflict (analysts write triage and actions at any
 * time). The table has one row per detector and rule, so the result is small enough to print.
 */
public final class DetectionMetricsJob {
    private DetectionMetricsJob() {
    }

    /** Computes, writes and returns the rows (flagged ones first, then by detector and id). */
    public static List<Row> run(ResultsStore store, MetricsConfig config) {
        Dataset<Row> metrics = new DetectionMetrics(config).compute(store.read(ResultTables.FINDINGS),
                store.read(ResultTables.INCIDENTS), store.read(ResultTables.TRIAGE),
                store.read(ResultTables.INCIDENT_ACTIONS), store.read(ResultTables.JOB_RUNS),
                Timestamp.from(Instant.now()));
        // Computed once: the same rows are written and returned.
        List<Row> rows = metrics.orderBy(metrics.col("flagged_for_review").desc(), metrics.col("detector"),
                metrics.col("detector_id")).collectAsList();
        ResultTable table = ResultTables.DETECTION_METRICS;
        store.upsert(table, store.spark().createDataFrame(rows, metrics.schema()), table.keys());
        return rows;
    }

    /**
     * The recompute after a successful nightly run. A failure is printed to {@code err} as a warning naming the
     * command that retries it; it never reaches the caller, whose night is already published.
     */
    public static void afterRun(ResultsStore store, MetricsConfig config, Progress progress, PrintStream err) {
        try {
            List<Row> rows = run(store, config);
            long flagged = rows.stream().filter(r -> r.<Boolean>getAs("flagged_for_review")).count();
            progress.line(String.format("%-18s %d detectors and rules, %d flagged for review", "detection-metrics",
                    rows.size(), flagged));
        } catch (Exception e) {
            // Any failure, including Spark's undeclared AnalysisException: the night has succeeded regardless.
            err.println("nightshift: warning: the run succeeded and its tables are published, but detection_metrics "
                    + "was not recomputed: " + Failures.innermost(e) + ". Retry it with: scripts/nightshift metrics");
            err.flush();
        }
    }
}
