package io.nightshift.jobs.trends;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_timestamp;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.year;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.dayofmonth;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Robust, seasonal expectations for hourly series: for every series key and hour of day, the median and the median
 * absolute deviation (MAD) of the trailing history. Median and MAD, not mean and standard deviation, so an incident
 * in the history does not inflate the baseline it is later compared against.
 *
 * <p>Weekly seasonality: counts are divided by a day-of-week factor (how busy that weekday is for the whole
 * fleet) before the median is taken, and the expectation for the scored day is multiplied back by its own factor —
 * a Sunday is compared with a Sunday-sized expectation without needing four Sundays of history per hour.
 *
 * <p>Inputs are series rows {@code keys..., hour, value}. Output rows: {@code keys..., hour_of_day, median, mad,
 * points} where points is the number of history days the series existed.
 */
public final class SeasonalBaseline {
    private SeasonalBaseline() {
    }

    /**
     * Day-of-week factors from daily fleet totals ({@code day, total}): weekday (1 = Sunday … 7 = Saturday) →
     * median total of that weekday / median total of all days; 1.0 where a weekday has fewer than two days.
     */
    public static Dataset<Row> dayOfWeekFactors(Dataset<Row> dailyTotals) {
        Dataset<Row> overall = dailyTotals.agg(percentile(col("total"), lit(0.5)).as("overall"));
        return dailyTotals.groupBy(dayofweek(col("day")).as("weekday"))
                .agg(percentile(col("total"), lit(0.5)).as("weekday_median"), count(lit(1)).as("days"))
                .crossJoin(overall)
                .select(col("weekday"), functions.when(col("days").geq(2).and(col("overall").gt(0)),
                        col("weekday_median").divide(col("overall"))).otherwise(lit(1.0)).as("factor"));
    }

    /**
     * Fills the gaps of count series with zeros (an hour without rows is an hour with zero events), from each key's
     * first day in the history to {@code lastDay}; rates must not be filled (no events is not a zero rate).
     */
    public static Dataset<Row> zeroFilled(Dataset<Row> series, List<String> keys, LocalDate lastDay) {
        return zeroFilled(series, keys, lastDay, true);
    }

    /** As above; with {@code hourly} false the series is daily ({@code hour} at midnight). */
    public static Dataset<Row> zeroFilled(Dataset<Row> series, List<String> keys, LocalDate lastDay, boolean hourly) {
        Column[] keyCols = keyColumns(keys);
        Dataset<Row> firstDay = series.groupBy(keyCols).agg(min(to_date(col("hour"))).as("first_day"));
        Dataset<Row> grid = firstDay
                .withColumn("day", explode(sequence(col("first_day"), lit(lastDay.toString()).cast("date"))))
                .withColumn("hod", explode(sequence(lit(0), lit(hourly ? 23 : 0))))
                .withColumn("hour", make_timestamp(year(col("day")), month(col("day")), dayofmonth(col("day")),
                        col("hod"), lit(0), lit(0)))
                .drop("first_day", "day", "hod");
        List<String> joinKeys = new ArrayList<>(keys);
        joinKeys.add("hour");
        Dataset<Row> summed = series.groupBy(withHour(keyCols)).agg(sum("value").as("value"));
        return Joins.nullSafe(grid, summed, joinKeys, "left")
                .select(selectKeys(keys, col("hour"), coalesce(col("value"), lit(0.0)).as("value")));
    }

    /**
     * Baseline per key × hour of day; {@code factors} may be null (no weekly normalisation, e.g. for rates). One
     * aggregation: each group's values are collected and sorted, and median and MAD are read off the sorted arrays
     * (a series has at most one value per history day, so the arrays are small).
     */
    public static Dataset<Row> fit(Dataset<Row> history, List<String> keys, Dataset<Row> factors) {
        Dataset<Row> normalised = normalise(history, factors);
        List<Column> groupCols = new ArrayList<>(List.of(keyColumns(keys)));
        groupCols.add(hour(col("hour")).as("hour_of_day"));
        Dataset<Row> sorted = normalised.groupBy(groupCols.toArray(Column[]::new))
                .agg(functions.array_sort(functions.collect_list(col("norm"))).as("values"),
                        count(lit(1)).as("points"))
                .withColumn("median", median(col("values")));
        return sorted
                .withColumn("mad", median(functions.array_sort(functions.transform(col("values"),
                        x -> abs(x.minus(col("median")))))))
                .drop("values");
    }

    /** Median of a sorted, non-empty array (mean of the two middle elements for an even length). */
    private static Column median(Column sortedValues) {
        Column n = functions.size(sortedValues);
        Column lo = functions.floor(n.plus(1).divide(2)).cast("int");
        Column hi = functions.ceil(n.plus(1).divide(2)).cast("int");
        return functions.element_at(sortedValues, lo).plus(functions.element_at(sortedValues, hi)).divide(2.0);
    }

    /**
     * Joins a scored day's series ({@code keys..., hour, value}, other columns kept) to its baseline: adds {@code expected}
     * (median × the day's weekday factor), {@code spread} (1.4826 × MAD, the standard-deviation equivalent, scaled
     * the same way) and {@code points}. Rows without a baseline get null expected.
     */
    public static Dataset<Row> score(Dataset<Row> day, Dataset<Row> baseline, List<String> keys, Dataset<Row> factors,
                                     LocalDate date) {
        Column factor = lit(1.0);
        if (factors != null) {
            Row f = factors.where(col("weekday").equalTo(date.getDayOfWeek().getValue() % 7 + 1)).select("factor")
                    .limit(1).collectAsList().stream().findFirst().orElse(null);
            factor = lit(f == null ? 1.0 : f.getDouble(0));
        }
        Dataset<Row> d = day.withColumn("hour_of_day", hour(col("hour")));
        List<String> joinKeys = new ArrayList<>(keys);
        joinKeys.add("hour_of_day");
        List<Column> out = new ArrayList<>();
        for (String c : day.columns()) {
            out.add(col(quote(c)));
        }
        out.add(col("median").multiply(factor).as("expected"));
        out.add(col("mad").multiply(1.4826).multiply(factor).as("spread"));
        out.add(coalesce(col("points"), lit(0L)).as("points"));
        return Joins.nullSafe(d, baseline, joinKeys, "left").select(out.toArray(Column[]::new));
    }

    private static Dataset<Row> normalise(Dataset<Row> history, Dataset<Row> factors) {
        if (factors == null) {
            return history.withColumn("norm", col("value"));
        }
        Dataset<Row> f = factors.select(col("weekday").as("f_weekday"), col("factor").as("f_factor"));
        return history.join(functions.broadcast(f), dayofweek(col("hour")).equalTo(col("f_weekday")), "left")
                .withColumn("norm", col("value").divide(coalesce(col("f_factor"), lit(1.0))))
                .drop("f_weekday", "f_factor");
    }

    private static Column[] selectKeys(List<String> keys, Column... more) {
        List<Column> out = new ArrayList<>();
        for (String k : keys) {
            out.add(col(quote(k)));
        }
        out.addAll(List.of(more));
        return out.toArray(Column[]::new);
    }

    private static Column[] keyColumns(List<String> keys) {
        return keys.stream().map(k -> col(quote(k))).toArray(Column[]::new);
    }

    private static Column[] withHour(Column[] keyCols) {
        List<Column> c = new ArrayList<>(List.of(keyCols));
        c.add(col("hour"));
        return c.toArray(Column[]::new);
    }

    static String quote(String name) {
        return "`" + name + "`";
    }
}
