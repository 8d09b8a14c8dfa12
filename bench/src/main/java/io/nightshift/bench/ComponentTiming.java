package io.nightshift.bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import io.nightshift.jobs.aggregate.TrendAggregationStage;
import io.nightshift.jobs.aggregate.TrendAggregator;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.base.SparkSessions;
import io.nightshift.jobs.config.AnomalyConfig;
import io.nightshift.jobs.config.ConfigLoader;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.detect.clusters.LogAnomalyModel;
import io.nightshift.jobs.detect.intel.Indicator;
import io.nightshift.jobs.detect.intel.IndicatorFeedLoader;
import io.nightshift.jobs.detect.intel.IndicatorMatcher;
import io.nightshift.jobs.detect.intel.ThreatIntelStage;
import io.nightshift.jobs.detect.rules.RuleStage;
import io.nightshift.jobs.detect.rules.load.RuleLoader;
import io.nightshift.jobs.detect.trends.TrendDetectionStage;
import io.nightshift.jobs.lake.LakeReader;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.stage.Night;
import io.nightshift.jobs.stage.StageOutputs;
import io.nightshift.jobs.store.ModelRegistry;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.store.StoredHistory;

/**
 * The hot paths of a night timed one at a time over the same day (a process of its own, started by
 * {@code scripts/bench} after the measured night, so the run's stages do not overlap them): template assignment of
 * every message, scoring (window features and cluster distances of every view), threat-intel matching against
 * the whole feed, the rule catalog, the day's trend aggregates (hourly, per host, per tenant and user) and the trend
 * checks over them. The nightly run interleaves these inside its stages; here each is forced alone with Spark's
 * {@code noop} sink, which computes every row and writes nothing.
 *
 * <p>Prints one {@value #PREFIX} line per component ({@code name seconds rows}) for {@link Benchmark} to read.
 */
final class ComponentTiming {
    static final String PREFIX = "COMPONENT";

    /** One timed component. */
    record Component(String name, double seconds, long rows) {
        double rowsPerSecond() {
            return rows / seconds;
        }

        String line() {
            return String.format(Locale.ROOT, "%s %s %.3f %d", PREFIX, name, seconds, rows);
        }

        /** The {@link #line()} form back, or null for any other line. */
        static Component parse(String line) {
            String[] p = line.trim().split(" ");
            if (p.length != 4 || !p[0].equals(PREFIX)) {
                return null;
            }
            return new Component(p[1], Double.parseDouble(p[2]), Long.parseLong(p[3]));
        }
    }

    private ComponentTiming() {
    }

    /**
     * {@code ComponentTiming CONFIG DATE [NAME...]}: times the components over DATE's logs with the newest model;
     * with names ({@code template-assignment}, {@code scoring}, {@code threat-intel}, {@code rules},
     * {@code trend-aggregates}, {@code trend-detection}), only those.
     */
    public static void main(String[] args) throws java.io.IOException {
        Path configFile = Path.of(args[0]).toAbsolutePath();
        LocalDate night = LocalDate.parse(args[1]);
        NightshiftConfig config = ConfigLoader.load(configFile, configFile.getParent());
        Map<String, String> conf = new LinkedHashMap<>(ResultsStore.sparkConf(config.warehouse()));
        conf.putAll(config.spark());
        try (SparkSession spark = SparkSessions.create("nightshift-bench-components", conf)) {
            measure(spark, config, night, List.of(args).subList(2, args.length))
                    .forEach(c -> System.out.println(c.line()));
        }
    }

    static List<Component> measure(SparkSession spark, NightshiftConfig config, LocalDate night, List<String> only) {
        java.util.function.Predicate<String> wanted = name -> only.isEmpty() || only.contains(name);
        // Only the model's components need a trained model: rules, intel and trends can be timed on a bare lake.
        LogAnomalyModel model = wanted.test("template-assignment") || wanted.test("scoring")
                ? newestModel(spark, config, night) : null;
        // The day's usable rows, cached as the nightly run caches them; reading is timed by the run itself.
        Dataset<Row> logs = new LakeReader(spark, config.lake()).read(night).cachedRows();
        long rows = logs.count();
        List<Component> out = new ArrayList<>();

        if (wanted.test("template-assignment")) {
            out.add(timed("template-assignment", rows, () -> model.templates().transform(logs)));
        }
        if (wanted.test("scoring")) {
            out.add(scoring(model, logs, rows));
        }
        if (wanted.test("threat-intel")) {
            out.add(threatIntel(spark, config, night, logs, rows));
        }
        if (wanted.test("rules")) {
            out.add(rules(config, logs, rows));
        }
        if (wanted.test("trend-aggregates")) {
            out.add(timed("trend-aggregates:hourly", rows, () -> TrendAggregator.hourly(logs)));
            out.add(timed("trend-aggregates:host", rows, () -> TrendAggregator.hostHourly(logs)));
            out.add(timed("trend-aggregates:entity", rows, () -> TrendAggregator.entityHourly(logs)));
        }
        if (wanted.test("trend-detection")) {
            out.add(trendDetection(spark, config, night, logs, rows));
        }
        logs.unpersist();
        return out;
    }

