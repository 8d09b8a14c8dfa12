package io.nightshift.jobs.detect.trends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;

/** Baselines and scores worked out by hand on tiny series. */
class SeasonalBaselineTest {
    static SparkSession spark;
    static final LocalDate DAY = LocalDate.parse("2026-11-20");
    static final StructType COUNTS = StructType.fromDDL("service STRING, region STRING, hour TIMESTAMP, value DOUBLE");
    static final StructType RATES = StructType.fromDDL(
            "service STRING, region STRING, hour TIMESTAMP, events DOUBLE, errors DOUBLE, value DOUBLE");
    static final List<String> KEYS = List.of("service", "region");

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    private static Timestamp at(LocalDate d, int hour) {
        return Timestamp.valueOf(d.atTime(hour, 0));
    }

    private static Row count(String service, String region, LocalDate d, int hour, double value) {
        return RowFactory.create(service, region, at(d, hour), value);
    }

    private static SeasonalBaseline baseline(SeasonalBaseline.Fill fill, Map<Integer, Double> factors) {
        return new SeasonalBaseline(KEYS, fill, factors, DAY, ZoneOffset.UTC);
    }

    private static Row hourOf(List<Row> rows, String service, int hour) {
        return rows.stream().filter(r -> service.equals(r.getAs("service"))
                && r.<Timestamp>getAs("hour").toLocalDateTime().getHour() == hour).findFirst().orElseThrow();
    }

    @Test
    void countsAreZeroFilledFromTheKeysFirstDayAndScoredAgainstTheirMedianAndMad() {
        List<Row> history = new ArrayList<>(List.of(
                count("api", null, DAY.minusDays(5), 3, 10),
                count("api", null, DAY.minusDays(4), 3, 12),
                // nothing on DAY-3: a zero
                count("api", null, DAY.minusDays(2), 3, 14),
                count("api", null, DAY.minusDays(1), 3, 100)));
        List<Row> today = List.of(count("api", null, DAY, 3, 30), count("new", "eu", DAY, 7, 5));

        List<Row> scored = baseline(SeasonalBaseline.Fill.HOURLY, Map.of())
                .score(spark.createDataFrame(history, COUNTS), spark.createDataFrame(today, COUNTS)).collectAsList();

        assertThat(scored).hasSize(48);
        assertThat(scored.get(0).schema().fieldNames())
                .containsExactly("service", "region", "hour", "value", "expected", "spread", "points");
        // Hour 3 over five days: 10, 12, 0, 14, 100; median 12, deviations 2, 0, 12, 2, 88, MAD 2.
        Row three = hourOf(scored, "api", 3);
        assertThat(three.<String>getAs("region")).isNull();
        assertThat(three.<Double>getAs("value")).isEqualTo(30.0);
        assertThat(three.<Double>getAs("expected")).isEqualTo(12.0);
        assertThat(three.<Double>getAs("spread")).isCloseTo(2 * SeasonalBaseline.MAD_TO_SD, within(1e-12));
        assertThat(three.<Long>getAs("points")).isEqualTo(5L);
        // An hour without any row on any day: zeros all along, scored as zero against zero.
        Row five = hourOf(scored, "api", 5);
        assertThat(List.of(five.<Double>getAs("value"), five.<Double>getAs("expected"), five.<Double>getAs("spread")))
                .containsExactly(0.0, 0.0, 0.0);
        // A series new today has every hour of the day and no baseline.
        Row fresh = hourOf(scored, "new", 7);
        assertThat(fresh.<Double>getAs("value")).isEqualTo(5.0);
        assertThat(fresh.<Double>getAs("expected")).isNull();
        assertThat(fresh.<Long>getAs("points")).isZero();
        assertThat(hourOf(scored, "new", 8).<Double>getAs("value")).isZero();
    }

