package io.nightshift.jobs.detect.clusters;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import io.nightshift.jobs.config.AnomalyConfig;
import io.nightshift.jobs.config.WindowLength;
import io.nightshift.jobs.schema.CanonicalSchema;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.stage.Night;
import io.nightshift.jobs.stage.Stage;
import io.nightshift.jobs.stage.StageOutputs;

/**
 * Scores the day's logs with tonight's log-anomaly model (chosen, or trained, before the stages run:
 * {@code ModelFreshness}). Stages {@code log_templates}, {@code anomaly_scores} and findings with
 * {@code detector = cluster}.
 */
public final class ClusterStage implements Stage {
    private static final String TEMPLATE_ID = "template_id";
    private static final String TEMPLATE = "template";
    private static final String IS_NEW_TEMPLATE = "is_new_template";

    private final ScoringModel tonight;
    private final List<AnomalyConfig.View> views;
    private final int maxEvidencePerFinding;

    public ClusterStage(ScoringModel tonight, AnomalyConfig config, int maxEvidencePerFinding) {
        this.tonight = tonight;
        this.views = config.views();
        this.maxEvidencePerFinding = maxEvidencePerFinding;
    }

    @Override
    public String name() {
        return "cluster-anomalies";
    }

    /**
     * Assigns each row its log template while the day is read: the assignment reads every message, and done here
     * its three columns are cached with the day instead of in a second copy of it that {@link #run} would write.
     */
    @Override
    public Dataset<Row> beforeCache(Dataset<Row> usable) {
        return learnedTextDropped(tonight.model().templates().transform(usable));
    }

    @Override
    public StageOutputs run(Night night) {
        LogAnomalyModel model = tonight.model();
        int version = tonight.version();
        // After template assignment only ids, time, level, user and where a row comes from are read (and the views'
        // entities): the message and attributes, most of a row, and the network and request columns are left out.
        Set<String> unread = new HashSet<>(List.of(CanonicalSchema.MESSAGE, CanonicalSchema.ATTRIBUTES,
                CanonicalSchema.SRC_IP, CanonicalSchema.DST_IP, CanonicalSchema.ACTION, CanonicalSchema.OUTCOME,
                CanonicalSchema.STATUS_CODE, CanonicalSchema.BYTES_OUT, CanonicalSchema.DURATION_MS));
        views.forEach(v -> v.entity().forEach(unread::remove));
        Dataset<Row> templated;
        if (Arrays.asList(night.day().columns()).contains(TEMPLATE_ID)) {
            // Assigned in the pass that read the lake (beforeCache): read from the day's cache.
            templated = night.day().drop(unread.toArray(String[]::new));
        } else {
            templated = learnedTextDropped(model.templated(night.logs())).drop(unread.toArray(String[]::new))
                    .persist(StorageLevel.MEMORY_AND_DISK());
        }
        Dataset<Row> learned = model.templates().templates()
                .select(col("template_id").as("learned_id"), col("template").as("learned_text"));

        // Two steps: a hash aggregation over every row (fixed-width buffers only: the first row is named by the
        // hash of its id, since min over a string would make Spark sort every row of the day), then the
        // string-valued aggregates over its few thousand groups.
        Dataset<Row> perService = templated.groupBy("template_id", "template", "service").agg(
                min(xxhash64(col("row_id"))).as("first_row"), count(lit(1)).as("event_count"),
                min("timestamp").as("first_seen"), max("timestamp").as("last_seen"),
                max(col("is_new_template")).as("is_new"));
        Dataset<Row> perTemplate = perService.groupBy("template_id").agg(
                min_by(col("template"), col("first_row")).as("new_text"),
                sum("event_count").as("event_count"),
                min("first_seen").as("first_seen"), max("last_seen").as("last_seen"),
                max(col("is_new")).as("is_new"),
                slice(array_sort(collect_set(col("service"))), 1, 20).as("services"));
        Dataset<Row> templates = perTemplate
                .join(broadcast(learned), perTemplate.col("template_id").equalTo(learned.col("learned_id")), "left")
                .select(col("template_id"), coalesce(col("new_text"), col("learned_text")).as("template"),
                        col("event_count"), col("first_seen"), col("last_seen"), col("is_new"), col("services"),
                        lit(version).as("model_version"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        StageOutputs outputs = StageOutputs.of(ResultTables.LOG_TEMPLATES, templates);
        for (LogAnomalyModel.ViewModel vm : model.views()) {
            Dataset<Row> windows = vm.features().transform(templated);
            Dataset<Row> scored = vm.clusters().transform(windows)
                    .withColumn("view", lit(vm.view().name()))
                    .withColumn("model_version", lit(version))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            outputs = outputs.and(ResultTables.ANOMALY_SCORES, scored.select("view", "entity_type", "entity",
                    "window_start", "window_end", "line_count", "score", "is_anomaly", "cluster", "distance",
                    "top_templates", "model_version"));
            if (vm.view().entity().size() == 1) {
                outputs = outputs.andComputed(ResultTables.FINDINGS, ClusterFindings.build(scored, templated,
                        templates, vm.view().entity().get(0), WindowLength.seconds(vm.view().window()),
                        maxEvidencePerFinding, version));
            }
        }
        return outputs;
    }

    /**
     * A learned template's text is in the model; only a new template's text (its own masked line) is kept on its
     * rows. Most rows have a learned one, whose text would be copied into every cached row and hashed in the key of
     * the grouping by template.
     */
    private static Dataset<Row> learnedTextDropped(Dataset<Row> templated) {
        return templated.withColumn(TEMPLATE, when(col(IS_NEW_TEMPLATE), col(TEMPLATE)));
    }
}
