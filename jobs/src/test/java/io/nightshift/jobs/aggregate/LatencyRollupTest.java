package io.nightshift.jobs.aggregate;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.config.NightshiftConfig.LakeConfig;
import io.nightshift.jobs.lake.LakeReader;

/**
 * Percentiles rolled up from the hourly latency histograms — per hour, per day, per service fleet-wide — and distinct
 * counts rolled up from the hourly HLL sketches, against exact values from the raw rows of the shipped sample lake
 * (the latency-degradation day, 2026-11-17).
 */
class LatencyRollupTest {
    static SparkSession spark;
    static Dataset<Row> logs;
    static Dataset<Row> hourly;
    /** Bucket width 2%: the value a bucket stands for is within 1/101 of every value in it. */
    static final double BOUND = (LatencyHistogram.GAMMA - 1) / (LatencyHistogram.GAMMA + 1) + 1e-12;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
        logs = new LakeReader(spark, new LakeConfig(Location.local(TestSpark.repoRoot().resolve("data-samples/lake")), "date",
                Map.of(), null, "event_id", false)).read(LocalDate.parse("2026-11-17")).rows()
                .persist(StorageLevel.MEMORY_AND_DISK());
        hourly = TrendAggregator.hourly(logs).persist(StorageLevel.MEMORY_AND_DISK());
    }

    @AfterAll
    static void stop() {
        hourly.unpersist();
        logs.unpersist();
    }

    /** Exact nearest-rank percentiles of duration_ms per group of the raw rows. */
    private static Dataset<Row> exact(Dataset<Row> rows, Column... keys) {
        return rows.where(col("duration_ms").isNotNull()).groupBy(keys).agg(
                expr("percentile_disc(0.5) WITHIN GROUP (ORDER BY duration_ms)").as("x50"),
                expr("percentile_disc(0.95) WITHIN GROUP (ORDER BY duration_ms)").as("x95"),
                expr("percentile_disc(0.99) WITHIN GROUP (ORDER BY duration_ms)").as("x99"),
                expr("count(*)").as("n"));
    }

    /** Groups whose estimate is off by more than the bound; each group is compared on p50, p95 and p99. */
    private static long outOfBound(Dataset<Row> estimated, Dataset<Row> exact, List<String> keys) {
        Dataset<Row> joined = Joins.nullSafe(exact, estimated, keys, "inner");
        assertThat(joined.count()).as("every exact group has an estimate").isEqualTo(exact.count());
        Column off = abs(col("p50_ms").minus(col("x50"))).gt(col("x50").multiply(BOUND))
                .or(abs(col("p95_ms").minus(col("x95"))).gt(col("x95").multiply(BOUND)))
                .or(abs(col("p99_ms").minus(col("x99"))).gt(col("x99").multiply(BOUND)))
                .or(col("timed_requests").notEqual(col("n")));
        return joined.where(off).count();
    }

    @Test
    void hourlyPercentilesAreWithinOnePercentOfExact() {
        Dataset<Row> exact = exact(logs.withColumn("hour", expr("date_trunc('hour', timestamp)")),
                Joins.keyColumns(TrendAggregator.HOURLY_KEYS));
        assertThat(exact.count()).as("the sample day has timed requests").isGreaterThan(100);
        assertThat(outOfBound(hourly, exact, TrendAggregator.HOURLY_KEYS)).isZero();
    }

    @Test
    void dailyRolledUpFromHourlyIsWithinOnePercentOfExact() {
        Dataset<Row> daily = TrendAggregator.daily(hourly);
        Dataset<Row> exact = exact(logs.withColumn("date", expr("to_date(timestamp)")),
                Joins.keyColumns(TrendAggregator.DAILY_KEYS));
        assertThat(outOfBound(daily, exact, TrendAggregator.DAILY_KEYS)).isZero();
    }

    @Test
    void fleetWidePerServiceRolledUpFromHourlyIsWithinOnePercentOfExact() {
        Dataset<Row> fleet = LatencyHistogram.merge(hourly.where(col("latency_hist").isNotNull()), List.of("service"),
                        "latency_hist")
                .withColumn("timed_requests", LatencyHistogram.total(col("latency_hist")))
                .withColumn("p50_ms", LatencyHistogram.quantile(col("latency_hist"), 0.5))
                .withColumn("p95_ms", LatencyHistogram.quantile(col("latency_hist"), 0.95))
                .withColumn("p99_ms", LatencyHistogram.quantile(col("latency_hist"), 0.99));
        Dataset<Row> exact = exact(logs, col("service"));
        assertThat(exact.count()).isGreaterThan(1);
        assertThat(outOfBound(fleet, exact, List.of("service"))).isZero();
    }

    /**
     * Distinct counts rolled up from the hourly HLL sketches (lgK 12: relative standard error 1.6%) against exact
     * ones: within 5% (three standard errors), and exact where a group has few values.
     */
    @Test
    void distinctCountsRolledUpFromHourlySketchesAreWithinTheirError() {
        Dataset<Row> exactDaily = logs.groupBy("region", "datacenter", "service", "level").agg(
                org.apache.spark.sql.functions.countDistinct(col("host")).as("x_hosts"),
                org.apache.spark.sql.functions.countDistinct(col("user")).as("x_users"),
                org.apache.spark.sql.functions.countDistinct(col("src_ip")).as("x_ips"));
        Dataset<Row> daily = TrendAggregator.daily(hourly);
        Dataset<Row> joined = Joins.nullSafe(exactDaily, daily, List.of("region", "datacenter", "service", "level"),
                "inner");
        assertThat(joined.count()).isEqualTo(exactDaily.count());
        assertThat(joined.where(off("distinct_hosts", "x_hosts").or(off("distinct_users", "x_users"))
                .or(off("distinct_src_ips", "x_ips"))).count()).isZero();

        Dataset<Row> exactFleet = logs.groupBy("service").agg(
                org.apache.spark.sql.functions.countDistinct(col("host")).as("x_hosts"),
                org.apache.spark.sql.functions.countDistinct(col("user")).as("x_users"));
        Dataset<Row> fleet = Joins.nullSafe(exactFleet, TrendAggregator.rollUp(hourly, List.of("service")),
                List.of("service"), "inner");
        assertThat(fleet.count()).isEqualTo(exactFleet.count());
        assertThat(fleet.where(off("distinct_hosts", "x_hosts").or(off("distinct_users", "x_users"))).count())
                .isZero();
        assertThat(fleet.agg(org.apache.spark.sql.functions.max("x_users")).first().getLong(0))
                .as("some service has enough users to leave the sketch's exact mode").isGreaterThan(100);
    }

    private static Column off(String estimate, String exact) {
        return abs(col(estimate).minus(col(exact))).gt(org.apache.spark.sql.functions.greatest(
                col(exact).multiply(0.05), org.apache.spark.sql.functions.lit(0)));
    }

    @Test
    void theHistogramIsTheSameWhateverThePartitioning() {
        List<Row> a = hourly.select("hour", "service", "region", "datacenter", "level", "latency_hist", "p99_ms")
                .orderBy("hour", "service", "region", "datacenter", "level").collectAsList();
        List<Row> b = TrendAggregator.hourly(logs.repartition(7))
                .select("hour", "service", "region", "datacenter", "level", "latency_hist", "p99_ms")
                .orderBy("hour", "service", "region", "datacenter", "level").collectAsList();
        assertThat(b).isEqualTo(a);
    }

    @Test
    void quantileReadsTheBucketOfTheNearestRank() {
        Row r = spark.sql("SELECT map(0, 1L, 10, 8L, 200, 1L) AS h").select(
                LatencyHistogram.quantile(col("h"), 0.05).as("q05"),
                LatencyHistogram.quantile(col("h"), 0.5).as("q50"),
                LatencyHistogram.quantile(col("h"), 0.95).as("q95"),
                LatencyHistogram.total(col("h")).as("n")).first();
        double mid = 2.0 / (1 + LatencyHistogram.GAMMA);
        assertThat(r.getDouble(0)).isCloseTo(Math.pow(1.02, 0) * mid, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.getDouble(1)).isCloseTo(Math.pow(1.02, 10) * mid, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.getDouble(2)).isCloseTo(Math.pow(1.02, 200) * mid, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.getLong(3)).isEqualTo(10L);
    }

    /** Buckets are read in key order, negative ones (sub-millisecond, zero) first; empty and null give null. */
    @Test
    void histogramReadersTakeBucketsInKeyOrderAndPassNullsThrough() {
        Row r = spark.sql("SELECT map(10, 1L, -100000, 2L, -35, 1L) AS h, map() :: map<int,bigint> AS empty,"
                        + " CAST(NULL AS map<int,bigint>) AS none")
                .select(LatencyHistogram.total(col("h")), LatencyHistogram.quantileBucket(col("h"), 0.5),
                        LatencyHistogram.quantileBucket(col("h"), 0.75),
                        LatencyHistogram.quantileBucket(col("h"), 0.95), LatencyHistogram.quantile(col("h"), 0.5),
                        LatencyHistogram.countAbove(col("h"), expr("-35")),
                        LatencyHistogram.quantile(col("empty"), 0.5), LatencyHistogram.quantile(col("none"), 0.5),
                        LatencyHistogram.total(col("none")))
                .first();
        assertThat(r.getLong(0)).isEqualTo(4L);
        assertThat(r.getInt(1)).isEqualTo(LatencyHistogram.ZERO_BUCKET);
        assertThat(r.getInt(2)).isEqualTo(-35);
        assertThat(r.getInt(3)).isEqualTo(10);
        assertThat(r.getDouble(4)).isEqualTo(0.0);
        assertThat(r.getLong(5)).isEqualTo(1L);
        assertThat(r.isNullAt(6)).isTrue();
        assertThat(r.isNullAt(7)).isTrue();
        assertThat(r.isNullAt(8)).isTrue();
    }
}
