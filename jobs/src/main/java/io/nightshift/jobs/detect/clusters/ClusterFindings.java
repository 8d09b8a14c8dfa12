package io.nightshift.jobs.detect.clusters;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.unix_timestamp;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import io.nightshift.jobs.detect.Findings;

/**
 * Findings from anomalous windows of one view: consecutive anomalous windows of an entity become one finding,
 * explained by the templates that pulled it away from its cluster (text, observed and expected counts), with the
 * log rows of those templates as evidence.
 */
final class ClusterFindings {
    private ClusterFindings() {
    }

    /**
     * @param scores     anomaly_scores rows of the view
     * @param templated  the day's logs with template ids
     * @param templates  {@code template_id, template} of the day
     * @param entityCol  the view's (single) entity column
     * @param windowSeconds the view's window length
     */
    static Dataset<Row> build(Dataset<Row> scores, Dataset<Row> templated, Dataset<Row> templates, String entityCol,
                              long windowSeconds, int maxEvidence, int modelVersion) {
        Dataset<Row> anomalous = scores.where(col("is_anomaly"));
        Column index = unix_timestamp(col("window_start")).divide(windowSeconds).cast("long");
        Dataset<Row> runs = anomalous
                .withColumn("island", index.minus(row_number().over(
                        Window.partitionBy("view", "entity").orderBy("window_start"))))
                .groupBy(col("view"), col("entity"), col("island"))
                .agg(min("window_start").as("first_seen"), max("window_end").as("last_seen"),
                        max("score").as("score"), max_by(col("top_templates"), col("score")).as("top_templates"),
                        count(lit(1)).as("windows"), max_by(col("line_count"), col("score")).as("line_count"))
                .drop("island")
                .withColumn("run_key", concat_ws("|", col("view"), col("entity"),
                        col("first_seen").cast("string")));

        Dataset<Row> explained = runs.select(col("run_key"), posexplode(slice(col("top_templates"), 1, 3)))
                .select(col("run_key"), col("pos"), col("col.template_id").as("template_id"),
                        col("col.observed").as("observed"), col("col.expected").as("expected"));
        Dataset<Row> tpl = templates.select(col("template_id").as("t_id"), col("template").as("t_text"));
        Dataset<Row> lines = explained.join(broadcast(tpl), explained.col("template_id").equalTo(tpl.col("t_id")), "left")
                .select(col("run_key"), col("pos"), col("template_id"), format_string("'%s' %.0f× (expected %.1f)",
                        coalesce(substring(col("t_text"), 1, 160), col("template_id")), col("observed"),
                        col("expected")).as("line"));
        Dataset<Row> explanation = lines.groupBy("run_key")
                .agg(array_sort(collect_list(struct(col("pos"), col("line"), col("template_id")))).as("parts"))
                .select(col("run_key"), concat_ws("; ", col("parts.line")).as("explanation"),
                        element_at(col("parts.template_id"), 1).as("top_template_id"),
                        col("parts.template_id").as("explaining_templates"));

        // Evidence: the rows of the explaining templates, for that entity, inside the run.
        Dataset<Row> wanted = runs.join(explanation, "run_key")
                .select(col("run_key"), col("entity").as("e_value"), col("first_seen").as("e_first"),
                        col("last_seen").as("e_last"), col("explaining_templates"));
        Dataset<Row> evidence = templated.join(broadcast(wanted), templated.col("`" + entityCol + "`")
                        .equalTo(wanted.col("e_value"))
                        .and(templated.col("timestamp").geq(wanted.col("e_first")))
                        .and(templated.col("timestamp").lt(wanted.col("e_last")))
                        .and(org.apache.spark.sql.functions.array_contains(wanted.col("explaining_templates"),
                                templated.col("template_id"))))
                .withColumn("n", row_number().over(Window.partitionBy("run_key").orderBy("timestamp", "row_id")))
                .where(col("n").leq(maxEvidence))
                .groupBy("run_key").agg(array_sort(collect_list(col("row_id"))).as("evidence_row_ids"));

        // Only the anomalous entities' rows: min() over strings is a sort-based aggregate, too costly for every row.
        Dataset<Row> flagged = broadcast(runs.select(col("entity").as("f_entity")).distinct());
        Dataset<Row> context = entityContext(templated.join(flagged,
                templated.col("`" + entityCol + "`").equalTo(flagged.col("f_entity")), "left_semi"), entityCol);
        Dataset<Row> joined = runs.join(explanation, "run_key", "left")
                .join(evidence, "run_key", "left")
                .join(broadcast(context), runs.col("entity").equalTo(context.col("c_entity")), "left");
        Column where = concat(lit(entityCol.replace("_id", "")), lit(" "), col("entity"),
                coalesce(concat(lit(" ("), col("c_service"), lit(", "), col("c_region"), lit(")")), lit("")));
        Column description = concat(lit("unusual log output from "), where, lit(" between "),
                date_format(col("first_seen"), "HH:mm"), lit(" and "), date_format(col("last_seen"), "HH:mm"),
                format_string(" (score %.1f, view %s, %d windows): ", col("score"), col("view"), col("windows")),
                coalesce(col("explanation"), lit("no template stands out")));
        Dataset<Row> findings = joined.select(
                lit("cluster").as("detector"),
                concat(lit("cluster:"), col("view")).as("detector_id"),
                concat(lit("Anomalous log output: "), where).as("title"),
                description.as("description"),
                col("score"), Findings.severityOf(col("score")).as("severity"),
                col("first_seen"), col("last_seen"),
                entity(entityCol, "host", col("c_host")).as("host"),
                entity(entityCol, "service", col("c_service")).as("service"),
                entity(entityCol, "user", lit(null).cast("string")).as("user"),
                entity(entityCol, "tenant_id", col("c_tenant")).as("tenant_id"),
                col("c_region").as("region"), col("c_datacenter").as("datacenter"), col("c_farm").as("farm"),
                col("line_count").cast("double").as("observed"),
                col("evidence_row_ids"),
                map(lit("view"), col("view"), lit("model_version"), lit(String.valueOf(modelVersion)),
                        lit("template_id"), col("top_template_id"),
                        lit("windows"), col("windows").cast("string")).as("metadata"),
                lit(false).as("suppressed"));
        return Findings.withIds(findings);
    }

