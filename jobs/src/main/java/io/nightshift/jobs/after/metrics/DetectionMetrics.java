package io.nightshift.jobs.after.metrics;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.config.MetricsConfig;
import io.nightshift.jobs.pipeline.NightlyPipeline;
import io.nightshift.jobs.store.JobRunLog;

/**
 * How well each detector and rule works, from what analysts did with its output: the rows of the
 * {@code detection_metrics} table, one per {@code (detector, detector_id)} that ever produced a finding. Pure: the
 * result tables in, a DataFrame out; {@link DetectionMetricsJob} reads and writes.
 *
 * <p>Definitions (all over the whole history):
 * <ul>
 *   <li>{@code incidents}: incidents listing at least one of its findings; {@code verdicts}: those of them with a
 *   triage verdict or marked {@code false_positive}; {@code false_positives}: those whose latest verdict is
 *   {@code false_positive} or whose status is; {@code false_positive_rate} = false positives / verdicts (null
 *   without verdicts). An incident counts for every detector that contributed to it.</li>
 *   <li>time to detect: a finding's {@code first_seen} to the end of the first succeeded nightly run of its date
 *   (when it became visible), in minutes.</li>
 *   <li>time to triage: an incident's creation (the end of the first succeeded run of its {@code created_date}) to
 *   the first analyst action or verdict on it; time to close: creation to {@code closed_at}; in hours. Incidents
 *   not yet triaged or closed do not count.</li>
 *   <li>{@code flagged_for_review}: at least {@code min_verdicts} verdicts and a rate above
 *   {@code max_false_positive_rate} (one bad call is no trend); {@code review_reason} says so in a sentence.</li>
 * </ul>
 * Medians are exact; each median is over the findings or incidents that have the times.
 */
public final class DetectionMetrics {
    private static final double MICROS_PER_MINUTE = 60_000_000.0;
    private static final double MICROS_PER_HOUR = 3_600_000_000.0;

    private final MetricsConfig config;

    public DetectionMetrics(MetricsConfig config) {
        this.config = config;
    }

    /**
     * @param findings  {@code findings} rows: detector, detector_id, finding_id, first_seen, date, metadata
     * @param incidents {@code incidents} rows: incident_id, finding_ids, status, created_date, closed_at
     * @param triage    {@code triage} rows: incident_id, verdict, recorded_at
     * @param actions   {@code incident_actions} rows: incident_id, recorded_at
     * @param jobRuns   {@code job_runs} rows: command, status, logical_date, ended_at
     * @return rows in the shape of {@code detection_metrics}
     */
    public Dataset<Row> compute(Dataset<Row> findings, Dataset<Row> incidents, Dataset<Row> triage,
                                Dataset<Row> actions, Dataset<Row> jobRuns, Timestamp computedAt) {
        Dataset<Row> runEnds = jobRuns
                .where(col("command").equalTo(NightlyPipeline.COMMAND).and(col("status").equalTo(JobRunLog.SUCCEEDED)))
                .groupBy(col("logical_date").as("run_date")).agg(min("ended_at").as("run_ended"));
        Dataset<Row> found = findings.select(col("detector"), col("detector_id"), col("finding_id"),
                col("first_seen"), col("date"), col("metadata").getItem("rule_status").as("rule_status"));
        Dataset<Row> perDetector = found
                .join(runEnds, found.col("date").equalTo(runEnds.col("run_date")), "left")
                .groupBy("detector", "detector_id")
                .agg(count_distinct(col("finding_id")).as("findings"),
                        median(between(col("first_seen"), col("run_ended"), MICROS_PER_MINUTE))
                                .as("median_minutes_to_detect"),
                        max_by(col("rule_status"), col("first_seen")).as("rule_status"));
        Dataset<Row> contributions = incidents
                .select(col("incident_id"), explode(col("finding_ids")).as("finding_id"))
                .join(found.select("finding_id", "detector", "detector_id").distinct(), "finding_id")
                .select("detector", "detector_id", "incident_id").distinct();
        Dataset<Row> perIncidentDetector = contributions.join(outcomes(incidents, triage, actions, runEnds),
                "incident_id");
        Dataset<Row> judged = perIncidentDetector.groupBy("detector", "detector_id")
                .agg(count_distinct(col("incident_id")).as("incidents"),
                        sum(when(col("has_verdict"), 1).otherwise(0)).as("verdicts"),
                        sum(when(col("is_false_positive"), 1).otherwise(0)).as("false_positives"),
                        median(col("hours_to_triage")).as("median_hours_to_triage"),
                        median(col("hours_to_close")).as("median_hours_to_close"));
        return withReview(perDetector.join(judged, new String[] {"detector", "detector_id"}, "left"), computedAt);
    }

