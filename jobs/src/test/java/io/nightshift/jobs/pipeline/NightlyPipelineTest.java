package io.nightshift.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.TestLogs;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.aggregate.TrendAggregationStage;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.stage.Night;
import io.nightshift.jobs.stage.Stage;
import io.nightshift.jobs.stage.StageOutputs;
import io.nightshift.jobs.store.ResultsStore;

class NightlyPipelineTest {
    static SparkSession spark;
    static final LocalDate DAY = LocalDate.parse("2026-11-20");

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    private static Path lake(Path root) {
        new TestLogs()
                .add("e1", "2026-11-20T01:00:00Z", "checkout", "h1", "GET /cart 200", "INFO")
                .add("e2", "2026-11-20T01:30:00Z", "checkout", "h1", "db timeout", "ERROR")
                .add("e2", "2026-11-20T01:30:00Z", "checkout", "h1", "db timeout", "ERROR")
                .add("e3", "garbage", "checkout", "h1", "bad time", "INFO")
                .add("e4", "2026-11-20T05:00:00Z", "search", "h2", "query ok", "INFO")
                .writePartition(spark, root, "2026-11-20");
        return root;
    }

    private static NightlyPipeline pipeline(NightshiftConfig config, ResultsStore store, List<Stage> stages) {
        return new NightlyPipeline(spark, config, store, stages,
                new Progress(new PrintStream(new ByteArrayOutputStream()), "test"));
    }

    private static List<String> snapshot(ResultsStore store, ResultTable table) {
        // Binary sketch columns compare by content through their hex form.
        return store.read(table).toJSON().collectAsList().stream().sorted().toList();
    }

    @Test
    void rerunningADateLeavesExactlyTheSameRows(@TempDir Path root) {
        NightshiftConfig config = TestSpark.config(lake(root), "event_id", Map.of());
        ResultsStore store = new ResultsStore(spark, config.warehouse());
        store.ensureAll();
        List<Stage> stages = List.of(new TrendAggregationStage());

        NightlyPipeline.RunSummary first = pipeline(config, store, stages).run(DAY);
        var tables = List.of(ResultTables.QUARANTINE, ResultTables.TREND_HOURLY, ResultTables.TREND_DAILY,
                ResultTables.TREND_HOST_HOURLY, ResultTables.TREND_ENTITY_HOURLY);
        var before = tables.stream().map(t -> snapshot(store, t)).toList();
        pipeline(config, store, stages).run(DAY);
        var after = tables.stream().map(t -> snapshot(store, t)).toList();

        assertThat(after).isEqualTo(before);
        assertThat(first.inputRows()).isEqualTo(5);
        assertThat(first.quarantinedRows()).isEqualTo(1);
        assertThat(store.read(ResultTables.TREND_HOURLY).groupBy().sum("event_count").first().getLong(0))
                .as("the duplicate delivery of e2 counts once").isEqualTo(3L);
        assertThat(store.read(ResultTables.QUARANTINE).count()).isEqualTo(1);

        List<Row> runs = store.read(ResultTables.JOB_RUNS).orderBy("started_at").collectAsList();
        assertThat(runs).hasSize(2).allSatisfy(r -> {
            assertThat(r.<String>getAs("status")).isEqualTo("succeeded");
            assertThat(r.<Long>getAs("input_rows")).isEqualTo(5L);
            assertThat(r.<Long>getAs("quarantined_rows")).isEqualTo(1L);
            assertThat(r.<Long>getAs("duplicate_rows")).isEqualTo(1L);
            assertThat(r.<scala.collection.Map<String, Long>>getAs("stage_counts").get("trend_hourly").get())
                    .isEqualTo(3L);
        });
    }

