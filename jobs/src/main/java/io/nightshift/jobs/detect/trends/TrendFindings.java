package io.nightshift.jobs.detect.trends;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Turns runs of abnormal hours into finding rows with a title and a description a person reads, e.g. "error rate
 * on checkout in eu-west rose to 23.0% between 02:00 and 04:00; expected 0.4% ± 0.2%".
 */
final class TrendFindings {
    private TrendFindings() {
    }

    private static Column hhmm(String c) {
        return date_format(col(c), "HH:mm");
    }

    private static Column between() {
        return concat(lit(" between "), hhmm("first_seen"), lit(" and "), hhmm("last_seen"));
    }

    private static Column scope(String grain) {
        Column regionPart = coalesce(col("region"), lit("?"));
        return switch (grain) {
            case "production_wide" -> concat(lit("regions "), col("regions"));
            case "service_datacenter" -> concat(regionPart, lit(" datacenter "), coalesce(col("datacenter"), lit("?")));
            default -> regionPart;
        };
    }

    /** Findings from service series (volume, silence, error rate) at one grain. */
    static Dataset<Row> service(Dataset<Row> runs, String grain) {
        Dataset<Row> r = grain.equals("production_wide") ? runs : runs.withColumn("regions", col("region"));
        Column check = col("check");
        Column svc = coalesce(col("service"), lit("?"));
        Column where = scope(grain);
        Column description = when(check.equalTo("error_rate_surge"), concat(
                        lit("error rate on "), svc, lit(" in "), where,
                        format_string(" rose to %.1f%%", col("value").multiply(100)), between(),
                        format_string("; expected %.1f%% ± %.1f%% (%.0f errors in %.0f events at the peak hour)",
                                col("expected").multiply(100), col("spread").multiply(100), col("errors"),
                                col("events"))))
                .when(check.equalTo("latency_p95"), concat(lit("p95 latency of "), svc, lit(" in "), where,
                        format_string(" rose to %,.0f ms", col("value")), between(),
                        format_string("; usually %,.0f ms at that hour (%,.0f of %,.0f requests were slower than "
                                + "that at the peak hour, where 5%% is usual)", col("expected"), col("errors"),
                                col("events"))))
                .when(check.startsWith("status_"), concat(lit("share of "),
                        when(check.equalTo("status_5xx_surge"), lit("5xx")).otherwise(lit("4xx")),
                        lit(" responses of "), svc, lit(" in "), where,
                        format_string(" rose to %.1f%%", col("value").multiply(100)), between(),
                        format_string("; expected %.1f%% ± %.1f%% (%.0f of %.0f responses at the peak hour)",
                                col("expected").multiply(100), col("spread").multiply(100), col("errors"),
                                col("events"))))
                .when(check.equalTo("volume_spike"), concat(lit("log volume of "), svc, lit(" in "), where,
                        format_string(" rose to %,.0f events/hour", col("value")), between(),
                        format_string("; expected %,.0f ± %,.0f", col("expected"), col("spread"))))
                .when(check.equalTo("volume_drop"), concat(lit("log volume of "), svc, lit(" in "), where,
                        format_string(" fell to %,.0f events/hour", col("value")), between(),
                        format_string("; expected %,.0f ± %,.0f", col("expected"), col("spread"))))
                .otherwise(concat(svc, lit(" in "), where, lit(" stopped logging"), between(),
                        format_string("; expected about %,.0f events in those hours", col("expected_total"))));
        Column title = concat(when(check.equalTo("error_rate_surge"), lit("Error-rate surge"))
                        .when(check.equalTo("latency_p95"), lit("Latency degradation"))
                        .when(check.equalTo("status_5xx_surge"), lit("5xx surge"))
                        .when(check.equalTo("status_4xx_surge"), lit("4xx surge"))
                        .when(check.equalTo("volume_spike"), lit("Volume spike"))
                        .when(check.equalTo("volume_drop"), lit("Volume drop"))
                        .otherwise(lit("Service silent")),
                lit(" on "), svc, lit(" in "), where);
        return r.select(
                concat(check, lit(":"), lit(grain)).as("detector_id"),
                title.as("title"), description.as("description"),
                col("first_seen"), col("last_seen"), col("service"), col("region"), col("datacenter"),
                col("value").as("observed"), col("expected"), col("spread").as("expected_spread"), col("z"),
                map(lit("grain"), lit(grain), lit("check"), check, lit("hours"), col("hours").cast("string"),
                        lit("regions"), col("regions"), lit("z"), format_string("%.1f", col("z"))).as("metadata"));
    }

