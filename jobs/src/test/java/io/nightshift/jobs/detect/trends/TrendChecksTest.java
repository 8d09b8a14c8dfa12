package io.nightshift.jobs.detect.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.aggregate.LatencyHistogram;
import io.nightshift.jobs.config.NightshiftConfig.TrendsConfig;

/** The trend checks on small synthetic aggregate series with a known answer. */
class TrendChecksTest {
    static SparkSession spark;
    static final LocalDate DAY = LocalDate.parse("2026-11-20");
    static final StructType HOURLY = StructType.fromDDL(
            "date DATE, hour TIMESTAMP, region STRING, datacenter STRING, service STRING, level STRING, "
                    + "event_count BIGINT, error_count BIGINT, responses BIGINT, status_4xx BIGINT, status_5xx BIGINT, "
                    + "latency_hist MAP<INT, BIGINT>");

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    /** Events per hour with a day-time bump; errors about 1%. */
    private static long normalVolume(int hourOfDay, Random rnd) {
        double base = 200 + 150 * Math.sin(Math.PI * Math.max(0, hourOfDay - 6) / 16.0);
        return Math.round(base + rnd.nextGaussian() * Math.sqrt(base));
    }

    private static List<Row> day(LocalDate d, String service, String region, Random rnd, Surge surge) {
        return day(d, service, region, rnd, surge, null);
    }

