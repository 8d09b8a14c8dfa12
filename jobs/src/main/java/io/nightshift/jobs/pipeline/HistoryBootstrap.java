package io.nightshift.jobs.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import io.nightshift.jobs.aggregate.TrendAggregator;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.lake.LakeInput;
import io.nightshift.jobs.lake.LakeReader;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.JobRun;
import io.nightshift.jobs.store.JobRunLog;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Fills the trend history a run needs but the warehouse lacks (a new warehouse, a gap): the days of the trailing
 * window that have no {@code trend_hourly} rows are aggregated from the lake in one pass and written. After that,
 * nightly runs read only the aggregate tables. The days get aggregates and quarantine, not detections; run them with
 * backfill for findings.
 */
public final class HistoryBootstrap {
    public static final String COMMAND = "bootstrap-history";

    private final NightshiftConfig config;
    private final ResultsStore store;
    private final Progress progress;

    public HistoryBootstrap(NightshiftConfig config, ResultsStore store, Progress progress) {
        this.config = config;
        this.store = store;
        this.progress = progress;
    }

    /** @return the dates that were filled */
    public List<LocalDate> fill(LocalDate date) {
        LocalDate from = date.minusDays(config.trends().historyDays());
        LocalDate to = date.minusDays(1);
        Set<LocalDate> present = new HashSet<>();
        store.readDates(ResultTables.TREND_HOURLY, from, to).select("date").distinct().collectAsList()
                .forEach(r -> present.add(r.<Date>getAs(0).toLocalDate()));
        LakeReader reader = new LakeReader(store.spark(), config.lake());
        List<LocalDate> missing = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (!present.contains(d) && reader.hasDay(d)) {
                missing.add(d);
            }
        }
        if (missing.isEmpty()) {
            return missing;
        }
        long t0 = System.nanoTime();
        String runId = "bootstrap-" + date + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (JobRun run = new JobRunLog(store).start(runId, COMMAND, date)) {
            try {
                aggregate(reader, missing, run, t0);
            } catch (Throwable e) {
                run.failed(e, Map.of("bootstrap", Progress.seconds(t0)));
                throw e;
            }
        }
        return missing;
    }

    /** One pass over the missing days into the trend and quarantine tables, recorded in {@code run}. */
    private void aggregate(LakeReader reader, List<LocalDate> missing, JobRun run, long t0) {
        // One pass over all missing days, each aggregate reading only its columns from Parquet: raw rows are never
        // cached, so the pass needs no more memory for a month than for a day.
        Dataset<Row> rows = null;
        Dataset<Row> quarantine = null;
        for (LocalDate d : missing) {
            LakeInput in = reader.read(d);
            Dataset<Row> day = in.rows().select(TrendAggregator.inputColumns());
            Dataset<Row> q = in.quarantine().withColumn("date", lit(d.toString()).cast("date"));
            rows = rows == null ? day : rows.unionByName(day);
            quarantine = quarantine == null ? q : quarantine.unionByName(q);
        }
        Dataset<Row> hourly = TrendAggregator.hourly(rows).withColumn("date", to_date(col("hour")))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
        tables.put(ResultTables.TREND_HOURLY.name(), hourly);
        tables.put(ResultTables.TREND_DAILY.name(), TrendAggregator.daily(hourly));
        tables.put(ResultTables.TREND_HOST_HOURLY.name(),
                TrendAggregator.hostHourly(rows).withColumn("date", to_date(col("hour"))));
        tables.put(ResultTables.TREND_ENTITY_HOURLY.name(),
                TrendAggregator.entityHourly(rows).withColumn("date", to_date(col("hour"))));
        tables.put(ResultTables.QUARANTINE.name(), quarantine);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (var e : tables.entrySet()) {
            Dataset<Row> part = e.getValue().persist(StorageLevel.MEMORY_AND_DISK());
            store.replaceDates(ResultTables.byName(e.getKey()), missing, part);
            counts.put(e.getKey(), part.count());
        }
        Row total = hourly.agg(org.apache.spark.sql.functions.sum("event_count")).first();
        long n = total.isNullAt(0) ? 0 : total.getLong(0);
        tables.values().forEach(Dataset::unpersist);
        run.succeeded(new JobRunLog.Outcome(JobRunLog.SUCCEEDED, n,
                counts.getOrDefault(ResultTables.QUARANTINE.name(), 0L), 0, 0, counts,
                Map.of("bootstrap", Progress.seconds(t0)), null));
        progress.line(String.format("%-18s aggregated %d days of history from the lake (%s rows) (%.1f s)",
                "bootstrap-history", missing.size(), Progress.count(n), Progress.seconds(t0)));
    }
}
