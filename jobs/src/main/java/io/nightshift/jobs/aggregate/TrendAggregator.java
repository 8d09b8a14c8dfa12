package io.nightshift.jobs.aggregate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.hll_sketch_agg;
import static org.apache.spark.sql.functions.hll_sketch_estimate;
import static org.apache.spark.sql.functions.hll_union_agg;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * Production-wide trend aggregates of one day of canonical log rows. Pure DataFrame transformations.
 *
 * <p>Distinct counts are kept as HyperLogLog sketches, so coarser views (a day, a region, the fleet) are rolled up
 * from the hourly rows without re-reading the raw logs — distinct counts do not add up, sketches do — and shown as
 * the sketches' estimates (see {@link #estimates}).
 */
public final class TrendAggregator {
    private TrendAggregator() {
    }

    /** The canonical columns the aggregates read; callers caching raw rows for them need no more. */
    public static Column[] inputColumns() {
        return java.util.stream.Stream.of(CanonicalSchema.TIMESTAMP, CanonicalSchema.REGION, CanonicalSchema.DATACENTER,
                        CanonicalSchema.SERVICE, CanonicalSchema.LEVEL, CanonicalSchema.ACTION, CanonicalSchema.OUTCOME,
                        CanonicalSchema.BYTES_OUT, CanonicalSchema.HOST, CanonicalSchema.FARM, CanonicalSchema.TENANT_ID,
                        CanonicalSchema.USER, CanonicalSchema.SRC_IP, CanonicalSchema.STATUS_CODE,
                        CanonicalSchema.DURATION_MS)
                .map(c -> col("`" + c + "`")).toArray(Column[]::new);
    }

    static Column isError() {
        return col(CanonicalSchema.LEVEL).isin(CanonicalSchema.ERROR_LEVELS.toArray());
    }

    static Column isAuthFailure() {
        return col(CanonicalSchema.ACTION).equalTo("login").and(col(CanonicalSchema.OUTCOME).equalTo("failure"));
    }

    private static Column countWhere(Column condition) {
        return sum(when(condition, 1L).otherwise(0L));
    }

    static final List<String> HOURLY_KEYS = List.of("hour", CanonicalSchema.REGION, CanonicalSchema.DATACENTER,
            CanonicalSchema.SERVICE, CanonicalSchema.LEVEL);
    static final List<String> DAILY_KEYS = List.of("date", CanonicalSchema.REGION, CanonicalSchema.DATACENTER,
            CanonicalSchema.SERVICE, CanonicalSchema.LEVEL);

    private static Column statusClass(int hundreds) {
        Column code = col(CanonicalSchema.STATUS_CODE);
        return code.geq(hundreds * 100).and(code.lt(hundreds * 100 + 100));
    }

    /** {@code trend_hourly}: per hour × region × datacenter × service × level. */
    public static Dataset<Row> hourly(Dataset<Row> rows) {
        Dataset<Row> keyed = rows.withColumn("hour", date_trunc("hour", col(CanonicalSchema.TIMESTAMP)));
        Dataset<Row> counts = keyed.groupBy(Joins.keyColumns(HOURLY_KEYS))
                .agg(count(lit(1)).as("event_count"),
                        countWhere(isError()).as("error_count"),
                        countWhere(isAuthFailure()).as("auth_failures"),
                        coalesce(sum(col(CanonicalSchema.BYTES_OUT)), lit(0L)).as("bytes_out"),
                        count(col(CanonicalSchema.STATUS_CODE)).as("responses"),
                        countWhere(statusClass(4)).as("status_4xx"),
                        countWhere(statusClass(5)).as("status_5xx"),
                        count(col(CanonicalSchema.DURATION_MS)).as("timed_requests"),
                        hll_sketch_agg(col(CanonicalSchema.HOST)).as("hosts_hll"),
                        hll_sketch_agg(col(CanonicalSchema.FARM)).as("farms_hll"),
                        hll_sketch_agg(col(CanonicalSchema.TENANT_ID)).as("tenants_hll"),
                        hll_sketch_agg(col(CanonicalSchema.USER)).as("users_hll"),
                        hll_sketch_agg(col(CanonicalSchema.SRC_IP)).as("src_ips_hll"),
                        // In the same pass as the sketches (a second grouping by bucket read the day again).
                        LatencyHistogram.histogramOf(col(CanonicalSchema.DURATION_MS)).as("latency_hist"))
                .withColumns(canonicalSketches())
                .withColumns(estimates());
        // The histogram after the estimates, where the table has it.
        return withPercentiles(counts.withColumn("_hist", col("latency_hist")).drop("latency_hist")
                .withColumnRenamed("_hist", "latency_hist"));
    }

