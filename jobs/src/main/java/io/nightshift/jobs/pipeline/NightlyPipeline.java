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
import io.nightshift.jobs.base.StopRequest;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.lake.LakeInput;
import io.nightshift.jobs.lake.LakeProfile;
import io.nightshift.jobs.lake.LakeReader;
import io.nightshift.jobs.schema.CanonicalSchema;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.stage.Night;
import io.nightshift.jobs.stage.Stage;
import io.nightshift.jobs.stage.StageOutputs;
import io.nightshift.jobs.store.JobRun;
import io.nightshift.jobs.store.JobRunLog;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.store.StoredHistory;

/**
 * The nightly run for one logical date, as it reads: choose tonight's stages (and model), read the lake once (the
 * stages' per-row columns added in that pass), run each stage on the night and the history it declared,
 * materialise every output, then publish them all. Each table's rows for the date are replaced in one commit, so
 * reruns are idempotent; a failure before publishing leaves every table as it was, and job_runs records it.
 */
public final class NightlyPipeline {
    public static final String COMMAND = "run";

    /** The stages of a night, in order; deciding them may take time (choosing or training tonight's model). */
    @FunctionalInterface
    public interface Plan {
        List<Stage> stagesFor(LocalDate date);
    }

    private final SparkSession spark;
    private final NightshiftConfig config;
    private final ResultsStore store;
    private final Plan plan;
    private final Progress progress;

    public NightlyPipeline(SparkSession spark, NightshiftConfig config, ResultsStore store, Plan plan,
                           Progress progress) {
        this.spark = spark;
        this.config = config;
        this.store = store;
        this.plan = plan;
        this.progress = progress;
    }

    /** A pipeline whose nights all run {@code stages}. */
    public NightlyPipeline(SparkSession spark, NightshiftConfig config, ResultsStore store, List<Stage> stages,
                           Progress progress) {
        this(spark, config, store, date -> List.copyOf(stages), progress);
    }

    /** The result of one date's run, for the caller to print. */
    public record RunSummary(String runId, LocalDate date, long inputRows, long quarantinedRows,
                             Map<String, Long> tableCounts) {
    }

    /** The most notes job_runs.detail keeps; the count of the others is said. */
    static final int MAX_NOTES = 200;

    /** The stages' notes as job_runs.detail keeps them: a line each, at most {@link #MAX_NOTES}. */
    static String detailOf(List<String> notes) {
        if (notes.isEmpty()) {
            return null;
        }
        List<String> kept = notes.subList(0, Math.min(notes.size(), MAX_NOTES));
        return String.join("\n", kept) + (notes.size() > MAX_NOTES ? "\n... and " + (notes.size() - MAX_NOTES)
                + " more notes (the progress output lists them all)" : "");
    }