    @Test
    void aFailingStageLeavesTheTablesAsTheyWereAndRecordsTheFailure(@TempDir Path root) {
        NightshiftConfig config = TestSpark.config(lake(root), "event_id", Map.of());
        ResultsStore store = new ResultsStore(spark, config.warehouse());
        store.ensureAll();
        pipeline(config, store, List.of(new TrendAggregationStage())).run(DAY);
        var before = snapshot(store, ResultTables.TREND_HOURLY);

        // A second version of the day arrives, but a later stage fails: nothing of the new data may be visible.
        new TestLogs().add("n1", "2026-11-20T03:00:00Z", "checkout", "h9", "new data", "INFO")
                .writePartition(spark, root, "2026-11-20");
        List<String> runningWhileItRan = new java.util.ArrayList<>();
        Stage failing = new Stage() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public java.util.Set<ResultTable> reads() {
                return java.util.Set.of(ResultTables.JOB_RUNS);
            }

            @Override
            public StageOutputs run(Night night) {
                night.history().read(ResultTables.JOB_RUNS).where("status = 'running'").collectAsList()
                        .forEach(r -> runningWhileItRan.add(r.getAs("run_id")));
                return StageOutputs.of(ResultTables.TREND_HOURLY,
                        night.logs().selectExpr("assert_true(false, 'boom') x"));
            }
        };
        assertThatThrownBy(() -> pipeline(config, store, List.of(new TrendAggregationStage(), failing)).run(DAY))
                .hasMessageContaining("boom");

