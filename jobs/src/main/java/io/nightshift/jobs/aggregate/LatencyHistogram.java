package io.nightshift.jobs.aggregate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.udaf;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

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
    public static final double GAMMA = 1.02;
    private static final double LOG_GAMMA = Math.log(GAMMA);
    /** Durations of 0 (or below) have their own bucket, read back as 0 ms. */
    static final int ZERO_BUCKET = -100_000;

    private LatencyHistogram() {
    }

    /** The value a bucket stands for: the point whose relative distance to both bucket bounds is equal. */
    static Column value(Column bucket) {
        return when(bucket.equalTo(ZERO_BUCKET), lit(0.0))
                .otherwise(pow(lit(GAMMA), bucket).multiply(2.0 / (1 + GAMMA)));
    }

    /**
     * The histogram of a duration column as an aggregate function, for a grouping that aggregates other things too
     * (one pass over the rows instead of a second grouping by bucket); null for a group with no duration.
     */
    public static Column histogramOf(Column durationMs) {
        return OF_DURATIONS.apply(durationMs.cast("double")).getField(MERGED_FIELD);
    }

    /** {@link #value(Column)} in Java (the same arithmetic: StrictMath, as Spark's pow); null for a null bucket. */
    public static Double valueOf(Integer bucket) {
        if (bucket == null) {
            return null;
        }
        return bucket == ZERO_BUCKET ? 0.0 : StrictMath.pow(GAMMA, bucket) * (2.0 / (1 + GAMMA));
    }

    /** The bucket of a duration in milliseconds. */
    static int bucketOf(double ms) {
        return ms <= 0 ? ZERO_BUCKET : (int) Math.ceil(Math.log(ms) / LOG_GAMMA);
    }

    /**
     * Adds the histograms of all rows with equal {@code keys} (the other columns are dropped): one aggregation that
     * adds the maps bucket by bucket, null where every histogram of a group is empty.
     */
    public static Dataset<Row> merge(Dataset<Row> histograms, List<String> keys, String column) {
        Column[] group = keys.stream().map(k -> col(quote(k))).toArray(Column[]::new);
        return histograms.groupBy(group).agg(MERGED.apply(col(quote(column))).getField(MERGED_FIELD)
                .as("latency_hist"));
    }

    private static final String MERGED_FIELD = "hist";
    private static final StructType MERGED_TYPE = new StructType().add(MERGED_FIELD,
            DataTypes.createMapType(DataTypes.IntegerType, DataTypes.LongType, false));
    private static final UserDefinedFunction MERGED = udaf(new Merge(), Encoders.row(MERGED_TYPE));

    private static final StructType DURATION_TYPE = new StructType().add("ms", DataTypes.DoubleType);
    private static final UserDefinedFunction OF_DURATIONS = udaf(new Count(), Encoders.row(DURATION_TYPE));

    /** Counts durations per bucket, into the same buffer and output as {@link Merge}. */
    static final class Count extends Merge {
        private static final long serialVersionUID = 1L;

        @Override
        public BucketCounts reduce(BucketCounts counts, Row row) {
            if (!row.isNullAt(0)) {
                counts.add(bucketOf(row.getDouble(0)), 1L);
            }
            return counts;
        }
    }

    /**
     * Sums histograms per bucket. Spark aggregates it with one object per group and no sort; its input before was
     * every bucket of every histogram exploded into a row, grouped, collected and sorted back into a map, which
     * over four weeks of hourly histograms was most of the latency check's time.
     */
    static class Merge extends Aggregator<Row, BucketCounts, Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public BucketCounts zero() {
            return new BucketCounts();
        }

        @Override
        public BucketCounts reduce(BucketCounts sums, Row row) {
            if (!row.isNullAt(0)) {
                scala.collection.Iterator<scala.Tuple2<Integer, Long>> it =
                        row.<Integer, Long>getMap(0).iterator();
                while (it.hasNext()) {
                    scala.Tuple2<Integer, Long> e = it.next();
                    if (e._2() != null) {
                        sums.add(e._1(), e._2());
                    }
                }
            }
            return sums;
        }

        @Override
        public BucketCounts merge(BucketCounts a, BucketCounts b) {
            BucketCounts into = a.size() >= b.size() ? a : b;
            into.addAll(into == a ? b : a);
            return into;
        }

        /** The buckets in ascending order: equal sums give an equal map, byte for byte, whatever the partitioning. */
        @Override
        public Row finish(BucketCounts sums) {
            return RowFactory.create(sums.size() == 0 ? null
                    : scala.jdk.javaapi.CollectionConverters.asScala(sums.sorted()));
        }

        /** Java serialization: Spark 4.1 cannot send a Kryo-encoded buffer (its codec is not serializable). */
        @Override
        public Encoder<BucketCounts> bufferEncoder() {
            return Encoders.javaSerialization(BucketCounts.class);
        }

        @Override
        public Encoder<Row> outputEncoder() {
            return Encoders.row(MERGED_TYPE);
        }
    }

    /** Requests counted in a histogram; null for a null one. */
    public static Column total(Column hist) {
        return TOTAL.apply(hist);
    }

    /**
     * The {@code q} quantile (nearest rank) of a histogram, in ms; null for an empty or null one.
     */
    public static Column quantile(Column hist, double q) {
        return value(quantileBucket(hist, q));
    }

    /** The bucket holding the {@code q} quantile (nearest rank); null for an empty or null histogram. */
    public static Column quantileBucket(Column hist, double q) {
        return QUANTILE_BUCKET.apply(hist, lit(q));
    }

    /** Requests in buckets above {@code bucket}: slower than the value that bucket stands for. */
    public static Column countAbove(Column hist, Column bucket) {
        return COUNT_ABOVE.apply(hist, bucket);
    }

    /*
     * The readers are Java functions rather than Spark's higher-order functions (aggregate over the sorted map
     * entries), which Spark interprets element by element: with hundreds of buckets an hour and several readings per
     * row, they were a fifth of the hourly aggregate's time. (In SQL on the stored maps, the same readings are an
     * aggregate over array_sort(map_entries(latency_hist)).)
     */
    private static final UserDefinedFunction TOTAL = udf((UDF1<scala.collection.Map<Integer, Long>, Long>)
            hist -> hist == null ? null : Buckets.of(hist).total(), DataTypes.LongType);

    private static final UserDefinedFunction QUANTILE_BUCKET = udf(
            (UDF2<scala.collection.Map<Integer, Long>, Double, Integer>) (hist, q) -> hist == null ? null
                    : Buckets.of(hist).sortedByKey().quantileBucket(q), DataTypes.IntegerType);

    private static final UserDefinedFunction COUNT_ABOVE = udf(
            (UDF2<scala.collection.Map<Integer, Long>, Integer, Long>) (hist, bucket) -> hist == null ? null
                    : Buckets.of(hist).countAbove(bucket), DataTypes.LongType);

    /** A histogram's buckets as arrays, in the map's order until {@link #sortedByKey()}. */
    public record Buckets(int[] keys, long[] counts) {
        public static Buckets of(scala.collection.Map<Integer, Long> hist) {
            int[] keys = new int[hist.size()];
            long[] counts = new long[keys.length];
            int i = 0;
            scala.collection.Iterator<scala.Tuple2<Integer, Long>> it = hist.iterator();
            while (it.hasNext()) {
                scala.Tuple2<Integer, Long> e = it.next();
                keys[i] = e._1();
                counts[i] = e._2() == null ? 0 : e._2();
                i++;
            }
            return new Buckets(keys, counts);
        }

        /** A histogram summed on the driver or in a task, in its key order; null for no bucket at all. */
        public static Buckets of(java.util.SortedMap<Integer, Long> hist) {
            if (hist == null || hist.isEmpty()) {
                return null;
            }
            int[] keys = new int[hist.size()];
            long[] counts = new long[keys.length];
            int i = 0;
            for (var e : hist.entrySet()) {
                keys[i] = e.getKey();
                counts[i++] = e.getValue();
            }
            return new Buckets(keys, counts);
        }

        /** The same buckets in ascending key order (only the quantile needs an order). */
        Buckets sortedByKey() {
            // Sort indexes by key: the signed key in the high half (a long orders like it), the index in the low.
            long[] packed = new long[keys.length];
            for (int i = 0; i < keys.length; i++) {
                packed[i] = ((long) keys[i] << 32) | i;
            }
            java.util.Arrays.sort(packed);
            int[] sortedKeys = new int[keys.length];
            long[] sortedCounts = new long[keys.length];
            for (int j = 0; j < keys.length; j++) {
                int idx = (int) (packed[j] & 0xFFFFFFFFL);
                sortedKeys[j] = keys[idx];
                sortedCounts[j] = counts[idx];
            }
            return new Buckets(sortedKeys, sortedCounts);
        }

        public long total() {
            long t = 0;
            for (long c : counts) {
                t += c;
            }
            return t;
        }

        /** Nearest rank over buckets in key order: the first whose running count reaches max(1, ceil(total * q)). */
        public Integer quantileBucket(double q) {
            long total = total();
            if (total == 0) {
                return null;
            }
            double rank = Math.max(1.0, Math.ceil(total * q));
            long cum = 0;
            for (int j = 0; j < keys.length; j++) {
                cum += counts[j];
                if (cum >= rank) {
                    return keys[j];
                }
            }
            return null;
        }

        public Long countAbove(Integer bucket) {
            if (bucket == null) {
                return 0L;
            }
            long above = 0;
            for (int j = 0; j < keys.length; j++) {
                if (keys[j] > bucket) {
                    above += counts[j];
                }
            }
            return above;
        }
    }

    private static String quote(String c) {
        return "`" + c + "`";
    }
}