    public RunSummary run(LocalDate date) {
        String runId = date + "-" + UUID.randomUUID().toString().substring(0, 8);
        JobRunLog runs = new JobRunLog(store);
        JobRun run = runs.start(runId, COMMAND, date);
        Map<String, Double> seconds = new LinkedHashMap<>();
        StagedOutputs outputs = null;
        Dataset<Row> dayRows = null;
        try {
            for (String orphan : runs.abandonOrphans(date, runId)) {
                progress.line("marked run " + orphan + " abandoned: it never recorded an outcome (killed or lost)");
            }
            long tp = System.nanoTime();
            List<Stage> stages = plan.stagesFor(date);
            seconds.put("plan", Progress.seconds(tp));

            long t0 = System.nanoTime();
            LakeInput input = new LakeReader(spark, config.lake()).read(date);
            // Only the usable rows are cached; the profile's counts come from the pass that fills the cache (the lake
            // is read and validated once), and the columns stages add to every row (the log templates) are
            // computed in that pass too. The quarantine, when that pass counted any, reads the few columns it needs
            // from Parquet again.
            LakeInput.CachedDay day = input.cachedRows(LakeProfile.counts(), rows -> {
                for (Stage stage : stages) {
                    rows = stage.beforeCache(rows);
                }
                return rows;
            });
            dayRows = day.rows();
            Dataset<Row> logs = dayRows.select(CanonicalSchema.columns());
            long usable = day.rowCount();
            LakeProfile profile = LakeProfile.of(day.observed(), store.readDates(ResultTables.LAKE_PROFILE,
                    date.minusDays(config.trends().historyDays()), date.minusDays(1)), config.lake().columns(),
                    input.conversions());
            long usableBeforeDedup = profile.rowsUsable();
            long rejected = profile.rowsRead() - usableBeforeDedup;
            StageOutputs staged = StageOutputs.of(ResultTables.QUARANTINE, input.quarantine(rejected))
                    .and(ResultTables.LAKE_PROFILE, profile.toRows(spark));
            // The rows of skipped files count as read and quarantined: a skipped file is never a silent loss.
            long read = profile.rowsRead() + input.skippedRows();
            long quarantined = rejected + input.skippedRows();
            int files = input.files().size() + input.skippedFiles().size();
            seconds.put("read-lake", Progress.seconds(t0));
            progress.line(String.format("%-18s %s rows read from %d files: %s usable, %s quarantined, %s duplicates"
                            + " (%.1f s)", "read-lake", Progress.count(read), files, Progress.count(usable),
                    Progress.count(quarantined), Progress.count(usableBeforeDedup - usable), seconds.get("read-lake")));
            for (var skipped : input.skippedFiles()) {
                progress.line("skipped unusable file " + skipped.file() + ": " + skipped.reason()
                        + (skipped.readable() ? " (its " + Progress.count(skipped.rows()) + " rows are in quarantine)"
                        : " (recorded in quarantine)"));
            }
            for (var column : profile.becameNull()) {
                progress.line("WARNING " + column.describe(date) + " (recorded in lake_profile)");
            }
            for (var column : profile.withTypeWarnings()) {
                progress.line("WARNING " + column.describeTypeWarnings() + " (type warnings in lake_profile)");
            }

            Night night = new Night(spark, date, logs, dayRows, null, staged, progress);
            for (Stage stage : stages) {
                StopRequest.checkNotRequested();
                long ts = System.nanoTime();
                staged = staged.merged(stage.run(night.next(new StoredHistory(store, stage.name(), stage.reads()),
                        staged)));
                seconds.put(stage.name(), Progress.seconds(ts));
                progress.line(String.format("%-18s staged (%.1f s)", stage.name(), seconds.get(stage.name())));
            }
            outputs = new StagedOutputs(staged);
            long tm = System.nanoTime();
            Map<String, Long> counts = outputs.materialize();
            seconds.put("compute", Progress.seconds(tm));
            outputs.computeSeconds().forEach((table, s) -> seconds.put("compute:" + table, s));
            progress.line(String.format("%-18s %s (%.1f s)", "compute", counts, seconds.get("compute")));

            StopRequest.checkNotRequested();
            long tpub = System.nanoTime();
            outputs.publish(store, date);
            seconds.put("publish", Progress.seconds(tpub));
            progress.line(String.format("%-18s %d tables replaced for %s (%.1f s)", "publish", counts.size(), date,
                    seconds.get("publish")));

            Map<String, Long> recorded = new LinkedHashMap<>(counts);
            if (!input.skippedFiles().isEmpty()) {
                recorded.put("skipped_files", (long) input.skippedFiles().size());
            }
            if (!profile.becameNull().isEmpty()) {
                recorded.put("columns_became_null", (long) profile.becameNull().size());
            }
            run.succeeded(new JobRunLog.Outcome(JobRunLog.SUCCEEDED, read, quarantined, usableBeforeDedup - usable,
                    files, recorded, seconds, null), detailOf(staged.notes()));
            return new RunSummary(runId, date, read, quarantined, counts);
        } catch (Throwable e) {
            // Throwable: Spark's AnalysisException is checked to Java and thrown undeclared, and an Error (out of
            // memory) ends the run too; only undeclared ones can arrive here, so the rethrow is legal.
            run.failed(e, seconds);
            throw e;
        } finally {
            run.close();
            if (outputs != null) {
                outputs.release();
            }
            if (dayRows != null) {
                dayRows.unpersist();
            }
        }
    }
}
