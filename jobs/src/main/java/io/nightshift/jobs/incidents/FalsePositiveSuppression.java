package io.nightshift.jobs.incidents;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Marks findings whose fingerprint an analyst declared a false positive, while the verdict's suppression lasts.
 * Suppressed findings stay in the findings table (suppressed = true, with the verdict named), never dropped; they
 * just do not open or extend incidents.
 */
public final class FalsePositiveSuppression {
    private FalsePositiveSuppression() {
    }

    public static Dataset<Row> apply(Dataset<Row> findings, Dataset<Row> triage, LocalDate date) {
        // A verdict counts for every run made after it, reruns of earlier dates included: the triage table is part
        // of a run's input, and a marked false positive must not come back when a date is reprocessed.
        Dataset<Row> active = triage.where(col("verdict").equalTo("false_positive")
                        .and(col("suppress_until").geq(lit(date.toString()).cast("date"))))
                .select(explode(col("fingerprints")).as("fp"), col("incident_id"), col("analyst"),
                        col("suppress_until"), col("triage_id"))
                .groupBy("fp")
                .agg(min_by(col("incident_id"), col("triage_id")).as("fp_incident"),
                        min_by(col("analyst"), col("triage_id")).as("fp_analyst"),
                        max("suppress_until").as("fp_until"));
        Dataset<Row> joined = findings.join(broadcast(active), findings.col("fingerprint").equalTo(active.col("fp")),
                "left");
        return joined
                .withColumn("suppressed", coalesce(col("suppressed"), lit(false)).or(col("fp").isNotNull()))
                .withColumn("suppression_reason", when(col("fp").isNotNull(), concat(
                        lit("false positive per triage of "), col("fp_incident"), lit(" by "),
                        coalesce(col("fp_analyst"), lit("?")), lit(" (suppressed until "),
                        col("fp_until").cast("string"), lit(")"))).otherwise(col("suppression_reason")))
                .drop("fp", "fp_incident", "fp_analyst", "fp_until");
    }
}
