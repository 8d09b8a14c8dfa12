package io.nightshift.jobs.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.aggregate.TrendAggregationStage;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.ConfigLoader;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.detect.rules.FieldResolution;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleCatalog;
import io.nightshift.jobs.detect.rules.RuleStage;
import io.nightshift.jobs.detect.rules.load.RuleLoader;
import io.nightshift.jobs.lake.LakeReader;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.lakegen.cloudtrail.CloudTrailLake;

/**
 * A night over a generated CloudTrail-shaped lake (nested records: {@code userIdentity} a struct,
 * {@code requestParameters} JSON text) with the shipped example configuration ({@code conf/cloudtrail.yaml}) and its
 * Sigma rules: each rule fires on exactly the labelled events, reading nested fields through {@code lake.columns}
 * paths and the shipped {@code aws_cloudtrail} pipeline, and the filter on {@code userIdentity.type} leaves out the
 * AWS automation that its selection matches. The rules and trend stages only: enough for the nested input, a few
 * seconds.
 */
class CloudTrailNightTest {
    static final LocalDate DAY = LocalDate.parse("2026-11-20");
    static final String TAMPERING_RULE = "5b3f0c1e-8a27-4d6b-9f10-2c4e7a9d3b61";
    static final String BUCKET_RULE = "9e41d2a7-3c58-4f0b-b6e2-71a5c8d04f93";
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    /** The shipped example configuration, reading {@code lake} and writing a fresh namespace. */
    private static NightshiftConfig shippedConfigOn(Path lake) {
        NightshiftConfig c = ConfigLoader.load(TestSpark.repoRoot().resolve("conf/cloudtrail.yaml"), null);
        NightshiftConfig.LakeConfig l = c.lake();
        return new NightshiftConfig(new NightshiftConfig.LakeConfig(Location.local(lake), l.partitionColumn(), l.columns(),
                l.timestampFormat(), l.dedupKey(), l.ignoreCorruptFiles()), TestSpark.freshWarehouse(), c.reference(),
                c.trends(), c.anomaly(), c.rules(), c.intel(), c.incidents(), c.spark(), c.report(), c.redaction(),
                c.maintenance(), c.escalation(), c.notifications(), c.metrics());
    }

    private static List<String> evidence(ResultsStore store, String ruleId) {
        return store.read(ResultTables.FINDINGS)
                .where(col("date").equalTo(lit(DAY.toString()).cast("date")).and(col("detector_id").equalTo(ruleId)))
                .select(explode(col("evidence_row_ids"))).collectAsList().stream().map(r -> r.getString(0))
                .sorted().toList();
    }

    @Test
    void sigmaRulesFireOnExactlyTheLabelledEventsThroughNestedFields(@TempDir Path dir) throws Exception {
        CloudTrailLake.Result lake = CloudTrailLake.generate(spark, dir, DAY, 1, 400, 42);
        NightshiftConfig config = shippedConfigOn(lake.lakeDir());
        RuleCatalog catalog = RuleLoader.fromConfig(config.rules()).load(config.rules().directory());
        assertThat(catalog.valid()).as("%s", catalog.errors()).isTrue();
        Rule tampering = catalog.rules().stream().filter(r -> r.id().equals(TAMPERING_RULE)).findFirst().orElseThrow();
        assertThat(tampering.fields()).extracting(FieldResolution::toString).contains(
                "userIdentity.type -> attributes.userIdentity.type (pipeline aws_cloudtrail)",
                "eventName -> action (pipeline aws_cloudtrail)");

        ResultsStore store = new ResultsStore(spark, config.warehouse());
        store.ensureAll();
        NightlyPipeline.RunSummary night = new NightlyPipeline(spark, config, store,
                List.of(new TrendAggregationStage(), new RuleStage(catalog, 50, true)),
                new Progress(new PrintStream(new ByteArrayOutputStream()), "test")).run(DAY);

        assertThat(night.inputRows()).isEqualTo(lake.rows());
        assertThat(night.quarantinedRows()).isZero();
        assertThat(evidence(store, TAMPERING_RULE)).as("StopLogging/DeleteTrail by a person; not by automation")
                .isEqualTo(lake.labelled().get(CloudTrailLake.TRAIL_TAMPERING).stream().sorted().toList());
        assertThat(evidence(store, BUCKET_RULE)).as("the payroll bucket, named inside requestParameters' JSON")
                .isEqualTo(lake.labelled().get(CloudTrailLake.BUCKET_POLICY));

        // The automation's events match the selection (source and name) and only the nested userIdentity.type,
        // which the filter reads, leaves them out.
        List<Row> automation = new LakeReader(spark, config.lake()).read(DAY).rows()
                .where(col("row_id").isin(lake.labelled().get(CloudTrailLake.TRAIL_AUTOMATION).toArray()))
                .collectAsList();
        assertThat(automation).hasSize(2).allSatisfy(r -> {
            Map<String, String> attributes = r.getJavaMap(r.fieldIndex("attributes"));
            assertThat(attributes).containsEntry("eventSource", "cloudtrail.amazonaws.com");
            assertThat(r.<String>getAs("action")).isIn("StopLogging", "DeleteTrail", "UpdateTrail");
            assertThat(attributes.get("userIdentity.type")).isIn("AWSService", "AssumedRole");
        });

        Map<String, Row> profile = new java.util.HashMap<>();
        store.read(ResultTables.LAKE_PROFILE).where(col("date").equalTo(lit(DAY.toString()).cast("date")))
                .collectAsList().forEach(r -> profile.put(r.getAs("column_name"), r));
        assertThat(profile.get("user").<String>getAs("lake_column")).isEqualTo("userIdentity.arn");
        assertThat(profile.get("user").<Long>getAs("non_null")).as("AWS services have no arn")
                .isEqualTo(lake.rows() - 1);
        assertThat(profile.get("attributes").<String>getAs("conversion")).startsWith("keys [errorCode, eventSource, ");
        assertThat(profile.values()).allSatisfy(r -> assertThat(r.<Long>getAs("type_warnings")).isZero());
    }

    @Test
    void theShippedSampleIsWhatTheGeneratorMakes(@TempDir Path dir) throws Exception {
        CloudTrailLake.generate(spark, dir, DAY, 1, 400, 42);
        Path shipped = TestSpark.repoRoot().resolve("data-samples/cloudtrail");
        assertThat(Files.readString(shipped.resolve(CloudTrailLake.TRUTH_FILE)))
                .isEqualTo(Files.readString(dir.resolve(CloudTrailLake.TRUTH_FILE)));
        assertThat(spark.read().parquet(shipped.resolve("lake").toString()).count()).isEqualTo(406);
    }
}
