package io.nightshift.jobs.aggregate;

import static org.apache.spark.sql.functions.udf;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.Arrays;

import org.apache.datasketches.hll.HllSketch;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Rewrites an HLL sketch (Spark's {@code hll_sketch_agg}/{@code hll_union_agg} format, Apache DataSketches) into one
 * canonical byte form, so that a rerun over the same input writes byte-identical tables.
 *
 * <p>Why it is needed: the sketch's serialized layout depends on the order values arrived in — the coupon list and
 * coupon hash set keep insertion order, the HLL_4 exception map probes by arrival, and the HIP accumulator sums in
 * arrival order — and Spark's task and merge order differs between runs (more so on a cluster). The canonical form
 * re-inserts the sketch's own coupons (or register values) in sorted order into a fresh sketch of the same size and
 * type. For sketches that reached HLL mode it marks the result out-of-order, so estimates come from the registers
 * alone (the composite estimator, as after any union) rather than from an arrival-order accumulator.
 *
 * <p>DataSketches exposes the coupon iterator and coupon update only to its own package; they are reached by
 * reflection (the Spark-bundled library version is pinned with Spark, and {@code CanonicalHllTest} guards it).
 */
public final class CanonicalHll {
    private static final MethodHandle ITERATOR;
    private static final MethodHandle NEXT_VALID;
    private static final MethodHandle GET_PAIR;
    private static final MethodHandle COUPON_UPDATE;
    private static final MethodHandle CUR_MODE;
    private static final MethodHandle OUT_OF_ORDER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> pairIterator = Class.forName("org.apache.datasketches.hll.PairIterator");
            ITERATOR = lookup.unreflect(open(HllSketch.class.getDeclaredMethod("iterator")));
            NEXT_VALID = lookup.unreflect(open(pairIterator.getDeclaredMethod("nextValid")));
            GET_PAIR = lookup.unreflect(open(pairIterator.getDeclaredMethod("getPair")));
            COUPON_UPDATE = lookup.unreflect(open(HllSketch.class.getDeclaredMethod("couponUpdate", int.class)));
            CUR_MODE = lookup.unreflect(open(HllSketch.class.getDeclaredMethod("getCurMode")));
            OUT_OF_ORDER = lookup.unreflect(open(HllSketch.class.getDeclaredMethod("putOutOfOrderFlag", boolean.class)));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("the DataSketches HLL library on the classpath is not the version "
                    + "Nightshift was built against (Spark 4.1 bundles datasketches-java 6.2): " + e);
        }
    }

    private CanonicalHll() {
    }

    private static Method open(Method method) {
        method.setAccessible(true);
        return method;
    }

    /** The canonical form of a serialized sketch; null stays null. */
    public static byte[] canonical(byte[] serialized) {
        if (serialized == null) {
            return null;
        }
        try {
            HllSketch source = HllSketch.heapify(serialized);
            int[] pairs = new int[64];
            int size = 0;
            Object iterator = ITERATOR.invoke(source);
            while ((boolean) NEXT_VALID.invoke(iterator)) {
                if (size == pairs.length) {
                    pairs = Arrays.copyOf(pairs, size * 2);
                }
                pairs[size++] = (int) GET_PAIR.invoke(iterator);
            }
            Arrays.sort(pairs, 0, size);
            HllSketch canonical = new HllSketch(source.getLgConfigK(), source.getTgtHllType());
            for (int i = 0; i < size; i++) {
                COUPON_UPDATE.invoke(canonical, pairs[i]);
            }
            if ("HLL".equals(CUR_MODE.invoke(canonical).toString())) {
                OUT_OF_ORDER.invoke(canonical, true);
            }
            return canonical.toUpdatableByteArray();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot canonicalize an HLL sketch: " + e, e);
        }
    }

    private static final UserDefinedFunction UDF =
            udf((UDF1<byte[], byte[]>) CanonicalHll::canonical, DataTypes.BinaryType);

    /** The canonical form of a sketch column. */
    public static Column of(Column sketch) {
        return UDF.apply(sketch);
    }
}
