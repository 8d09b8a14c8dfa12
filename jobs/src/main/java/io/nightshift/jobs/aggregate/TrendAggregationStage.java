package io.nightshift.jobs.aggregate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.stage.Night;
import io.nightshift.jobs.stage.Stage;
import io.nightshift.jobs.stage.StageOutputs;

/** Stages the day's trend aggregates; {@code trend_daily} is rolled up from the hourly sketches, not the logs. */
public final class TrendAggregationStage implements Stage {
    @Override
    public String name() {
        return "trend-aggregates";
    }

    @Override
    public StageOutputs run(Night night) {
        Dataset<Row> hourly = TrendAggregator.hourly(night.logs()).persist(StorageLevel.MEMORY_AND_DISK());
        // Cached like the hourly table: trend detection reads them, and publishing would otherwise aggregate the
        // whole day again for each.
        return StageOutputs.of(ResultTables.TREND_HOURLY, hourly)
                .and(ResultTables.TREND_DAILY, TrendAggregator.daily(hourly))
                .and(ResultTables.TREND_HOST_HOURLY,
                        TrendAggregator.hostHourly(night.logs()).persist(StorageLevel.MEMORY_AND_DISK()))
                .and(ResultTables.TREND_ENTITY_HOURLY,
                        TrendAggregator.entityHourly(night.logs()).persist(StorageLevel.MEMORY_AND_DISK()));
    }
}