    static Dataset<Row> hostSilence(Dataset<Row> runs) {
        return runs.select(
                lit("silence:host").as("detector_id"),
                concat(lit("Host silent: "), col("host")).as("title"),
                concat(lit("host "), col("host"), lit(" (usually "), coalesce(col("usual_service"), lit("?")),
                        lit("; farm "), coalesce(col("farm"), lit("?")), lit(", "),
                        coalesce(col("datacenter"), lit("?")), lit(") stopped logging"), between(),
                        format_string("; expected about %,.0f events in those hours", col("expected_total")))
                        .as("description"),
                col("first_seen"), col("last_seen"), col("host"), col("region"), col("datacenter"),
                col("farm"), col("value").as("observed"), col("expected"), col("spread").as("expected_spread"),
                col("z"),
                map(lit("grain"), lit("host"), lit("check"), lit("silence"), lit("hours"),
                        col("hours").cast("string"), lit("usual_service"), coalesce(col("usual_service"), lit("")))
                        .as("metadata"));
    }

    static Dataset<Row> authFailures(Dataset<Row> runs) {
        return runs.select(
                lit("auth_failure_spike:tenant").as("detector_id"),
                concat(lit("Failed-login spike for tenant "), col("tenant_id")).as("title"),
                concat(lit("failed logins for tenant "), col("tenant_id"),
                        format_string(" rose to %,.0f per hour", col("value")), between(),
                        format_string("; expected %,.1f ± %,.1f (%,.0f failures in the period)", col("expected"),
                                col("spread"), col("value_total"))).as("description"),
                col("first_seen"), col("last_seen"), col("tenant_id"),
                col("value").as("observed"), col("expected"), col("spread").as("expected_spread"), col("z"),
                map(lit("grain"), lit("tenant"), lit("check"), lit("auth_failure_spike"), lit("hours"),
                        col("hours").cast("string")).as("metadata"));
    }

    static Dataset<Row> bytesOut(Dataset<Row> scored, LocalDate day) {
        return scored.select(
                lit("bytes_out_spike:user").as("detector_id"),
                concat(lit("Unusual data volume sent by "), col("user")).as("title"),
                concat(lit("user "), col("user"), lit(" (tenant "), coalesce(col("tenant_id"), lit("?")),
                        format_string(") sent %,.1f MB out on " + day, col("value").divide(1e6)),
                        when(col("first_seen").isNotNull(), between()).otherwise(lit("")),
                        format_string("; their usual is %,.1f MB ± %,.1f MB a day", col("expected").divide(1e6),
                                col("spread").divide(1e6))).as("description"),
                coalesce(col("first_seen"), col("hour")).as("first_seen"),
                coalesce(col("last_seen"), col("hour").plus(org.apache.spark.sql.functions.expr("INTERVAL 1 DAY")))
                        .as("last_seen"),
                col("user"), col("tenant_id"),
                col("value").as("observed"), col("expected"), col("spread").as("expected_spread"), col("z"),
                map(lit("grain"), lit("user_day"), lit("check"), lit("bytes_out_spike"), lit("history_days"),
                        col("points").cast("string"), lit("fleet_p99_bytes"), format_string("%.0f", col("fleet_p99")))
                        .as("metadata"));
    }
}
