package io.nightshift.jobs.detect.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.aggregate.LatencyHistogram;

/** The pooled usual p95 and the day's hours against it, on histograms small enough to count by hand. */
class LatencyBaselineTest {
    static SparkSession spark;
    static final LocalDate DAY = LocalDate.parse("2026-11-20");
    static final StructType HOURLY = StructType.fromDDL(
            "service STRING, level STRING, hour TIMESTAMP, latency_hist MAP<INT, BIGINT>");

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    private static Row row(String level, LocalDate d, int hour, Map<Integer, Long> hist) {
        return RowFactory.create("api", level, Timestamp.valueOf(d.atTime(hour, 0)),
                hist == null ? null : scala.jdk.javaapi.CollectionConverters.asScala(new TreeMap<>(hist)));
    }

    @Test
    void theUsualP95PoolsTheHoursHistogramsOverTheDaysAndTheDayCountsRequestsAboveIt() {
        List<Row> history = List.of(
                row("INFO", DAY.minusDays(3), 10, Map.of(100, 30L)),
                row("ERROR", DAY.minusDays(3), 10, Map.of(200, 3L)),
                row("INFO", DAY.minusDays(2), 10, Map.of(100, 30L, 200, 4L)),
                row("INFO", DAY.minusDays(1), 10, Map.of(100, 30L)),
                row("ERROR", DAY.minusDays(1), 10, Map.of(200, 3L)),
                // Untimed rows are no day of history.
                row("INFO", DAY.minusDays(4), 10, null));
        List<Row> today = List.of(row("INFO", DAY, 10, Map.of(100, 10L, 200, 5L)),
                row("ERROR", DAY, 10, Map.of(300, 5L)),
                // No history at 11:00: not scored.
                row("INFO", DAY, 11, Map.of(100, 50L)));

        List<Row> scored = new LatencyBaseline(List.of("service"), ZoneOffset.UTC)
                .score(spark.createDataFrame(history, HOURLY), spark.createDataFrame(today, HOURLY)).collectAsList();

        // Pooled: 90 requests in bucket 100, 10 in 200; the 95th of 100 is in 200. The day: 10, 5, 5 in 100, 200,
        // 300; the 19th of 20 is in 300, and 5 requests are above bucket 200.
        assertThat(scored).singleElement().satisfies(r -> {
            assertThat(r.schema().fieldNames())
                    .containsExactly("service", "hour", "value", "expected", "points", "events", "errors");
            assertThat(r.<Timestamp>getAs("hour")).isEqualTo(Timestamp.valueOf(DAY.atTime(10, 0)));
            assertThat(r.<Double>getAs("value")).isEqualTo(LatencyHistogram.valueOf(300));
            assertThat(r.<Double>getAs("expected")).isEqualTo(LatencyHistogram.valueOf(200));
            assertThat(r.<Long>getAs("points")).isEqualTo(3L);
            assertThat(r.<Double>getAs("events")).isEqualTo(20.0);
            assertThat(r.<Double>getAs("errors")).isEqualTo(5.0);
        });
    }
}
