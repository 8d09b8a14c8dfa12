package io.nightshift.jobs.detect.trends;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.nightshift.jobs.aggregate.LatencyHistogram;

/**
 * The usual p95 latency of a series for each hour of day, read from the history's histograms of that hour added
 * over the days (a pooled distribution, far steadier than the median of daily p95s), and the day's hours against
 * it. Output per key and hour of the day with a usual: {@code keys..., hour, value} (the hour's p95),
 * {@code expected} (the usual p95), {@code points} (history days behind it), {@code events} (timed requests in the
 * hour) and {@code errors} (those slower than the usual p95). Worked out per key in plain Java ({@link KeyedSeries}).
 */
final class LatencyBaseline implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<String> keys;
    private final String zone;

    LatencyBaseline(List<String> keys, ZoneId zone) {
        this.keys = List.copyOf(keys);
        this.zone = zone.getId();
    }

    /** @param history, today hourly aggregate rows: the keys, {@code hour} and {@code latency_hist} */
    Dataset<Row> score(Dataset<Row> history, Dataset<Row> today) {
        List<Column> cols = new ArrayList<>();
        for (String k : keys) {
            cols.add(col("`" + k + "`"));
        }
        cols.add(col("hour"));
        cols.add(col("latency_hist"));
        Column[] selected = cols.toArray(Column[]::new);
        Column timed = col("latency_hist").isNotNull();
        Dataset<Row> both = KeyedSeries.historyAndDay(history.where(timed).select(selected),
                today.where(timed).select(selected));
        StructType out = new StructType();
        for (String k : keys) {
            out = out.add(both.schema().apply(k));
        }
        out = out.add("hour", DataTypes.TimestampType)
                .add("value", DataTypes.DoubleType)
                .add("expected", DataTypes.DoubleType)
                .add("points", DataTypes.LongType, false)
                .add("events", DataTypes.DoubleType)
                .add("errors", DataTypes.DoubleType);
        return KeyedSeries.apply(both, keys, out, new ScoreSeries(keys.size(), zone));
    }

    private record ScoreSeries(int keyCount, String zone) implements KeyedSeries.PerKey {
        @Override
        public void apply(List<Object> key, List<Row> rows, List<Row> out) {
            ZoneId z = ZoneId.of(zone);
            int hourIndex = keyCount;
            int histIndex = keyCount + 1;
            int todayIndex = keyCount + 2;
            // Each hour's histograms added (an aggregate row per level, datacenter ... of the hour).
            Map<LocalDateTime, TreeMap<Integer, Long>> past = new HashMap<>();
            Map<LocalDateTime, TreeMap<Integer, Long>> day = new LinkedHashMap<>();
            Map<LocalDateTime, Object> dayHours = new HashMap<>();
            for (Row r : rows) {
                LocalDateTime t = KeyedSeries.local(r.get(hourIndex), z);
                boolean today = r.getBoolean(todayIndex);
                TreeMap<Integer, Long> sums = (today ? day : past).computeIfAbsent(t, h -> new TreeMap<>());
                if (today) {
                    dayHours.putIfAbsent(t, r.get(hourIndex));
                }
                scala.collection.Iterator<scala.Tuple2<Integer, Long>> it =
                        r.<Integer, Long>getMap(histIndex).iterator();
                while (it.hasNext()) {
                    scala.Tuple2<Integer, Long> e = it.next();
                    if (e._2() != null) {
                        sums.merge(e._1(), e._2(), Long::sum);
                    }
                }
            }
            // The usual distribution per hour of day: every history hour's histogram added, and the days behind it.
            Map<Integer, TreeMap<Integer, Long>> usual = new HashMap<>();
            Map<Integer, Set<LocalDate>> days = new HashMap<>();
            past.forEach((t, hist) -> {
                days.computeIfAbsent(t.getHour(), h -> new HashSet<>()).add(t.toLocalDate());
                TreeMap<Integer, Long> into = usual.computeIfAbsent(t.getHour(), h -> new TreeMap<>());
                hist.forEach((bucket, n) -> into.merge(bucket, n, Long::sum));
            });
            day.forEach((t, hist) -> {
                Set<LocalDate> behind = days.get(t.getHour());
                if (behind == null) {
                    return;
                }
                LatencyHistogram.Buckets today = LatencyHistogram.Buckets.of(hist);
                LatencyHistogram.Buckets pooled = LatencyHistogram.Buckets.of(usual.get(t.getHour()));
                Integer usualBucket = pooled == null ? null : pooled.quantileBucket(0.95);
                Object[] values = new Object[keyCount + 6];
                for (int i = 0; i < keyCount; i++) {
                    values[i] = key.get(i);
                }
                values[keyCount] = dayHours.get(t);
                values[keyCount + 1] = today == null ? null : LatencyHistogram.valueOf(today.quantileBucket(0.95));
                values[keyCount + 2] = LatencyHistogram.valueOf(usualBucket);
                values[keyCount + 3] = (long) behind.size();
                values[keyCount + 4] = today == null ? null : (double) today.total();
                values[keyCount + 5] = today == null ? null : (double) today.countAbove(usualBucket);
                out.add(RowFactory.create(values));
            });
        }
    }
}
