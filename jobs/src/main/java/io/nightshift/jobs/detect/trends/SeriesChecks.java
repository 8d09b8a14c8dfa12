package io.nightshift.jobs.detect.trends;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

import io.nightshift.jobs.aggregate.Joins;
import io.nightshift.jobs.config.NightshiftConfig.TrendsConfig;

/**
 * The trend checks over series built from the aggregate tables. Each method returns runs of abnormal hours
 * ({@link HourRuns}) with a {@code check} name; a series with fewer than {@code min_history_points} days of
 * history is cold and produces nothing (never a finding from two data points).
 */
public final class SeriesChecks {
    /** Below these absolute sizes a relative change is noise, whatever its z-score. */
    static final double MIN_SPIKE_DELTA = 10;
    static final double MIN_DROP_EXPECTED = 20;
    static final double MIN_SURGE_ERRORS = 10;
    static final double MIN_AUTH_FAILURES = 20;
    static final double MIN_SILENT_HOURLY_EXPECTED = 2;
    static final double MIN_SILENT_TOTAL_EXPECTED = 10;
    static final double MIN_EXTRA_BYTES = 10_000_000;
    /** Hours with fewer timed requests than this have a p95 too noisy to judge (or to learn from). */
    static final double MIN_TIMED_REQUESTS = 20;
    /** A p95 rise smaller than this many milliseconds is not worth a person's attention. */
    static final double MIN_LATENCY_RISE_MS = 20;
    static final double MIN_STATUS_CLASS_COUNT = 10;
    /** A user's day must exceed this multiple of the fleet's 99th-percentile user-day to be a bulk transfer. */
    static final double FLEET_MULTIPLE = 3;

    private final TrendsConfig config;
    private final LocalDate day;
    private final Map<Integer, Double> factors;
    private final ZoneId zone;

    /** @param factors {@link SeasonalBaseline#dayOfWeekFactors} of the history, for the counts' baselines */
    SeriesChecks(TrendsConfig config, LocalDate day, Dataset<Row> factors) {
        this.config = config;
        this.day = day;
        this.factors = SeasonalBaseline.factorMap(factors);
        this.zone = ZoneId.of(factors.sparkSession().conf().get("spark.sql.session.timeZone"));
    }

    private SeasonalBaseline baseline(List<String> keys, SeasonalBaseline.Fill fill, Map<Integer, Double> weekly) {
        return new SeasonalBaseline(keys, fill, weekly, day, zone);
    }

    private Column warm() {
        return col("points").geq(config.minHistoryPoints()).and(col("expected").isNotNull());
    }

    private Column z() {
        return lit(config.zThreshold());
    }

    /** Volume spike, volume drop, silence and error-rate surge for service series at the given grain. */
    Dataset<Row> serviceRuns(Dataset<Row> history, Dataset<Row> today, List<String> keys) {
        Dataset<Row> volume = scoredCounts(series(history, keys, "event_count"), series(today, keys, "event_count"),
                keys);
        // One pass classifies every hour: spike, drop, silence or nothing.
        Column spike = col("z").geq(z()).and(col("value").geq(col("expected").multiply(1.5).plus(MIN_SPIKE_DELTA)));
        Column drop = col("z").leq(z().multiply(-1)).and(col("expected").geq(MIN_DROP_EXPECTED))
                .and(col("value").leq(col("expected").multiply(0.5))).and(col("value").gt(0));
        Column silent = col("value").equalTo(0).and(col("expected").geq(MIN_SILENT_HOURLY_EXPECTED));
        Dataset<Row> volumeHours = volume.where(warm())
                .withColumn("check", functions.when(spike, lit("volume_spike")).when(drop, lit("volume_drop"))
                        .when(silent, lit("silence")))
                .where(col("check").isNotNull())
                .withColumn("z", functions.when(col("check").equalTo("volume_drop"), col("z").multiply(-1))
                        .otherwise(col("z")));

        Dataset<Row> surges = baseline(keys, SeasonalBaseline.Fill.NONE, Map.of())
                .score(rates(history, keys).select(columns(keys, "hour", "value")), rates(today, keys))
                .localCheckpoint(true)
                .withColumn("z", TrendDetectionStage.rateZ())
                .where(warm().and(col("z").geq(z())).and(col("errors").geq(MIN_SURGE_ERRORS))
                        .and(col("value").geq(col("expected").multiply(2).plus(0.02))))
                .withColumn("check", lit("error_rate_surge"));

        List<String> carried = List.of("events", "errors");
        Dataset<Row> abnormal = withNulls(volumeHours, carried)
                .unionByName(surges.select(columns(keys, "hour", "value", "expected", "spread", "points", "z",
                        "check", "events", "errors")))
                .unionByName(latencyRises(history, today, keys))
                .unionByName(statusClassSurges(history, today, keys, "status_5xx", "status_5xx_surge"))
                .unionByName(statusClassSurges(history, today, keys, "status_4xx", "status_4xx_surge"));
        return longEnoughSilences(HourRuns.merge(abnormal, keys, carried));
    }