    private static Column entity(String entityCol, String column, Column fromContext) {
        return entityCol.equals(column) ? col("entity") : fromContext;
    }

    /**
     * Where an entity lives, for the finding's scope: a host's service, farm, datacenter and region; a user's
     * tenant. The smallest value wins when there are several, so the result is deterministic.
     */
    private static Dataset<Row> entityContext(Dataset<Row> logs, String entityCol) {
        Column single = col("`" + entityCol + "`");
        Column host = entityCol.equals("host") ? min(col("host")) : lit(null).cast("string");
        Column service = entityCol.equals("host") ? min(col("service")) : lit(null).cast("string");
        boolean located = entityCol.equals("host");
        // min() over strings is a sort-based aggregate: it runs over the few distinct combinations, not every row.
        Set<String> used = new LinkedHashSet<>(List.of(entityCol, "host", "service", "region",
                "datacenter", "farm", "tenant_id"));
        Dataset<Row> distinct = logs.where(single.isNotNull())
                .select(used.stream().map(c -> col("`" + c + "`")).toArray(Column[]::new)).distinct();
        return distinct.groupBy(single.as("c_entity")).agg(
                host.as("c_host"), service.as("c_service"),
                located ? min(col("region")).as("c_region") : lit(null).cast("string").as("c_region"),
                located ? min(col("datacenter")).as("c_datacenter") : lit(null).cast("string").as("c_datacenter"),
                located ? min(col("farm")).as("c_farm") : lit(null).cast("string").as("c_farm"),
                entityCol.equals("user") ? min(col("tenant_id")).as("c_tenant") : lit(null).cast("string").as("c_tenant"));
    }
}
