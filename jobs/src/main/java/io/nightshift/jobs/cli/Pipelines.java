package io.nightshift.jobs.cli;

import java.util.List;

import io.nightshift.jobs.anomaly.ClusterStage;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.intel.ThreatIntelStage;
import io.nightshift.jobs.rules.RuleStage;
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
        return nightly(store, config, progress, null);
    }

    /** @param modelVersion a log-anomaly model version to score with, or null for the newest */
    static NightlyPipeline nightly(ResultsStore store, NightshiftConfig config, Progress progress,
                                   Integer modelVersion) {
        return new NightlyPipeline(store.spark(), config, store, List.of(
                new TrendAggregationStage(),
                new TrendDetectionStage(),
                new ClusterStage(modelVersion),
                RuleStage.fromConfig(config.rules()),
                ThreatIntelStage.fromConfig(config.intel()),
                new IncidentStage(config.incidents())), progress);
    }
}
