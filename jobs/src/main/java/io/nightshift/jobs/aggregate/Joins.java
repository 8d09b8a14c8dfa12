package io.nightshift.jobs.aggregate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Null-safe equi-joins between frames that may come from the same source. Joining {@code a.col(k)} with
 * {@code b.col(k)} when a and b share lineage compares a column with itself (Spark warns "trivially true equals
 * predicate"); renaming the right side's keys first gives them their own identity.
 */
public final class Joins {
    private Joins() {
    }

    /** Joins on {@code keys} with null = null; the right side's key columns are dropped from the result. */
    public static Dataset<Row> nullSafe(Dataset<Row> left, Dataset<Row> right, List<String> keys, String joinType) {
        Dataset<Row> r = right;
        for (String k : keys) {
            r = r.withColumnRenamed(k, "__r_" + k);
        }
        Column on = lit(true);
        for (String k : keys) {
            on = on.and(left.col("`" + k + "`").eqNullSafe(r.col("`__r_" + k + "`")));
        }
        Dataset<Row> joined = left.join(r, on, joinType);
        if (joinType.startsWith("left_") ) {
            return joined;
        }
        for (String k : keys) {
            joined = joined.drop("__r_" + k);
        }
        return joined;
    }

    /** The key columns (quoted names) followed by {@code more} (expressions as written), for selects and groupings. */
    public static Column[] keyColumns(List<String> keys, String... more) {
        List<Column> c = new ArrayList<>();
        for (String k : keys) {
            c.add(col("`" + k + "`"));
        }
        for (String m : more) {
            c.add(col(m));
        }
        return c.toArray(Column[]::new);
    }
}
