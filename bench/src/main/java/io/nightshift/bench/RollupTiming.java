package io.nightshift.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.aggregate.TrendAggregator;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.config.NightshiftConfig.LakeConfig;
import io.nightshift.jobs.lake.LakeReader;

/**
 * The coarse views of a night — {@code trend_daily}, each service fleet-wide, each service per region — built two
 * ways: rolled up from the stored hourly rows (sketches and histograms), and from a rescan of the day's raw logs.
 *
 * @param fromHourlySeconds wall time of the three views from {@code trend_hourly}
 * @param fromRawSeconds    wall time of the same views from the lake (read, hourly aggregation, roll-up)
 */
record RollupTiming(double fromHourlySeconds, double fromRawSeconds) {
    static RollupTiming measure(SparkSession spark, String hourlyTable, Path lake, LocalDate night) {
        Dataset<Row> stored = spark.table(hourlyTable).where(col("date").equalTo(lit(night.toString()).cast("date")));
        double fromHourly = views(stored);
        Dataset<Row> raw = new LakeReader(spark, new LakeConfig(Location.local(lake), "date", Map.of(), null, "event_id", false))
                .read(night).rows();
        long start = System.nanoTime();
        views(TrendAggregator.hourly(raw));
        double fromRaw = (System.nanoTime() - start) / 1e9;
        return new RollupTiming(fromHourly, fromRaw);
    }

    private static double views(Dataset<Row> hourly) {
        long start = System.nanoTime();
        TrendAggregator.daily(hourly).count();
        TrendAggregator.rollUp(hourly, List.of("service")).count();
        TrendAggregator.rollUp(hourly, List.of("service", "region")).count();
        return (System.nanoTime() - start) / 1e9;
    }
}
