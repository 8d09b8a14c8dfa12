package io.nightshift.jobs.detect.trends;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile;

import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Robust, seasonal expectations for hourly (or daily) series: for every series key and hour of day, the median and
 * the median absolute deviation (MAD) of the trailing history. Median and MAD, not mean and standard deviation, so
 * an incident in the history does not inflate the baseline it is later compared against.
 *
 * <p>Weekly seasonality: counts are divided by a day-of-week factor (how busy that weekday is for the whole
 * fleet) before the median is taken, and the expectation for the scored day is multiplied back by its own factor —
 * a Sunday is compared with a Sunday-sized expectation without needing four Sundays of history per hour.
 *
 * <p>Each key's history and day are worked out together in plain Java ({@link KeyedSeries}).
 */
public final class SeasonalBaseline implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Scales a MAD to the standard deviation it estimates for normal data. */
    static final double MAD_TO_SD = 1.4826;

    /** How gaps in a series are read. */
    public enum Fill {
        /** Rates: an hour without events has no rate, not a zero one. */
        NONE,
        /** Hourly counts: an hour without rows is an hour with zero events, from the key's first day on. */
        HOURLY,
        /** Daily counts ({@code hour} at midnight), filled the same way. */
        DAILY
    }

    private final List<String> keys;
    private final Fill fill;
    private final Map<Integer, Double> weekdayFactors;
    private final LocalDate day;
    private final String zone;

    /**
     * @param keys           the series key columns (nulls are a key value like any other)
     * @param fill           how gaps are read
     * @param weekdayFactors Spark weekday (1 = Sunday … 7 = Saturday) → factor, see {@link #dayOfWeekFactors};
     *                       empty for no weekly normalisation (rates)
     * @param day            the scored day; history is every earlier day
     * @param zone           the session time zone, in which hours of day and weekdays are read
     */
    public SeasonalBaseline(List<String> keys, Fill fill, Map<Integer, Double> weekdayFactors, LocalDate day,
                            ZoneId zone) {
        this.keys = List.copyOf(keys);
        this.fill = fill;
        this.weekdayFactors = new HashMap<>(weekdayFactors);
        this.day = day;
        this.zone = zone.getId();
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

    /** The {@link #dayOfWeekFactors} rows as a map, for the constructor. */
    public static Map<Integer, Double> factorMap(Dataset<Row> factors) {
        Map<Integer, Double> out = new HashMap<>();
        for (Row r : factors.collectAsList()) {
            out.put(r.getInt(0), r.getDouble(1));
        }
        return out;
    }

    /**
     * The day's rows with their expectation: {@code today}'s columns (with a fill, only the keys, {@code hour} and
     * {@code value}: one row per key and hour of the day, zeros included) followed by {@code expected} (median × the
     * day's weekday factor), {@code spread} (MAD × {@value #MAD_TO_SD} × the factor) and {@code points} (history
     * values behind the baseline, 0 without one, when {@code expected} is null).
     *
     * @param history series rows ({@code keys..., hour, value}) of the days before
     * @param today   the day's series rows; without a fill they may carry more columns, which are kept
     */
    public Dataset<Row> score(Dataset<Row> history, Dataset<Row> today) {
        List<String> base = new ArrayList<>(keys);
        base.add("hour");
        base.add("value");
        List<String> todayColumns = fill == Fill.NONE ? List.of(today.columns()) : base;
        List<Column> historyCols = new ArrayList<>();
        List<Column> todayCols = new ArrayList<>();
        for (String c : todayColumns) {
            todayCols.add(col(quote(c)));
            historyCols.add(base.contains(c) ? col(quote(c))
                    : lit(null).cast(today.schema().apply(c).dataType()).as(c));
        }
        Dataset<Row> both = KeyedSeries.historyAndDay(history.select(historyCols.toArray(Column[]::new)),
                today.select(todayCols.toArray(Column[]::new)));
        StructType in = both.schema();
        StructType out = new StructType(Arrays.copyOf(in.fields(), in.fields().length - 1))
                .add("expected", DataTypes.DoubleType)
                .add("spread", DataTypes.DoubleType)
                .add("points", DataTypes.LongType, false);
        return KeyedSeries.apply(both, keys, out, new ScoreSeries(this, in));
    }

    /** One key's rows: fills them if asked, fits the baseline and scores the day. */
    private static final class ScoreSeries implements KeyedSeries.PerKey {
        private static final long serialVersionUID = 1L;
        private final SeasonalBaseline baseline;
        private final int[] keyIndex;
        private final int hourIndex;
        private final int valueIndex;
        private final int todayIndex;
        private final int width;

        ScoreSeries(SeasonalBaseline baseline, StructType in) {
            this.baseline = baseline;
            this.keyIndex = baseline.keys.stream().mapToInt(in::fieldIndex).toArray();
            this.hourIndex = in.fieldIndex("hour");
            this.valueIndex = in.fieldIndex("value");
            this.todayIndex = in.fieldIndex(KeyedSeries.IS_TODAY);
            this.width = in.fields().length - 1;
        }

        @Override
        public void apply(List<Object> key, List<Row> rows, List<Row> out) {
            ZoneId zone = ZoneId.of(baseline.zone);
            baseline.scoreSeries(baseline.fill == Fill.NONE ? asGiven(rows, zone) : filled(key, rows, zone), out);
        }

        private SeriesRows asGiven(List<Row> rows, ZoneId zone) {
            SeriesRows s = new SeriesRows();
            for (Row r : rows) {
                if (r.getBoolean(todayIndex)) {
                    s.today.add(r);
                    s.todayHours.add(r.isNullAt(hourIndex) ? null : KeyedSeries.local(r.get(hourIndex), zone));
                } else if (!r.isNullAt(hourIndex)) {
                    s.history.add(KeyedSeries.local(r.get(hourIndex), zone));
                    s.historyValues.add(r.isNullAt(valueIndex) ? null : r.getDouble(valueIndex));
                }
            }
            return s;
        }

        /**
         * Every hour (or day) from the key's first day to the scored day, its values summed, zero where the series
         * has no row; rows off that grid (not on the hour) are left out, as a join to the grid would.
         */
        private SeriesRows filled(List<Object> key, List<Row> rows, ZoneId zone) {
            Map<LocalDateTime, Double> sums = new HashMap<>();
            LocalDate first = null;
            boolean instants = false;
            for (Row r : rows) {
                if (r.isNullAt(hourIndex)) {
                    continue;
                }
                Object hour = r.get(hourIndex);
                instants = hour instanceof Instant;
                LocalDateTime t = KeyedSeries.local(hour, zone);
                first = first == null || t.toLocalDate().isBefore(first) ? t.toLocalDate() : first;
                double v = r.isNullAt(valueIndex) ? 0.0 : r.getDouble(valueIndex);
                sums.merge(t, v, Double::sum);
            }
            SeriesRows s = new SeriesRows();
            int hoursPerDay = baseline.fill == Fill.HOURLY ? 24 : 1;
            for (LocalDate d = first; d != null && !d.isAfter(baseline.day); d = d.plusDays(1)) {
                for (int h = 0; h < hoursPerDay; h++) {
                    LocalDateTime t = d.atTime(h, 0);
                    double v = sums.getOrDefault(t, 0.0);
                    if (d.equals(baseline.day)) {
                        Object[] values = new Object[width + 1];
                        for (int i = 0; i < keyIndex.length; i++) {
                            values[keyIndex[i]] = key.get(i);
                        }
                        Instant at = t.atZone(zone).toInstant();
                        values[hourIndex] = instants ? at : Timestamp.from(at);
                        values[valueIndex] = v;
                        s.today.add(RowFactory.create(values));
                        s.todayHours.add(t);
                    } else {
                        s.history.add(t);
                        s.historyValues.add(v);
                    }
                }
            }
            return s;
        }
    }

    /** One key's series: history hours with their values, the day's rows with their hours. */
    private static final class SeriesRows {
        final List<LocalDateTime> history = new ArrayList<>();
        final List<Double> historyValues = new ArrayList<>();
        final List<Row> today = new ArrayList<>();
        final List<LocalDateTime> todayHours = new ArrayList<>();
    }

    /** Fits the key's baseline per hour of day and appends its scored rows of the day to {@code out}. */
    private void scoreSeries(SeriesRows s, List<Row> out) {
        Map<Integer, List<Double>> byHourOfDay = new HashMap<>();
        Map<Integer, Long> points = new HashMap<>();
        for (int i = 0; i < s.history.size(); i++) {
            LocalDateTime t = s.history.get(i);
            if (!t.toLocalDate().isBefore(day)) {
                continue;
            }
            int hourOfDay = t.getHour();
            points.merge(hourOfDay, 1L, Long::sum);
            Double v = s.historyValues.get(i);
            // A null value counts as a point but has nothing to say about the level (collect_list's reading).
            if (v != null) {
                byHourOfDay.computeIfAbsent(hourOfDay, h -> new ArrayList<>()).add(v / factor(t.toLocalDate()));
            }
        }
        double dayFactor = factor(day);
        for (int i = 0; i < s.today.size(); i++) {
            Row r = s.today.get(i);
            LocalDateTime t = s.todayHours.get(i);
            Object[] values = new Object[r.length() + 2];
            for (int c = 0; c < r.length() - 1; c++) {
                values[c] = r.get(c);
            }
            Integer hourOfDay = t == null ? null : t.getHour();
            List<Double> history = hourOfDay == null ? null : byHourOfDay.get(hourOfDay);
            if (history != null) {
                double[] sorted = history.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                double median = median(sorted);
                double[] deviations = Arrays.stream(sorted).map(v -> Math.abs(v - median)).sorted().toArray();
                values[r.length() - 1] = median * dayFactor;
                values[r.length()] = median(deviations) * MAD_TO_SD * dayFactor;
            }
            values[r.length() + 1] = hourOfDay == null ? 0L : points.getOrDefault(hourOfDay, 0L);
            out.add(RowFactory.create(values));
        }
    }

    /** The day's weekday factor; 1.0 for a weekday without one. */
    private double factor(LocalDate d) {
        return weekdayFactors.getOrDefault(d.getDayOfWeek().getValue() % 7 + 1, 1.0);
    }

    /** Median of a sorted, non-empty array (mean of the two middle elements for an even length). */
    static double median(double[] sorted) {
        int n = sorted.length;
        return (sorted[(n - 1) / 2] + sorted[n / 2]) / 2.0;
    }

    static String quote(String name) {
        return "`" + name + "`";
    }
}