        assertThat(snapshot(store, ResultTables.TREND_HOURLY)).isEqualTo(before);
        Row last = store.read(ResultTables.JOB_RUNS).orderBy(org.apache.spark.sql.functions.col("started_at").desc())
                .first();
        assertThat(last.<String>getAs("status")).isEqualTo("failed");
        assertThat(last.<String>getAs("error_message")).contains("boom");
        assertThat(last.<java.sql.Timestamp>getAs("ended_at")).isNotNull();
        assertThat(runningWhileItRan).as("the run recorded itself as running before its stages")
                .containsExactly(last.<String>getAs("run_id"));
        assertThat(store.read(ResultTables.JOB_RUNS).count()).as("its running row was replaced, not added to")
                .isEqualTo(2);
    }

    /**
     * Failure isolation: a broken rule file, a Sigma correlation rule and a rule Spark cannot type are left out and
     * named in job_runs.detail; the night succeeds with the other rules' findings. A strict stage refuses.
     */
    @Test
    void rulesThatCannotRunAreLeftOutNamedAndTheNightGoesOn(@TempDir Path root) throws java.io.IOException {
        NightshiftConfig config = TestSpark.config(lake(root.resolve("lake")), "event_id", Map.of());
        ResultsStore store = new ResultsStore(spark, config.warehouse());
        store.ensureAll();
        Path rules = java.nio.file.Files.createDirectories(root.resolve("rules"));
        java.nio.file.Files.writeString(rules.resolve("timeouts.yml"), """
                title: Database timeouts
                id: db-timeouts
                logsource: {product: nightshift}
                detection:
                  keywords: ['db timeout']
                  condition: keywords
                """);
        java.nio.file.Files.writeString(rules.resolve("broken.yml"), """
                id: R-BROKEN
                title: t
                description: d
                severity: huge
                mitre: {tactic: TA0006}
                condition: {field: action, equals: login}
                """);
        java.nio.file.Files.writeString(rules.resolve("corr.yml"), """
                title: Many timeouts
                id: many-timeouts
                correlation: {type: event_count, rules: [db-timeouts], timespan: 1w, condition: {gte: 5}}
                """);
        io.nightshift.jobs.detect.rules.RuleCatalog loaded = io.nightshift.jobs.detect.rules.load.RuleLoader
                .fromConfig(config.rules().withDirectory(rules)).load(rules);
        io.nightshift.jobs.detect.rules.Rule good = loaded.rules().get(0);
        io.nightshift.jobs.detect.rules.Rule untyped = new io.nightshift.jobs.detect.rules.Rule("R-UNTYPED", "t",
                "d", good.severity(), good.status(), good.mitre(), List.of(), new io.nightshift.jobs.detect.rules
                .Condition.Match(new io.nightshift.jobs.detect.rules.FieldRef(io.nightshift.jobs.detect.rules
                .FieldRef.Kind.COLUMN, "no_such_column"), io.nightshift.jobs.detect.rules.Operator.EQUALS,
                List.of("x"), true), good.threshold(), good.suppression(), good.nextSteps(), good.format(),
                "untyped.yml", 1);
        var catalog = new io.nightshift.jobs.detect.rules.RuleCatalog(List.of(good, untyped), loaded.errors(),
                loaded.skipped());

        pipeline(config, store, List.of(new TrendAggregationStage(),
                new io.nightshift.jobs.detect.rules.RuleStage(catalog, 50, false))).run(DAY);

        Row run = store.read(ResultTables.JOB_RUNS).first();
        assertThat(run.<String>getAs("status")).isEqualTo("succeeded");
        assertThat(run.<String>getAs("detail").lines().toList()).satisfiesExactly(
                l -> assertThat(l).isEqualTo("rule left out: " + rules.resolve("broken.yml") + ":4: rule R-BROKEN:"
                        + " severity 'huge' is not one of informational, low, medium, high, critical"),
                l -> assertThat(l).isEqualTo("rule left out: " + rules.resolve("corr.yml") + ":3: rule"
                        + " many-timeouts: Sigma correlation rule skipped: 'correlation.timespan' '1w' is longer than"
                        + " the one day a night reads (at most 1d)"),
                l -> assertThat(l).startsWith("rule left out: untyped.yml:1: rule R-UNTYPED: cannot run over the"
                        + " day's columns: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function"
                        + " parameter with name `no_such_column` cannot be resolved."));
        assertThat(store.read(ResultTables.FINDINGS).select("detector_id").as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList()).containsExactly("db-timeouts");

        assertThatThrownBy(() -> new io.nightshift.jobs.detect.rules.RuleStage(catalog, 50, true))
                .hasMessageContaining("broken.yml:4: rule R-BROKEN");
        var typedOnly = new io.nightshift.jobs.detect.rules.RuleCatalog(List.of(good, untyped), List.of(), List.of());
        assertThatThrownBy(() -> pipeline(config, store, List.of(
                new io.nightshift.jobs.detect.rules.RuleStage(typedOnly, 50, true))).run(DAY))
                .isInstanceOf(io.nightshift.jobs.base.NightshiftException.class)
                .hasMessageStartingWith("untyped.yml:1: rule R-UNTYPED: cannot run over the day's columns");
    }

    /** Spark's AnalysisException is a checked exception thrown undeclared; it ends the run as failed too. */
    @Test
    void aCheckedExceptionThrownUndeclaredIsRecordedAsAFailure(@TempDir Path root) {
        NightshiftConfig config = TestSpark.config(lake(root), "event_id", Map.of());
        ResultsStore store = new ResultsStore(spark, config.warehouse());
        store.ensureAll();
        Stage throwing = new Stage() {
            @Override
            public String name() {
                return "throwing";
            }

            @Override
            public StageOutputs run(Night night) {
                throwUndeclared(new Exception("[PARQUET_TYPE_ILLEGAL] checked and undeclared"));
                return StageOutputs.empty();
            }
        };
        assertThatThrownBy(() -> pipeline(config, store, List.of(throwing)).run(DAY))
                .hasMessageContaining("PARQUET_TYPE_ILLEGAL");

        assertThat(store.read(ResultTables.JOB_RUNS).collectAsList()).singleElement().satisfies(r -> {
            assertThat(r.<String>getAs("status")).isEqualTo("failed");
            assertThat(r.<String>getAs("error_message")).contains("checked and undeclared");
        });
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void throwUndeclared(Throwable e) throws E {
        throw (E) e;
    }

    /** A row a killed process left running is marked abandoned by the next run of its date, and only of its date. */
    @Test
    void theNextRunOfADateMarksItsOrphanedRunningRowAbandoned(@TempDir Path root) {
        NightshiftConfig config = TestSpark.config(lake(root), "event_id", Map.of());
        ResultsStore store = new ResultsStore(spark, config.warehouse());
        store.ensureAll();
        var log = new io.nightshift.jobs.store.JobRunLog(store);
        log.started("killed-run", NightlyPipeline.COMMAND, DAY, java.time.Instant.now().minusSeconds(3600));
        log.started("other-day-run", NightlyPipeline.COMMAND, DAY.minusDays(1), java.time.Instant.now());

        NightlyPipeline.RunSummary summary = pipeline(config, store, List.of(new TrendAggregationStage())).run(DAY);

        Map<String, Row> byId = new java.util.HashMap<>();
        store.read(ResultTables.JOB_RUNS).collectAsList().forEach(r -> byId.put(r.getAs("run_id"), r));
        assertThat(byId.get("killed-run").<String>getAs("status")).isEqualTo("abandoned");
        assertThat(byId.get("killed-run").<String>getAs("error_message"))
                .contains("without recording an outcome").contains(summary.runId());
        assertThat(byId.get("killed-run").<java.sql.Timestamp>getAs("ended_at")).isNotNull();
        assertThat(byId.get("other-day-run").<String>getAs("status")).isEqualTo("running");
        assertThat(byId.get(summary.runId()).<String>getAs("status")).isEqualTo("succeeded");
    }
}
