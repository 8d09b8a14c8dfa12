package io.nightshift.jobs.trends;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.map_entries;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.map_values;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A mergeable latency distribution: counts per logarithmic bucket of {@code duration_ms}, kept as
 * {@code MAP<INT, BIGINT>} (bucket → requests). Bucket {@code i} holds durations in {@code (γ^(i-1), γ^i]} with
 * γ = 1.02, so any quantile read from the buckets is within 1% of the exact one (the same guarantee as DDSketch).
 * Coarser views add the counts bucket by bucket, so a day's or the fleet's p99 comes from the hourly rows alone.
 *
 * <p>Why not Spark's KLL sketch: KLL compacts with random coin flips, so two runs over the same rows store
 * different sketches and slightly different percentiles, and a rerun must leave the same tables. Counting per
 * bucket is exact arithmetic: the same rows give the same map, whatever the partitioning.
 */
public final class LatencyHistogram {
    static final double GAMMA = 1.02;
    /** Durations of 0 (or below) have their own bucket, read back as 0 ms. */
    static final int ZERO_BUCKET = -100_000;

    private LatencyHistogram() {
    }

    /** The bucket of a duration in milliseconds. */
    static Column bucket(Column ms) {
        return when(ms.leq(0), lit(ZERO_BUCKET)).otherwise(ceil(log(ms).divide(Math.log(GAMMA))).cast("int"));
    }

    /** The value a bucket stands for: the point whose relative distance to both bucket bounds is equal. */
    static Column value(Column bucket) {
        return when(bucket.equalTo(ZERO_BUCKET), lit(0.0))
                .otherwise(pow(lit(GAMMA), bucket).multiply(2.0 / (1 + GAMMA)));
    }

    /**
     * Per group of {@code keys}, the histogram of {@code durationColumn} ({@code latency_hist}) over the rows that
     * have one. Two hash aggregations with fixed-size buffers: cheap next to a sort or a per-row sketch object.
     */
    public static Dataset<Row> of(Dataset<Row> rows, List<String> keys, String durationColumn) {
        List<Column> withBucket = new ArrayList<>();
        keys.forEach(k -> withBucket.add(col(quote(k))));
        withBucket.add(bucket(col(quote(durationColumn))).as("latency_bucket"));
        Dataset<Row> counted = rows.where(col(quote(durationColumn)).isNotNull())
                .groupBy(withBucket.toArray(Column[]::new)).agg(count(lit(1)).as("latency_n"));
        return collect(counted, keys);
    }

    /** Adds the histograms of all rows with equal {@code keys} (the other columns are dropped). */
    public static Dataset<Row> merge(Dataset<Row> histograms, List<String> keys, String column) {
        List<Column> select = new ArrayList<>();
        keys.forEach(k -> select.add(col(quote(k))));
        select.add(explode(col(column)).as(new String[] {"latency_bucket", "latency_n"}));
        List<Column> group = new ArrayList<>();
        keys.forEach(k -> group.add(col(quote(k))));
        group.add(col("latency_bucket"));
        Dataset<Row> counted = histograms.select(select.toArray(Column[]::new))
                .groupBy(group.toArray(Column[]::new)).agg(sum("latency_n").as("latency_n"));
        return collect(counted, keys);
    }

    private static Dataset<Row> collect(Dataset<Row> counted, List<String> keys) {
        Column[] group = keys.stream().map(k -> col(quote(k))).toArray(Column[]::new);
        // Sorted entries: equal rows give an equal map, byte for byte.
        return counted.groupBy(group).agg(map_from_entries(array_sort(collect_list(
                struct(col("latency_bucket"), col("latency_n"))))).as("latency_hist"));
    }

    /** Requests counted in a histogram. */
    public static Column total(Column hist) {
        return aggregate(map_values(hist), lit(0L), (acc, n) -> acc.plus(n));
    }

    /**
     * The {@code q} quantile (nearest rank) of a histogram, in ms; null for an empty or null one. Spark functions
     * only, so the same expression works in SQL on the stored maps.
     */
    public static Column quantile(Column hist, double q) {
        return when(hist.isNull().or(total(hist).equalTo(0)), lit(null).cast("double"))
                .otherwise(value(quantileBucket(hist, q)));
    }

    /**
     * The bucket holding the {@code q} quantile (nearest rank) of a non-empty histogram: one pass over the sorted
     * buckets carrying the running count and the first bucket whose running count reaches the rank. (A running sum
     * rebuilt per bucket would be quadratic in the buckets, and an hour has hundreds of them.)
     */
    public static Column quantileBucket(Column hist, double q) {
        Column rank = greatest(lit(1L), ceil(total(hist).multiply(q)));
        Column start = struct(lit(0L).as("cum"), lit(null).cast("int").as("b"));
        return aggregate(array_sort(map_entries(hist)), start, (acc, e) -> {
            Column cum = acc.getField("cum").plus(e.getField("value"));
            return struct(cum.as("cum"), when(acc.getField("b").isNull().and(cum.geq(rank)), e.getField("key"))
                    .otherwise(acc.getField("b")).as("b"));
        }).getField("b");
    }

    /** Requests in buckets above {@code bucket}: slower than the value that bucket stands for. */
    public static Column countAbove(Column hist, Column bucket) {
        return aggregate(filter(map_entries(hist), e -> e.getField("key").gt(bucket)), lit(0L),
                (acc, e) -> acc.plus(e.getField("value")));
    }

    private static String quote(String c) {
        return "`" + c + "`";
    }
}
