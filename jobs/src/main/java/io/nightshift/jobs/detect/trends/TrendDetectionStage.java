package io.nightshift.jobs.detect.trends;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import io.nightshift.jobs.config.NightshiftConfig.TrendsConfig;
import io.nightshift.jobs.detect.Findings;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.stage.Night;
import io.nightshift.jobs.stage.Stage;
import io.nightshift.jobs.stage.StageOutputs;

/**
 * Trend detections: compares the day's hourly aggregates with robust seasonal baselines built from the trailing
 * days' aggregate tables (never the raw logs) and stages {@code findings} with {@code detector = trend}.
 *
 * <p>Checks: volume spike and drop, error-rate surge, p95 latency rise, 4xx and 5xx share surges (per service ×
 * region and per service × datacenter), silence
 * (per host and per service × region), auth-failure spikes per tenant, bytes out far above a user's own daily
 * baseline. A change on one service in several regions in overlapping hours becomes one production-wide finding;
 * a datacenter finding already explained by its region's finding is not repeated. Several services slowing down in
 * the same hours are one finding naming the one that slowed first ({@link DependentSlowdowns}).
 */
public final class TrendDetectionStage implements Stage {
    static final List<String> SERVICE_REGION = List.of("service", "region");
    static final List<String> SERVICE_DC = List.of("service", "region", "datacenter");
    /** A host's series sums over the services it runs: silence is about the host, not one of its services. */
    static final List<String> HOST = List.of("host", "region", "datacenter", "farm");

    private final TrendsConfig tc;

    public TrendDetectionStage(TrendsConfig config) {
        this.tc = config;
    }

    @Override
    public String name() {
        return "trend-detection";
    }

    @Override
    public Set<ResultTable> reads() {
        return Set.of(ResultTables.TREND_HOURLY, ResultTables.TREND_HOST_HOURLY, ResultTables.TREND_ENTITY_HOURLY);
    }

    @Override
    public StageOutputs run(Night night) {
        LocalDate day = night.date();
        LocalDate from = day.minusDays(tc.historyDays());
        LocalDate to = day.minusDays(1);
        Dataset<Row> hourlyHistory = night.history().dates(ResultTables.TREND_HOURLY, from, to)
                .select("date", "hour", "region", "datacenter", "service", "event_count", "error_count", "responses",
                        "status_4xx", "status_5xx", "latency_hist")
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> hourlyToday = night.staged().get(ResultTables.TREND_HOURLY);
        Dataset<Row> factors = SeasonalBaseline.dayOfWeekFactors(hourlyHistory.groupBy(col("date").as("day"))
                .agg(sum("event_count").as("total"))).persist(StorageLevel.MEMORY_AND_DISK());
        SeriesChecks checks = new SeriesChecks(tc, day, factors);

        List<Dataset<Row>> findings = new ArrayList<>();
        Dataset<Row> regionRuns = checks.serviceRuns(hourlyHistory, hourlyToday, SERVICE_REGION)
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> dcRuns = checks.serviceRuns(hourlyHistory, hourlyToday, SERVICE_DC);
        ScopeMerger merger = new ScopeMerger(regionRuns);
        findings.add(TrendFindings.service(merger.productionWide(), "production_wide"));
        findings.add(TrendFindings.service(merger.regionalOnly(), "service_region"));
        findings.add(TrendFindings.service(merger.notExplainedByRegion(dcRuns), "service_datacenter"));

        Dataset<Row> hostHistory = night.history().dates(ResultTables.TREND_HOST_HOURLY, from, to)
                .persist(StorageLevel.MEMORY_AND_DISK());
        findings.add(TrendFindings.hostSilence(checks.hostSilence(hostHistory,
                night.staged().get(ResultTables.TREND_HOST_HOURLY))));

        Dataset<Row> entityHistory = night.history().dates(ResultTables.TREND_ENTITY_HOURLY, from, to)
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> entityToday = night.staged().get(ResultTables.TREND_ENTITY_HOURLY);
        findings.add(TrendFindings.authFailures(checks.tenantAuthFailures(entityHistory, entityToday)));
        findings.add(TrendFindings.bytesOut(checks.userBytesOut(entityHistory, entityToday), day));

        Dataset<Row> all = DependentSlowdowns.group(findings.stream().reduce((a, b) -> a.unionByName(b, true))
                .orElseThrow().localCheckpoint(true));
        StageOutputs outputs = StageOutputs.of(ResultTables.FINDINGS, Findings.withIds(all
                .withColumn("detector", lit("trend"))
                .withColumn("score", round(least(lit(100.0), lit(100.0).multiply(lit(1.0).minus(
                        exp(col("z").divide(-12.0))))), 1))
                .withColumn("severity", Findings.severityOf(col("score")))
                .withColumn("suppressed", lit(false))).localCheckpoint(true));
        for (Dataset<Row> cached : List.of(hourlyHistory, hostHistory, entityHistory, factors, regionRuns)) {
            cached.unpersist();
        }
        return outputs;
    }

    /** Robust z: deviation in units of the baseline's spread, floored so quiet series are not oversensitive. */
    static Column countZ() {
        return col("value").minus(col("expected")).divide(greatest(col("spread"), sqrt(col("expected").plus(1.0))));
    }

    static Column rateZ() {
        return col("value").minus(col("expected")).divide(greatest(col("spread"),
                sqrt(col("expected").multiply(lit(1.0).minus(col("expected"))).divide(col("events"))),
                lit(0.002)));
    }
}