    @Test
    void weekdayFactorsNormaliseTheHistoryAndScaleTheExpectation() {
        int weekdayOfYesterday = DAY.minusDays(1).getDayOfWeek().getValue() % 7 + 1;
        int weekdayOfToday = DAY.getDayOfWeek().getValue() % 7 + 1;
        List<Row> history = List.of(count("api", "eu", DAY.minusDays(2), 0, 10),
                count("api", "eu", DAY.minusDays(1), 0, 40));
        List<Row> today = List.of(count("api", "eu", DAY, 0, 9));

        Row hour0 = hourOf(baseline(SeasonalBaseline.Fill.HOURLY, Map.of(weekdayOfYesterday, 2.0, weekdayOfToday, 0.5))
                .score(spark.createDataFrame(history, COUNTS), spark.createDataFrame(today, COUNTS))
                .collectAsList(), "api", 0);

        // Normalised history 10 and 40 / 2 = 20: median 15, MAD 5; both scaled by the day's 0.5.
        assertThat(hour0.<Double>getAs("expected")).isEqualTo(7.5);
        assertThat(hour0.<Double>getAs("spread")).isCloseTo(5 * SeasonalBaseline.MAD_TO_SD * 0.5, within(1e-12));
        assertThat(hour0.<Long>getAs("points")).isEqualTo(2L);
    }

    @Test
    void ratesAreNotFilledAndKeepTheDaysOtherColumns() {
        List<Row> history = List.of(
                RowFactory.create("api", "eu", at(DAY.minusDays(3), 4), 100.0, 1.0, 0.01),
                RowFactory.create("api", "eu", at(DAY.minusDays(2), 4), 100.0, 3.0, 0.03),
                RowFactory.create("api", "eu", at(DAY.minusDays(1), 4), 100.0, 2.0, 0.02),
                RowFactory.create("api", "eu", at(DAY.minusDays(1), 6), 50.0, 1.0, 0.02));
        List<Row> today = List.of(RowFactory.create("api", "eu", at(DAY, 4), 200.0, 20.0, 0.1),
                RowFactory.create("api", "eu", at(DAY, 9), 10.0, 0.0, 0.0));
        Dataset<Row> h = spark.createDataFrame(history, RATES).select("service", "region", "hour", "value");

        List<Row> scored = baseline(SeasonalBaseline.Fill.NONE, Map.of())
                .score(h, spark.createDataFrame(today, RATES)).collectAsList();

        assertThat(scored).hasSize(2);
        assertThat(scored.get(0).schema().fieldNames()).containsExactly("service", "region", "hour", "events",
                "errors", "value", "expected", "spread", "points");
        Row four = hourOf(scored, "api", 4);
        assertThat(List.of(four.<Double>getAs("events"), four.<Double>getAs("errors"), four.<Double>getAs("value"),
                four.<Double>getAs("expected"))).containsExactly(200.0, 20.0, 0.1, 0.02);
        assertThat(four.<Double>getAs("spread")).isCloseTo(0.01 * SeasonalBaseline.MAD_TO_SD, within(1e-12));
        assertThat(four.<Long>getAs("points")).isEqualTo(3L);
        Row nine = hourOf(scored, "api", 9);
        assertThat(nine.<Double>getAs("expected")).isNull();
        assertThat(nine.<Long>getAs("points")).isZero();
    }

    @Test
    void dailySeriesAreFilledByDay() {
        List<Row> history = List.of(count("bob", "t1", DAY.minusDays(4), 0, 8e6),
                count("bob", "t1", DAY.minusDays(2), 0, 2e6));
        List<Row> today = List.of(count("bob", "t1", DAY, 0, 9e8));

        List<Row> scored = baseline(SeasonalBaseline.Fill.DAILY, Map.of())
                .score(spark.createDataFrame(history, COUNTS), spark.createDataFrame(today, COUNTS)).collectAsList();

        // Four history days: 8e6, 0, 2e6, 0; median 1e6, deviations 7e6, 1e6, 1e6, 1e6, MAD 1e6.
        assertThat(scored).singleElement().satisfies(r -> {
            assertThat(r.<Double>getAs("value")).isEqualTo(9e8);
            assertThat(r.<Double>getAs("expected")).isEqualTo(1e6);
            assertThat(r.<Double>getAs("spread")).isCloseTo(1e6 * SeasonalBaseline.MAD_TO_SD, within(1e-6));
            assertThat(r.<Long>getAs("points")).isEqualTo(4L);
        });
    }
}
