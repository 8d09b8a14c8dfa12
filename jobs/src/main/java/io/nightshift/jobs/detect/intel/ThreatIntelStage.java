package io.nightshift.jobs.detect.intel;

import java.time.LocalDate;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.config.IntelConfig;
import io.nightshift.jobs.detect.Findings;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.stage.Night;
import io.nightshift.jobs.stage.Stage;
import io.nightshift.jobs.stage.StageOutputs;

/**
 * Matches the day's logs against the indicator feeds and stages the hits as {@code threat_intel} findings. Feeds are
 * read once when the stage is built; which indicators apply is decided per logical date (expired, not-yet-valid and
 * revoked ones are ignored), so a backfill matches each day against what was current then. Skipped feed lines are
 * printed on the progress output (the first {@value #PROBLEMS_SHOWN}, then a count).
 */
public final class ThreatIntelStage implements Stage {
    static final int PROBLEMS_SHOWN = 20;

    private final IndicatorFeed feed;
    private final IntelConfig config;

    public ThreatIntelStage(IndicatorFeed feed, IntelConfig config) {
        this.feed = feed;
        this.config = config;
    }


    /** The indicators matched on {@code date}: current then, and at least {@code intel.min_confidence}. */
    public static List<Indicator> active(IndicatorFeed feed, IntelConfig config, LocalDate date) {
        return feed.activeOn(date).stream().filter(i -> i.confidence() >= config.minConfidence()).toList();
    }

    @Override
    public String name() {
        return "threat-intel";
    }

    @Override
    public StageOutputs run(Night night) {
        feed.problems().stream().limit(PROBLEMS_SHOWN)
                .forEach(p -> night.progress().line(String.format("%-18s skipped %s", name(), p)));
        if (feed.problems().size() > PROBLEMS_SHOWN) {
            night.progress().line(String.format("%-18s ... and %d more skipped feed entries", name(),
                    feed.problems().size() - PROBLEMS_SHOWN));
        }
        List<Indicator> active = active(feed, config, night.date());
        night.progress().line(String.format("%-18s %d indicators active on %s (%d expired or not yet valid)", name(),
                active.size(), night.date(), feed.inactiveOn(night.date())));
        if (active.isEmpty()) {
            return StageOutputs.empty();
        }
        Dataset<Row> indicators = IndicatorMatcher.indicatorTable(night.spark(), active);
        return StageOutputs.empty().andComputed(ResultTables.FINDINGS,
                Findings.withIds(new IndicatorMatcher(config.maxEvidenceRows()).findings(night.logs(), indicators)));
    }
}
