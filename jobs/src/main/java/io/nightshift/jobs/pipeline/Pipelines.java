package io.nightshift.jobs.pipeline;

import java.util.List;

import io.nightshift.jobs.aggregate.TrendAggregationStage;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.detect.clusters.ClusterStage;
import io.nightshift.jobs.detect.intel.ThreatIntelStage;
import io.nightshift.jobs.detect.rules.RuleStage;
import io.nightshift.jobs.detect.trends.TrendDetectionStage;
import io.nightshift.jobs.incidents.IncidentStage;
import io.nightshift.jobs.store.ResultsStore;

/** The nightly stage list, in order, shared by run and backfill. */
public final class Pipelines {
    private Pipelines() {
    }

    public static NightlyPipeline nightly(ResultsStore store, NightshiftConfig config, Progress progress) {
        return nightly(store, config, progress, null);
    }

    /** @param modelVersion a log-anomaly model version to score with, or null for the newest */
    public static NightlyPipeline nightly(ResultsStore store, NightshiftConfig config, Progress progress,
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