    /**
     * p95 latency far above its usual for that hour of day ({@link LatencyBaseline}: the history's histograms of
     * the hour pooled over the days). The test counts requests, not milliseconds: normally 5% of requests are slower
     * than the usual p95, so k slow requests out of n is a binomial surprise of {@code (k - 0.05 n) / sqrt(0.0475 n)}.
     * One very slow request moves a p95 of thirty requests a lot and this count by one; a real slowdown moves a third
     * of them. {@code events} carries n, {@code errors} k.
     */
    Dataset<Row> latencyRises(Dataset<Row> history, Dataset<Row> today, List<String> keys) {
        Dataset<Row> scored = new LatencyBaseline(keys, zone).score(history, today)
                .withColumn("z", col("errors").minus(col("events").multiply(0.05))
                        .divide(sqrt(col("events").multiply(0.05 * 0.95))))
                .localCheckpoint(true);
        return scored.where(col("points").geq(config.minHistoryPoints()).and(col("z").geq(z()))
                        .and(col("events").geq(MIN_TIMED_REQUESTS))
                        .and(col("errors").geq(col("events").multiply(0.2)))
                        .and(col("value").geq(col("expected").multiply(1.3)))
                        .and(col("value").minus(col("expected")).geq(MIN_LATENCY_RISE_MS)))
                .withColumn("check", lit("latency_p95"))
                .withColumn("spread", lit(null).cast("double"))
                .select(columns(keys, "hour", "value", "expected", "spread", "points", "z", "check", "events",
                        "errors"));
    }

    /**
     * The share of 4xx or 5xx responses far above its baseline (a failure class rising while the error-level log
     * rate may not: many services log a 503 at INFO). {@code events} carries the responses, {@code errors} the
     * class's count.
     */
    Dataset<Row> statusClassSurges(Dataset<Row> history, Dataset<Row> today, List<String> keys, String classColumn,
                                   String check) {
        return baseline(keys, SeasonalBaseline.Fill.NONE, Map.of())
                .score(statusShare(history, keys, classColumn).select(columns(keys, "hour", "value")),
                        statusShare(today, keys, classColumn))
                .localCheckpoint(true)
                .withColumn("z", TrendDetectionStage.rateZ())
                .where(warm().and(col("z").geq(z())).and(col("errors").geq(MIN_STATUS_CLASS_COUNT))
                        .and(col("value").geq(col("expected").multiply(2).plus(0.02))))
                .withColumn("check", lit(check))
                .select(columns(keys, "hour", "value", "expected", "spread", "points", "z", "check", "events",
                        "errors"));
    }

    private static Dataset<Row> statusShare(Dataset<Row> aggregates, List<String> keys, String classColumn) {
        return aggregates.groupBy(columns(keys, "hour"))
                .agg(sum("responses").cast("double").as("events"), sum(classColumn).cast("double").as("errors"))
                .where(col("events").gt(0))
                .withColumn("value", col("errors").divide(col("events")));
    }

    /** Hosts that stopped logging for at least two hours in which they normally log. */
    Dataset<Row> hostSilence(Dataset<Row> history, Dataset<Row> today) {
        List<String> keys = TrendDetectionStage.HOST;
        Dataset<Row> volume = scoredCounts(series(history, keys, "event_count"), series(today, keys, "event_count"),
                keys);
        Dataset<Row> silences = longEnoughSilences(HourRuns.merge(silentHours(volume), keys, List.of()));
        return silences.join(usualService(history), silences.col("host").equalTo(col("usual_host")), "left")
                .drop("usual_host");
    }

    /**
     * The service each host logs most for, over the history: a silent host logs nothing today, so its finding names
     * what it usually runs, which gives the incident an owner. Ties go to the name.
     */
    private static Dataset<Row> usualService(Dataset<Row> history) {
        return history.where(col("service").isNotNull())
                .groupBy(col("host"), col("service")).agg(sum("event_count").as("events"))
                .groupBy(col("host").as("usual_host"))
                .agg(org.apache.spark.sql.functions.max_by(col("service"),
                        org.apache.spark.sql.functions.struct(col("events"), col("service"))).as("usual_service"));
    }

    /** Hourly failed logins per tenant far above the tenant's usual for that hour. */
    Dataset<Row> tenantAuthFailures(Dataset<Row> entityHistory, Dataset<Row> entityToday) {
        List<String> keys = List.of("tenant_id");
        Dataset<Row> scored = scoredCounts(tenantSeries(entityHistory), tenantSeries(entityToday), keys);
        Dataset<Row> spikes = scored.where(warm().and(col("z").geq(z())).and(col("value").geq(MIN_AUTH_FAILURES))
                        .and(col("value").geq(col("expected").multiply(3))))
                .withColumn("check", lit("auth_failure_spike"));
        return HourRuns.merge(spikes, keys, List.of());
    }

