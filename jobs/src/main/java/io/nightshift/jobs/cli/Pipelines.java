package io.nightshift.jobs.cli;

import java.util.List;

import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.pipeline.NightlyPipeline;
import io.nightshift.jobs.pipeline.Progress;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.incidents.IncidentStage;
import io.nightshift.jobs.trends.TrendAggregationStage;
import io.nightshift.jobs.trends.TrendDetectionStage;

/** The nightly stage list, in order, shared by run and backfill. */
final class Pipelines {
    private Pipelines() {
    }

    static NightlyPipeline nightly(ResultsStore store, NightshiftConfig config, Progress progress) {
        return new NightlyPipeline(store.spark(), config, store, List.of(
                new TrendAggregationStage(),
                new TrendDetectionStage(),
                new IncidentStage(config.incidents())), progress);
    }
}
