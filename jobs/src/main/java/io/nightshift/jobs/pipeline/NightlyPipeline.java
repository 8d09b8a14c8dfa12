package io.nightshift.jobs.pipeline;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.lake.CanonicalSchema;
import io.nightshift.jobs.lake.LakeInput;
import io.nightshift.jobs.lake.LakeProfile;
import io.nightshift.jobs.lake.LakeReader;
import io.nightshift.jobs.store.JobRun;
import io.nightshift.jobs.store.JobRunLog;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.tables.ResultTables;

/**
 * The nightly run for one logical date: read the lake, run every stage, and only then publish all results. Each
 * table's rows for the date are replaced in one commit, so reruns are idempotent; a failure before publishing
 * leaves every table as it was, and job_runs records the failure.
 */
public final class NightlyPipeline {
    public static final String COMMAND = "run";

    private final SparkSession spark;
    private final NightshiftConfig config;
    private final ResultsStore store;
    private final List<Stage> stages;
    private final Progress progress;

    public NightlyPipeline(SparkSession spark, NightshiftConfig config, ResultsStore store, List<Stage> stages,
                           Progress progress) {
        this.spark = spark;
        this.config = config;
        this.store = store;
        this.stages = List.copyOf(stages);
        this.progress = progress;
    }

    /** The result of one date's run, for the caller to print. */
    public record RunSummary(String runId, LocalDate date, long inputRows, long quarantinedRows,
                             Map<String, Long> tableCounts) {
    }

    public RunSummary run(LocalDate date) {
        String runId = date + "-" + UUID.randomUUID().toString().substring(0, 8);
        JobRunLog runs = new JobRunLog(store);
        JobRun run = runs.start(runId, COMMAND, date);
        Map<String, Double> seconds = new LinkedHashMap<>();
        StagedOutputs outputs = new StagedOutputs();
        LakeInput input = null;
        Dataset<Row> dayRows = null;
        Dataset<Row> logs = null;
        try {
            for (String orphan : runs.abandonOrphans(date, runId)) {
                progress.line("marked run " + orphan + " abandoned: it never recorded an outcome (killed or lost)");
            }
            long t0 = System.nanoTime();
            // Only the usable rows are cached; the quarantine, when the pass below counted any, reads the few columns
            // it needs from Parquet again.
            input = new LakeReader(spark, config.lake()).read(date);
            // The profile's counts come from the pass that fills the cache: the lake is read and validated once, and
            // the columns stages add to every row (the log templates) are computed in that pass too.
            StageContext beforeCache = new StageContext(spark, config, store, date, null, outputs, progress, null);
            Map<String, Double> preparing = new LinkedHashMap<>();
            LakeInput.CachedDay day = input.cachedRows(LakeProfile.counts(), rows -> {
                for (Stage stage : stages) {
                    long tb = System.nanoTime();
                    Dataset<Row> added = stage.beforeCache(beforeCache, rows);
                    double s = Progress.seconds(tb);
                    // The columns themselves are computed by the read pass; what shows here is the stage's own
                    // preparation (choosing, or training, tonight's model).
                    if (added != rows || s >= 0.05) {
                        preparing.put("before-cache:" + stage.name(), s);
                    }
                    rows = added;
                }
                return rows;
            });
            dayRows = day.rows();
            logs = dayRows.select(CanonicalSchema.columns());
            long usable = day.rowCount();
            LakeProfile profile = LakeProfile.of(day.observed(), store.readDates(ResultTables.LAKE_PROFILE,
                    date.minusDays(config.trends().historyDays()), date.minusDays(1)), config.lake().columns());
            long usableBeforeDedup = profile.rowsUsable();
            long rejected = profile.rowsRead() - usableBeforeDedup;
            outputs.add(ResultTables.QUARANTINE, input.quarantine(rejected));
            // The rows of skipped files count as read and quarantined: a skipped file is never a silent loss.
            long read = profile.rowsRead() + input.skippedRows();
            long quarantined = rejected + input.skippedRows();
            outputs.add(ResultTables.LAKE_PROFILE, profile.toRows(spark));
            seconds.put("read-lake", Progress.seconds(t0)
                    - preparing.values().stream().mapToDouble(Double::doubleValue).sum());
            seconds.putAll(preparing);
            progress.line(String.format("%-18s %s rows read from %d files: %s usable, %s quarantined, %s duplicates"
                            + " (%.1f s)", "read-lake", Progress.count(read), input.files().size() + input.skippedFiles().size(),
                    Progress.count(usable), Progress.count(quarantined), Progress.count(usableBeforeDedup - usable),
                    seconds.get("read-lake")));
            for (var skipped : input.skippedFiles()) {
                progress.line("skipped unusable file " + skipped.file() + ": " + skipped.reason()
                        + (skipped.readable() ? " (its " + Progress.count(skipped.rows()) + " rows are in quarantine)"
                        : " (recorded in quarantine)"));
            }
            for (var column : profile.becameNull()) {
                progress.line("WARNING " + column.describe(date) + " (recorded in lake_profile)");
            }

            StageContext ctx = new StageContext(spark, config, store, date, logs, outputs, progress, dayRows);
            for (Stage stage : stages) {
                long ts = System.nanoTime();
                stage.run(ctx);
                seconds.put(stage.name(), Progress.seconds(ts));
                progress.line(String.format("%-18s staged (%.1f s)", stage.name(), seconds.get(stage.name())));
            }
            long tm = System.nanoTime();
            Map<String, Long> counts = outputs.materialize();
            seconds.put("compute", Progress.seconds(tm));
            outputs.computeSeconds().forEach((table, s) -> seconds.put("compute:" + table, s));
            progress.line(String.format("%-18s %s (%.1f s)", "compute", counts, seconds.get("compute")));

            long tp = System.nanoTime();
            outputs.publish(store, date);
            seconds.put("publish", Progress.seconds(tp));
            progress.line(String.format("%-18s %d tables replaced for %s (%.1f s)", "publish", counts.size(), date,
                    seconds.get("publish")));

            Map<String, Long> recorded = new LinkedHashMap<>(counts);
            if (!input.skippedFiles().isEmpty()) {
                recorded.put("skipped_files", (long) input.skippedFiles().size());
            }
            if (!profile.becameNull().isEmpty()) {
                recorded.put("columns_became_null", (long) profile.becameNull().size());
            }
            run.succeeded(new JobRunLog.Outcome(JobRunLog.SUCCEEDED, read, quarantined,
                    usableBeforeDedup - usable, input.files().size() + input.skippedFiles().size(), recorded, seconds, null));
            return new RunSummary(runId, date, read, quarantined, counts);
        } catch (Throwable e) {
            // Throwable: Spark's AnalysisException is checked to Java and thrown undeclared, and an Error (out of
            // memory) ends the run too; only undeclared ones can arrive here, so the rethrow is legal.
            run.failed(e, seconds);
            throw e;
        } finally {
            run.close();
            outputs.release();
            if (dayRows != null) {
                dayRows.unpersist();
            }
        }
    }

    /** The innermost cause's message: Spark wraps the useful part (the file, the column) several levels down. */
    public static String describe(Throwable e) {
        Throwable t = e;
        String msg = String.valueOf(e.getMessage());
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                msg = t.getMessage();
            }
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }
}