    /**
     * A user's bytes out for the day against their own daily baseline. Daily, not hourly: one user's hourly bytes
     * are mostly zero, which leaves no spread to measure against. first_seen/last_seen span the hours that carried
     * at least a tenth of the day's bytes.
     */
    Dataset<Row> userBytesOut(Dataset<Row> entityHistory, Dataset<Row> entityToday) {
        List<String> keys = List.of("user", "tenant_id");
        Dataset<Row> history = userDaily(entityHistory);
        Dataset<Row> scored = baseline(keys, SeasonalBaseline.Fill.DAILY, Map.of())
                .score(history, userDaily(entityToday)).localCheckpoint(true)
                .withColumn("z", col("value").minus(col("expected")).divide(greatest(col("spread"),
                        col("expected").multiply(0.25), lit(1_000_000.0))));
        // Most users send little on most days, so their own median is near zero; the day must also stand out against
        // what the busiest user-days of the whole history look like.
        Row fleet = history.where(to_date(col("hour")).lt(lit(day.toString()).cast("date")).and(col("value").gt(0)))
                .agg(org.apache.spark.sql.functions.percentile_approx(col("value"), lit(0.99), lit(1000))).first();
        double fleetP99 = fleet.isNullAt(0) ? 0 : ((Number) fleet.get(0)).doubleValue();
        Dataset<Row> abnormal = scored.where(warm().and(col("z").geq(z()))
                .and(col("value").geq(col("expected").multiply(3).plus(MIN_EXTRA_BYTES)))
                .and(col("value").geq(FLEET_MULTIPLE * fleetP99)))
                .withColumn("fleet_p99", lit(fleetP99));
        Dataset<Row> users = entityToday.where(col("entity_type").equalTo("user"));
        Dataset<Row> dayTotal = users.groupBy(col("entity")).agg(sum("bytes_out").as("total"));
        Dataset<Row> span = users.join(dayTotal, "entity")
                .where(col("bytes_out").geq(col("total").multiply(0.1)).and(col("total").gt(0)))
                .groupBy(col("entity").as("span_user"))
                .agg(min("hour").as("first_seen"), max("hour").plus(org.apache.spark.sql.functions.expr(
                        "INTERVAL 1 HOUR")).as("last_seen"));
        return abnormal.join(span, abnormal.col("user").equalTo(span.col("span_user")), "left").drop("span_user");
    }

    private Dataset<Row> silentHours(Dataset<Row> volume) {
        return volume.where(warm().and(col("value").equalTo(0))
                        .and(col("expected").geq(MIN_SILENT_HOURLY_EXPECTED)))
                .withColumn("check", lit("silence"));
    }

    /** Silence needs two or more hours and enough expected events to be surprising; its strength grows with both. */
    private static Dataset<Row> longEnoughSilences(Dataset<Row> runs) {
        Column isSilence = col("check").equalTo("silence");
        return runs.where(functions.not(isSilence).or(col("hours").geq(2)
                        .and(col("expected_total").geq(MIN_SILENT_TOTAL_EXPECTED))))
                .withColumn("z", org.apache.spark.sql.functions.when(isSilence,
                        sqrt(col("expected_total")).multiply(2)).otherwise(col("z")));
    }

    /**
     * Zero-filled counts against their weekly-normalised baseline. Materialised here: the checks' union below would
     * otherwise carry the scoring's shuffle, and Spark's adaptive planner re-optimises the whole tree after each stage.
     */
    private Dataset<Row> scoredCounts(Dataset<Row> history, Dataset<Row> today, List<String> keys) {
        return baseline(keys, SeasonalBaseline.Fill.HOURLY, factors).score(history, today)
                .withColumn("z", TrendDetectionStage.countZ()).localCheckpoint(true);
    }

    private static Dataset<Row> series(Dataset<Row> aggregates, List<String> keys, String measure) {
        return aggregates.groupBy(columns(keys, "hour")).agg(sum(measure).cast("double").as("value"));
    }

    private static Dataset<Row> rates(Dataset<Row> aggregates, List<String> keys) {
        return aggregates.groupBy(columns(keys, "hour"))
                .agg(sum("event_count").cast("double").as("events"), sum("error_count").cast("double").as("errors"))
                .where(col("events").gt(0))
                .withColumn("value", col("errors").divide(col("events")));
    }

    private static Dataset<Row> tenantSeries(Dataset<Row> entity) {
        return entity.where(col("entity_type").equalTo("tenant"))
                .groupBy(col("entity").as("tenant_id"), col("hour"))
                .agg(sum("auth_failures").cast("double").as("value"));
    }

    private static Dataset<Row> userDaily(Dataset<Row> entity) {
        return entity.where(col("entity_type").equalTo("user"))
                .groupBy(col("entity").as("user"), col("tenant_id"), date_trunc("day", col("hour")).as("hour"))
                .agg(sum("bytes_out").cast("double").as("value"));
    }

    private static Dataset<Row> withNulls(Dataset<Row> df, List<String> cols) {
        Dataset<Row> out = df;
        for (String c : cols) {
            out = out.withColumn(c, lit(null).cast("double"));
        }
        return out;
    }

    static Column[] columns(List<String> keys, String... more) {
        return Joins.keyColumns(keys, more);
    }
}
