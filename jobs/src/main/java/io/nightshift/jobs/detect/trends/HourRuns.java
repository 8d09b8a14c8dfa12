package io.nightshift.jobs.detect.trends;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_timestamp;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Merges consecutive abnormal hours of one series and check into one run ("between 02:00 and 04:00"), so a storm
 * of three hours is one finding, not three. Input: abnormal hour rows ({@code keys..., check, hour, value,
 * expected, spread, z}); output: one row per run with {@code first_seen}, {@code last_seen} (end of the last hour),
 * {@code hours}, {@code value_total}, {@code expected_total}, and the peak hour's {@code value}, {@code expected}, {@code spread} and {@code z}.
 */
public final class HourRuns {
    private HourRuns() {
    }

    public static Dataset<Row> merge(Dataset<Row> abnormalHours, List<String> keys, List<String> carried) {
        List<Column> part = new ArrayList<>();
        for (String k : keys) {
            part.add(col("`" + k + "`"));
        }
        part.add(col("check"));
        Column hourIndex = unix_timestamp(col("hour")).divide(3600).cast("long");
        // Gaps and islands: consecutive hours share (hour index − rank within the series).
        Dataset<Row> islands = abnormalHours
                .withColumn("island", hourIndex.minus(row_number().over(
                        Window.partitionBy(part.toArray(Column[]::new)).orderBy(col("hour")))));
        List<Column> group = new ArrayList<>(part);
        group.add(col("island"));
        List<Column> aggs = new ArrayList<>(List.of(
                min("hour").as("first_seen"),
                max("hour").plus(expr("INTERVAL 1 HOUR")).as("last_seen"),
                count(lit(1)).as("hours"),
                max_by(col("value"), col("z")).as("value"),
                max_by(col("expected"), col("z")).as("expected"),
                max_by(col("spread"), col("z")).as("spread"),
                max(col("z")).as("z"),
                sum(col("value")).as("value_total"),
                sum(col("expected")).as("expected_total")));
        for (String c : carried) {
            aggs.add(max_by(col(c), col("z")).as(c));
        }
        return islands.groupBy(group.toArray(Column[]::new))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
                .drop("island");
    }
}