    /** p50/p95/p99 of each row's {@code latency_hist} (null where nothing was timed). */
    private static Dataset<Row> withPercentiles(Dataset<Row> rows) {
        return rows.withColumn("p50_ms", LatencyHistogram.quantile(col("latency_hist"), 0.50))
                .withColumn("p95_ms", LatencyHistogram.quantile(col("latency_hist"), 0.95))
                .withColumn("p99_ms", LatencyHistogram.quantile(col("latency_hist"), 0.99));
    }

    /**
     * Distinct counts read from the sketches. Exact count-distincts would cost a copy of every row per counted
     * column (Spark expands the input once per distinct aggregate) for numbers the sketches already give: exact
     * below a few hundred values (the sketch keeps the values' hashes until then), within about 1.6% above.
     */
    private static Map<String, Column> estimates() {
        Map<String, Column> m = new LinkedHashMap<>();
        m.put("distinct_hosts", hll_sketch_estimate(col("hosts_hll")));
        m.put("distinct_tenants", hll_sketch_estimate(col("tenants_hll")));
        m.put("distinct_users", hll_sketch_estimate(col("users_hll")));
        m.put("distinct_src_ips", hll_sketch_estimate(col("src_ips_hll")));
        return m;
    }

    private static final List<String> SKETCHES =
            List.of("hosts_hll", "farms_hll", "tenants_hll", "users_hll", "src_ips_hll");

    /** The sketch columns in their canonical byte form, so reruns write identical bytes (see {@link CanonicalHll}). */
    private static Map<String, Column> canonicalSketches() {
        Map<String, Column> canonical = new LinkedHashMap<>();
        SKETCHES.forEach(name -> canonical.put(name, CanonicalHll.of(col(name))));
        return canonical;
    }

    /** {@code trend_daily}: per day × region × datacenter × service × level, rolled up from {@link #hourly}. */
    public static Dataset<Row> daily(Dataset<Row> hourly) {
        Dataset<Row> byDay = hourly.withColumn("date", to_date(col("hour")));
        Dataset<Row> counts = byDay.groupBy(Joins.keyColumns(DAILY_KEYS))
                .agg(sum("event_count").as("event_count"),
                        sum("error_count").as("error_count"),
                        sum("auth_failures").as("auth_failures"),
                        sum("bytes_out").as("bytes_out"),
                        sum("responses").as("responses"),
                        sum("status_4xx").as("status_4xx"),
                        sum("status_5xx").as("status_5xx"),
                        sum("timed_requests").as("timed_requests"),
                        count(lit(1)).as("active_hours"),
                        hll_union_agg(col("hosts_hll"), true).as("hosts_hll"),
                        hll_union_agg(col("farms_hll"), true).as("farms_hll"),
                        hll_union_agg(col("tenants_hll"), true).as("tenants_hll"),
                        hll_union_agg(col("users_hll"), true).as("users_hll"),
                        hll_union_agg(col("src_ips_hll"), true).as("src_ips_hll"))
                .withColumns(canonicalSketches())
                .withColumn("distinct_hosts", hll_sketch_estimate(col("hosts_hll")))
                .withColumn("distinct_farms", hll_sketch_estimate(col("farms_hll")))
                .withColumn("distinct_tenants", hll_sketch_estimate(col("tenants_hll")))
                .withColumn("distinct_users", hll_sketch_estimate(col("users_hll")))
                .withColumn("distinct_src_ips", hll_sketch_estimate(col("src_ips_hll")));
        Dataset<Row> latency = LatencyHistogram.merge(byDay.where(col("latency_hist").isNotNull()), DAILY_KEYS,
                "latency_hist");
        return withPercentiles(Joins.nullSafe(counts, latency, DAILY_KEYS, "left"));
    }

