package io.nightshift.jobs.pipeline;

import java.util.ArrayList;
import java.util.List;

import io.nightshift.jobs.aggregate.TrendAggregationStage;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.detect.clusters.ClusterStage;
import io.nightshift.jobs.detect.intel.IndicatorFeedLoader;
import io.nightshift.jobs.detect.intel.ThreatIntelStage;
import io.nightshift.jobs.detect.rules.RuleStage;
import io.nightshift.jobs.detect.rules.load.RuleLoader;
import io.nightshift.jobs.detect.trends.TrendDetectionStage;
import io.nightshift.jobs.incidents.IncidentStage;
import io.nightshift.jobs.stage.Stage;
import io.nightshift.jobs.store.ResultsStore;

/**
 * The nightly stages, in order, shared by run, backfill and score: rules and threat-intel feeds are loaded once,
 * tonight's model is chosen per date. A rule that cannot run is left out and named (the night goes on), unless the
 * rules are strict ({@code --strict-rules}): then a broken rule file fails before any night starts.
 */
public final class Pipelines {
    private Pipelines() {
    }

    public static NightlyPipeline nightly(ResultsStore store, NightshiftConfig config, Progress progress) {
        return nightly(store, config, progress, null, false);
    }

    public static NightlyPipeline nightly(ResultsStore store, NightshiftConfig config, Progress progress,
                                          boolean strictRules) {
        return nightly(store, config, progress, null, strictRules);
    }

    /**
     * @param modelVersion a log-anomaly model version to score with, or null for the newest
     * @param strictRules  refuse to run while any rule is invalid or cannot be typed, instead of leaving it out
     */
    public static NightlyPipeline nightly(ResultsStore store, NightshiftConfig config, Progress progress,
                                          Integer modelVersion, boolean strictRules) {
        RuleStage rules = new RuleStage(RuleLoader.fromConfig(config.rules()).load(config.rules().directory()),
                config.rules().maxEvidenceRows(), strictRules);
        ThreatIntelStage intel = new ThreatIntelStage(IndicatorFeedLoader.load(config.intel().directory(),
                store.spark().sparkContext().hadoopConfiguration()),
                config.intel());
        ModelFreshness models = new ModelFreshness(config, store, progress);
        return new NightlyPipeline(store.spark(), config, store, date -> {
            List<Stage> stages = new ArrayList<>(List.of(new TrendAggregationStage(),
                    new TrendDetectionStage(config.trends())));
            models.tonight(date, modelVersion).ifPresent(model -> stages.add(
                    new ClusterStage(model, config.anomaly(), config.incidents().maxEvidencePerFinding())));
            stages.addAll(List.of(rules, intel, new IncidentStage(config.incidents(), config.escalation(),
                    config.redaction(), config.reference())));
            return stages;
        }, progress);
    }
}
