package io.nightshift.jobs.detect.trends;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Runs plain Java over every series' rows at once: one shuffle brings each key's rows into one partition, where
 * they are grouped and handed to a function. For the trend checks, whose series are many but small (at most 24
 * rows a day per key): one Spark job where filling, grouping, sorting and joining as DataFrame steps took a dozen,
 * each costing more planning and scheduling than the rows' arithmetic.
 */
final class KeyedSeries {
    private KeyedSeries() {
    }

    /** The flag {@link #historyAndDay} adds, last: true on the day's rows. */
    static final String IS_TODAY = "__is_today";

    /** The history's rows and the day's, with the same columns, as one frame flagged {@value #IS_TODAY}. */
    static Dataset<Row> historyAndDay(Dataset<Row> history, Dataset<Row> today) {
        return history.withColumn(IS_TODAY, lit(false)).unionByName(today.withColumn(IS_TODAY, lit(true)));
    }

    /** What to do with one key's rows: append output rows (of the schema given to {@link #apply}) to {@code out}. */
    interface PerKey extends Serializable {
        void apply(List<Object> key, List<Row> rows, List<Row> out);
    }

    /**
     * {@code perKey} applied to the rows of each distinct value of {@code keys} (nulls are a value like any other).
     *
     * @param out the schema of the rows {@code perKey} appends
     */
    static Dataset<Row> apply(Dataset<Row> rows, List<String> keys, StructType out, PerKey perKey) {
        Column[] keyCols = keys.stream().map(k -> col("`" + k + "`")).toArray(Column[]::new);
        int[] keyIndex = keys.stream().mapToInt(rows.schema()::fieldIndex).toArray();
        Dataset<Row> byKey = keyCols.length == 0 ? rows.repartition(1) : rows.repartition(keyCols);
        return byKey.mapPartitions(new Grouped(keyIndex, perKey), Encoders.row(out));
    }

    /** A timestamp column's value (either Java type Spark may hand out) as local time in {@code zone}. */
    static LocalDateTime local(Object hour, ZoneId zone) {
        Instant at = hour instanceof Instant i ? i : ((Timestamp) hour).toInstant();
        return ZonedDateTime.ofInstant(at, zone).toLocalDateTime();
    }

    private record Grouped(int[] keyIndex, PerKey perKey) implements MapPartitionsFunction<Row, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            Map<List<Object>, List<Row>> series = new LinkedHashMap<>();
            while (rows.hasNext()) {
                Row r = rows.next();
                List<Object> key = new ArrayList<>(keyIndex.length);
                for (int i : keyIndex) {
                    key.add(r.get(i));
                }
                series.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            }
            List<Row> out = new ArrayList<>();
            series.forEach((key, keyRows) -> perKey.apply(key, keyRows, out));
            return out.iterator();
        }
    }
}
