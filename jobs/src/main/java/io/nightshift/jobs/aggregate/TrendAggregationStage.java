package io.nightshift.jobs.aggregate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import io.nightshift.jobs.pipeline.Stage;
import io.nightshift.jobs.pipeline.StageContext;
import io.nightshift.jobs.tables.ResultTables;

/** Stages the day's trend aggregates; {@code trend_daily} is rolled up from the hourly sketches, not the logs. */
public final class TrendAggregationStage implements Stage {
    @Override
    public String name() {
        return "trend-aggregates";
    }

    @Override
    public void run(StageContext ctx) {
        Dataset<Row> hourly = TrendAggregator.hourly(ctx.logs()).persist(StorageLevel.MEMORY_AND_DISK());
        ctx.outputs().add(ResultTables.TREND_HOURLY, hourly);
        ctx.outputs().add(ResultTables.TREND_DAILY, TrendAggregator.daily(hourly));
        // Cached like the hourly table: trend detection reads them, and publishing would otherwise aggregate the
        // whole day again for each.
        ctx.outputs().add(ResultTables.TREND_HOST_HOURLY,
                TrendAggregator.hostHourly(ctx.logs()).persist(StorageLevel.MEMORY_AND_DISK()));
        ctx.outputs().add(ResultTables.TREND_ENTITY_HOURLY,
                TrendAggregator.entityHourly(ctx.logs()).persist(StorageLevel.MEMORY_AND_DISK()));
    }
}