    /** Per incident: whether it has a verdict, whether it is a false positive, hours to triage and to close. */
    private static Dataset<Row> outcomes(Dataset<Row> incidents, Dataset<Row> triage, Dataset<Row> actions,
                                         Dataset<Row> runEnds) {
        Dataset<Row> verdicts = triage.groupBy("incident_id").agg(
                max_by(col("verdict"), col("recorded_at")).as("latest_verdict"),
                min("recorded_at").as("first_verdict_at"));
        Dataset<Row> firstActions = actions.groupBy("incident_id").agg(min("recorded_at").as("first_action_at"));
        Column markedFalse = coalesce(col("status").equalTo(lit("false_positive")), lit(false));
        Column created = col("run_ended");
        return incidents.select("incident_id", "status", "created_date", "closed_at")
                .join(runEnds, col("created_date").equalTo(col("run_date")), "left")
                .join(verdicts, "incident_id", "left")
                .join(firstActions, "incident_id", "left")
                .select(col("incident_id"),
                        col("latest_verdict").isNotNull().or(markedFalse).as("has_verdict"),
                        coalesce(col("latest_verdict").equalTo(lit("false_positive")), lit(false)).or(markedFalse)
                                .as("is_false_positive"),
                        between(created, firstOf(col("first_verdict_at"), col("first_action_at")), MICROS_PER_HOUR)
                                .as("hours_to_triage"),
                        between(created, col("closed_at"), MICROS_PER_HOUR).as("hours_to_close"));
    }

    /** The earlier of two timestamps, either of which may be null. */
    private static Column firstOf(Column a, Column b) {
        return coalesce(least(a, b), a, b);
    }

    private static Column between(Column from, Column to, double microsPerUnit) {
        return unix_micros(to).minus(unix_micros(from)).divide(lit(microsPerUnit));
    }

    private Dataset<Row> withReview(Dataset<Row> metrics, Timestamp computedAt) {
        Column verdicts = coalesce(col("verdicts"), lit(0L));
        Column falsePositives = coalesce(col("false_positives"), lit(0L));
        Column rate = when(verdicts.gt(0), falsePositives.cast("double").divide(verdicts));
        Column flagged = verdicts.geq(config.minVerdicts()).and(coalesce(rate.gt(config.maxFalsePositiveRate()),
                lit(false)));
        return metrics.select(col("detector"), col("detector_id"), col("rule_status"), col("findings"),
                coalesce(col("incidents"), lit(0L)).as("incidents"), verdicts.as("verdicts"),
                falsePositives.as("false_positives"), rate.as("false_positive_rate"),
                col("median_minutes_to_detect"), col("median_hours_to_triage"), col("median_hours_to_close"),
                flagged.as("flagged_for_review"),
                when(flagged, format_string("%d of %d triaged incidents were false positives (%.0f%%), above "
                        + "metrics.max_false_positive_rate (%.0f%%): review it (tune its threshold or allowlist, or "
                        + "retire it)", falsePositives, verdicts, rate.multiply(100),
                        lit(config.maxFalsePositiveRate() * 100))).as("review_reason"),
                lit(computedAt).as("computed_at"));
    }
}