    /** As above, with responses (2% 4xx, 0.5% 5xx) and a log-normal latency around {@code latencyMs}, if given. */
    private static List<Row> day(LocalDate d, String service, String region, Random rnd, Surge surge,
                                 Slowdown slow) {
        List<Row> rows = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            long events = normalVolume(h, rnd);
            long errors = Math.round(events * 0.01 + rnd.nextInt(2));
            if (surge != null && h >= surge.fromHour && h < surge.toHour) {
                errors = Math.round(events * surge.errorShare);
                events = Math.round(events * surge.volumeFactor);
            }
            if (events == 0) {
                continue;
            }
            Long responses = null;
            Long s4 = null;
            Long s5 = null;
            scala.collection.Map<Integer, Long> hist = null;
            if (slow != null) {
                boolean slowed = h >= slow.fromHour && h < slow.toHour;
                responses = events;
                s4 = Math.round(events * 0.02 + rnd.nextInt(2));
                s5 = slowed && slow.fiveXxShare > 0 ? Math.round(events * slow.fiveXxShare)
                        : Math.round(events * 0.005 + rnd.nextInt(2));
                java.util.Map<Integer, Long> buckets = new java.util.TreeMap<>();
                for (int i = 0; i < events; i++) {
                    double ms = slow.latencyMs * Math.exp(0.5 * rnd.nextGaussian()) * (slowed ? slow.factor : 1);
                    buckets.merge((int) Math.ceil(Math.log(ms) / Math.log(LatencyHistogram.GAMMA)), 1L, Long::sum);
                }
                hist = scala.jdk.javaapi.CollectionConverters.asScala(buckets);
            }
            rows.add(RowFactory.create(java.sql.Date.valueOf(d), Timestamp.valueOf(LocalDateTime.of(d, java.time.LocalTime.of(h, 0))),
                    region, region + "-1", service, "INFO", events, errors, responses, s4, s5, hist));
        }
        return rows;
    }

    record Surge(int fromHour, int toHour, double errorShare, double volumeFactor) {
    }

    /** Latency around {@code latencyMs}, {@code factor} times slower (and a 5xx share, if above 0) in the hours. */
    record Slowdown(double latencyMs, int fromHour, int toHour, double factor, double fiveXxShare) {
        static Slowdown none(double latencyMs) {
            return new Slowdown(latencyMs, 0, 0, 1, 0);
        }
    }

    private Dataset<Row> frame(List<Row> rows) {
        return spark.createDataFrame(rows, HOURLY);
    }

    private static SeriesChecks checks(Dataset<Row> history) {
        Dataset<Row> factors = SeasonalBaseline.dayOfWeekFactors(history.groupBy(
                org.apache.spark.sql.functions.col("date").as("day")).sum("event_count").toDF("day", "total"));
        return new SeriesChecks(new TrendsConfig(28, 0, 7, 6.0), DAY, factors);
    }

    @Test
    void anErrorStormIsOneRunOnTheRightServiceRegionAndHoursAndQuietSeriesStayQuiet() {
        Random rnd = new Random(7);
        List<Row> history = new ArrayList<>();
        for (int i = 21; i >= 1; i--) {
            history.addAll(day(DAY.minusDays(i), "checkout", "eu-west", rnd, null));
            history.addAll(day(DAY.minusDays(i), "search", "eu-west", rnd, null));
        }
        List<Row> today = new ArrayList<>(day(DAY, "checkout", "eu-west", rnd, new Surge(2, 5, 0.25, 1.0)));
        today.addAll(day(DAY, "search", "eu-west", rnd, null));

        List<Row> runs = checks(frame(history)).serviceRuns(frame(history), frame(today),
                TrendDetectionStage.SERVICE_REGION).collectAsList();

        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.<String>getAs("check")).isEqualTo("error_rate_surge");
            assertThat(r.<String>getAs("service")).isEqualTo("checkout");
            assertThat(r.<Timestamp>getAs("first_seen")).isEqualTo(Timestamp.valueOf("2026-11-20 02:00:00"));
            assertThat(r.<Timestamp>getAs("last_seen")).isEqualTo(Timestamp.valueOf("2026-11-20 05:00:00"));
            assertThat(r.<Double>getAs("value")).isGreaterThan(0.2);
            assertThat(r.<Double>getAs("expected")).isLessThan(0.03);
        });
    }

    @Test
    void silenceAndSpikesAreFoundAndANewSeriesIsColdNotAnomalous() {
        Random rnd = new Random(11);
        List<Row> history = new ArrayList<>();
        for (int i = 14; i >= 1; i--) {
            history.addAll(day(DAY.minusDays(i), "catalog", "us-east", rnd, null));
        }
        for (int i = 3; i >= 1; i--) {
            history.addAll(day(DAY.minusDays(i), "brand-new", "us-east", rnd, null));
        }
        List<Row> today = new ArrayList<>(day(DAY, "catalog", "us-east", rnd, new Surge(10, 13, 0.0, 0.0)));
        today.addAll(day(DAY, "brand-new", "us-east", rnd, new Surge(1, 3, 0.01, 10.0)));
        today.addAll(day(DAY, "catalog", "us-east", rnd, new Surge(20, 21, 0.01, 4.0)).stream()
                .filter(r -> r.<Timestamp>getAs(1).toLocalDateTime().getHour() == 20).toList());

        List<Row> runs = checks(frame(history)).serviceRuns(frame(history), frame(today),
                TrendDetectionStage.SERVICE_REGION).orderBy("first_seen").collectAsList();

        assertThat(runs).extracting(r -> r.<String>getAs("service") + ":" + r.<String>getAs("check") + "@"
                        + r.<Timestamp>getAs("first_seen").toLocalDateTime().getHour())
                .containsExactly("catalog:silence@10", "catalog:volume_spike@20");
    }

    @Test
    void aLatencyRiseWithoutErrorsIsFoundAndSteadyServicesAreNot() {
        Random rnd = new Random(5);
        List<Row> history = new ArrayList<>();
        for (int i = 14; i >= 1; i--) {
            history.addAll(day(DAY.minusDays(i), "checkout", "us-west", rnd, null, Slowdown.none(300)));
            history.addAll(day(DAY.minusDays(i), "search", "us-west", rnd, null, Slowdown.none(80)));
        }
        List<Row> today = new ArrayList<>(day(DAY, "checkout", "us-west", rnd, null,
                new Slowdown(300, 19, 23, 2.0, 0)));
        today.addAll(day(DAY, "search", "us-west", rnd, null, Slowdown.none(80)));

        List<Row> runs = checks(frame(history)).serviceRuns(frame(history), frame(today),
                TrendDetectionStage.SERVICE_REGION).collectAsList();

        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.<String>getAs("check")).isEqualTo("latency_p95");
            assertThat(r.<String>getAs("service")).isEqualTo("checkout");
            assertThat(r.<Timestamp>getAs("first_seen")).isEqualTo(Timestamp.valueOf("2026-11-20 19:00:00"));
            assertThat(r.<Timestamp>getAs("last_seen")).isEqualTo(Timestamp.valueOf("2026-11-20 23:00:00"));
            // p95 of a log-normal(sigma 0.5) around 300 ms is about 680 ms; doubled, about 1,360 ms.
            assertThat(r.<Double>getAs("expected")).isBetween(550.0, 800.0);
            assertThat(r.<Double>getAs("value")).isGreaterThan(1.6 * r.<Double>getAs("expected"));
        });
    }

    @Test
    void aFiveHundredsSurgeIsItsOwnCheck() {
        Random rnd = new Random(9);
        List<Row> history = new ArrayList<>();
        for (int i = 14; i >= 1; i--) {
            history.addAll(day(DAY.minusDays(i), "payments", "eu-west", rnd, null, Slowdown.none(120)));
        }
        List<Row> today = day(DAY, "payments", "eu-west", rnd, null, new Slowdown(120, 3, 5, 1.0, 0.2));

        List<Row> runs = checks(frame(history)).serviceRuns(frame(history), frame(today),
                TrendDetectionStage.SERVICE_REGION).collectAsList();

        assertThat(runs).extracting(r -> r.<String>getAs("check") + "@"
                + r.<Timestamp>getAs("first_seen").toLocalDateTime().getHour() + "-"
                + r.<Timestamp>getAs("last_seen").toLocalDateTime().getHour()).containsExactly("status_5xx_surge@3-5");
    }
}
