package io.nightshift.jobs.base;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Spark's ascending sort order for plain Java values, for code that sorts rows outside Spark and must print them in
 * the order a Spark query did: nulls first, strings by their UTF-8 bytes (Spark's default {@code UTF8_BINARY}
 * collation, which differs from {@link String#compareTo} for characters beyond U+FFFF), doubles with NaN above every
 * number and -0.0 equal to 0.0, anything else by its natural order.
 */
public final class SparkOrdering {
    /** Strings as Spark's {@code array_sort} and {@code ORDER BY} compare them: unsigned UTF-8 bytes. */
    public static final Comparator<String> UTF8_BINARY = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /** {@link #compare} as a comparator: ascending, nulls first. */
    public static final Comparator<Object> ASCENDING = SparkOrdering::compare;

    private SparkOrdering() {
    }

    /** Compares two values of one column the way {@code ORDER BY c ASC} does (nulls first). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compare(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a instanceof String x && b instanceof String y) {
            return UTF8_BINARY.compare(x, y);
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x.doubleValue() == y.doubleValue() ? 0 : Double.compare(x, y);
        }
        if (a instanceof Float x && b instanceof Float y) {
            return x.floatValue() == y.floatValue() ? 0 : Float.compare(x, y);
        }
        return ((Comparable) a).compareTo(b);
    }
}