    private static LogAnomalyModel newestModel(SparkSession spark, NightshiftConfig config, LocalDate night) {
        ModelRegistry.Entry entry = new ModelRegistry(new ResultsStore(spark, config.warehouse()))
                .newest(AnomalyConfig.MODEL_NAME, night);
        if (entry == null) {
            throw new IllegalStateException("no model trained before " + night + " in " + config.warehouse().path());
        }
        return LogAnomalyModel.load(entry.path(), config.anomaly().views());
    }

    private static Component scoring(LogAnomalyModel model, Dataset<Row> logs, long rows) {
        Dataset<Row> templated = model.templated(logs).persist(StorageLevel.MEMORY_AND_DISK());
        templated.count();
        double scoring = 0;
        for (LogAnomalyModel.ViewModel vm : model.views()) {
            scoring += timed("scoring:" + vm.view().name(), rows,
                    () -> vm.clusters().transform(vm.features().transform(templated))).seconds();
        }
        templated.unpersist();
        return new Component("scoring", scoring, rows);
    }

    /** The whole catalog as the rules stage runs it: every rule's findings, unioned, with ids. */
    private static Component rules(NightshiftConfig config, Dataset<Row> logs, long rows) {
        RuleStage stage = new RuleStage(RuleLoader.fromConfig(config.rules()).load(config.rules().directory()),
                config.rules().maxEvidenceRows());
        return timed("rules:" + stage.catalog().rules().size(), rows, () -> stage.compute(logs).findings());
    }

    private static Component threatIntel(SparkSession spark, NightshiftConfig config, LocalDate night,
                                         Dataset<Row> logs, long rows) {
        List<Indicator> active = ThreatIntelStage.active(IndicatorFeedLoader.load(config.intel().directory(),
                        spark.sparkContext().hadoopConfiguration()),
                config.intel(), night);
        Dataset<Row> indicators = IndicatorMatcher.indicatorTable(spark, active);
        return timed("threat-intel:" + active.size(), rows,
                () -> new IndicatorMatcher(config.intel().maxEvidenceRows()).findings(logs, indicators));
    }

    /**
     * The trend checks against the stored history, over the day's aggregates computed and cached first (the nightly
     * run caches them in its aggregation stage): what is timed is the detection alone, its many small jobs over
     * tables of thousands of rows.
     */
    private static Component trendDetection(SparkSession spark, NightshiftConfig config, LocalDate night,
                                            Dataset<Row> logs, long rows) {
        ResultsStore store = new ResultsStore(spark, config.warehouse());
        TrendDetectionStage detection = new TrendDetectionStage(config.trends());
        Night day = new Night(spark, night, logs, logs, null, StageOutputs.empty(),
                new Progress(System.err, "[components] "));
        StageOutputs aggregates = new TrendAggregationStage().run(day);
        for (ResultTable table : List.of(ResultTables.TREND_HOURLY, ResultTables.TREND_HOST_HOURLY,
                ResultTables.TREND_ENTITY_HOURLY)) {
            aggregates.get(table).count();
        }
        long start = System.nanoTime();
        StageOutputs detected = detection.run(day.next(new StoredHistory(store, detection.name(), detection.reads()),
                aggregates));
        long findings = detected.get(ResultTables.FINDINGS).count();
        Component c = new Component("trend-detection", (System.nanoTime() - start) / 1e9, rows);
        System.err.println("[components] trend-detection: " + findings + " findings");
        aggregates.tables().values().forEach(Dataset::unpersist);
        return c;
    }

    private static Component timed(String name, long rows, Supplier<Dataset<Row>> plan) {
        // Planning is inside the timing: threat-intel matching collects and broadcasts the indicators' keys there.
        long start = System.nanoTime();
        plan.get().write().format("noop").mode("overwrite").save();
        return new Component(name, (System.nanoTime() - start) / 1e9, rows);
    }
}