    /**
     * A coarser view rolled up from hourly rows (never from the logs): per {@code keys} (e.g. {@code service} for the
     * whole fleet, {@code service, region} for all datacenters of a region; add a week column for a week), events,
     * errors, responses, distinct hosts and users from the sketches, and latency percentiles from the histograms.
     */
    public static Dataset<Row> rollUp(Dataset<Row> hourly, List<String> keys) {
        Dataset<Row> counts = hourly.groupBy(Joins.keyColumns(keys))
                .agg(sum("event_count").as("event_count"), sum("error_count").as("error_count"),
                        sum("responses").as("responses"), sum("status_4xx").as("status_4xx"),
                        sum("status_5xx").as("status_5xx"), sum("timed_requests").as("timed_requests"),
                        hll_sketch_estimate(hll_union_agg(col("hosts_hll"), true)).as("distinct_hosts"),
                        hll_sketch_estimate(hll_union_agg(col("users_hll"), true)).as("distinct_users"));
        Dataset<Row> latency = LatencyHistogram.merge(hourly.where(col("latency_hist").isNotNull()), keys,
                "latency_hist");
        return withPercentiles(Joins.nullSafe(counts, latency, keys, "left"));
    }

    /** {@code trend_host_hourly}: per hour × host (with its service, farm, datacenter, region). */
    public static Dataset<Row> hostHourly(Dataset<Row> rows) {
        return rows.groupBy(
                        date_trunc("hour", col(CanonicalSchema.TIMESTAMP)).as("hour"),
                        col(CanonicalSchema.HOST), col(CanonicalSchema.SERVICE), col(CanonicalSchema.FARM),
                        col(CanonicalSchema.DATACENTER), col(CanonicalSchema.REGION))
                .agg(count(lit(1)).as("event_count"),
                        countWhere(isError()).as("error_count"),
                        coalesce(sum(col(CanonicalSchema.BYTES_OUT)), lit(0L)).as("bytes_out"));
    }

    /**
     * {@code trend_entity_hourly}: per hour × tenant and per hour × user — the series the security baselines watch
     * (auth failures per tenant, bytes out per user).
     *
     * <p>The day is read once: its rows are first counted per hour, tenant, user and source address (the address so
     * that distinct addresses can still be counted per entity), and each of those far fewer rows then counts for its
     * tenant and for its user in one more aggregation. One chain, no branches: two branches over the counted rows
     * would each scan the day again (Spark pushes each branch's filter below the first aggregation, so they share
     * nothing).
     */
    public static Dataset<Row> entityHourly(Dataset<Row> rows) {
        Dataset<Row> perAddress = rows.where(col(CanonicalSchema.TENANT_ID).isNotNull()
                        .or(col(CanonicalSchema.USER).isNotNull()))
                .groupBy(date_trunc("hour", col(CanonicalSchema.TIMESTAMP)).as("hour"),
                        col(CanonicalSchema.TENANT_ID), col(CanonicalSchema.USER), col(CanonicalSchema.SRC_IP))
                .agg(count(lit(1)).as("event_count"),
                        countWhere(isError()).as("error_count"),
                        countWhere(isAuthFailure()).as("auth_failures"),
                        sum(col(CanonicalSchema.BYTES_OUT)).as("bytes_out"));
        Column entities = array(
                struct(lit("tenant").as("entity_type"), col(CanonicalSchema.TENANT_ID).as("entity")),
                struct(lit("user").as("entity_type"), col(CanonicalSchema.USER).as("entity")));
        // The set of addresses is the distinct count, and its object buffer lets Spark aggregate max(tenant_id), a
        // string, by hash too (a user's tenant: the greatest of their tenants that hour; a tenant's: itself).
        return perAddress.withColumn("_e", explode(entities))
                .where(col("_e.entity").isNotNull())
                .groupBy(col("hour"), col("_e.entity_type").as("entity_type"), col("_e.entity").as("entity"))
                .agg(max(col(CanonicalSchema.TENANT_ID)).as("tenant_id"),
                        sum("event_count").as("event_count"),
                        sum("error_count").as("error_count"),
                        sum("auth_failures").as("auth_failures"),
                        coalesce(sum("bytes_out"), lit(0L)).as("bytes_out"),
                        size(collect_set(col(CanonicalSchema.SRC_IP))).cast("long").as("distinct_src_ips"));
    }
}
