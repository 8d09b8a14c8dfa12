package io.nightshift.models.anomaly;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import io.nightshift.models.features.LogRows;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Templated logs where hosts follow one of three normal template mixes (web, db, batch), hourly, with two injected
 * anomalies in the training range: a rare template {@code R1} on web-3 at 02:00 and an ERROR burst of {@code ERR}
 * on db-4 at 04:00.
 */
final class SyntheticLogs {
    static final Instant DAY = Instant.parse("2024-05-01T00:00:00Z");
    static final int HOURS = 6;
    static final String RARE_HOST = "web-3";
    static final Instant RARE_HOUR = DAY.plus(Duration.ofHours(2));
    static final String BURST_HOST = "db-4";
    static final Instant BURST_HOUR = DAY.plus(Duration.ofHours(4));

    private static final Map<String, Map<String, Integer>> PROFILES = Map.of(
            "web", Map.of("W1", 20, "W2", 10, "W3", 5),
            "db", Map.of("D1", 15, "D2", 15, "D3", 3),
            "batch", Map.of("B1", 30, "B2", 2));
    private static final Map<String, Integer> HOSTS = Map.of("web", 12, "db", 10, "batch", 8);

    private SyntheticLogs() {
    }

    static Dataset<Row> training(SparkSession spark) {
        Random random = new Random(7);
        List<Row> rows = new ArrayList<>();
        for (int h = 0; h < HOURS; h++) {
            Instant hour = DAY.plus(Duration.ofHours(h));
            for (String profile : List.of("web", "db", "batch")) {
                for (int i = 0; i < HOSTS.get(profile); i++) {
                    normalWindow(rows, random, profile, profile + "-" + i, hour);
                }
            }
        }
        lines(rows, RARE_HOST, "web", RARE_HOUR, "R1", 15, "INFO", false);
        lines(rows, BURST_HOST, "db", BURST_HOUR, "ERR", 30, "ERROR", false);
        return LogRows.frame(spark, rows);
    }

    /** A later web window that also logs a template never seen in training. */
    static Dataset<Row> withUnseenTemplate(SparkSession spark, String host, Instant hour) {
        List<Row> rows = new ArrayList<>();
        normalWindow(rows, new Random(11), "web", host, hour);
        lines(rows, host, "web", hour, "NEW1", 20, "WARN", true);
        return LogRows.frame(spark, rows);
    }

    static void normalWindow(List<Row> rows, Random random, String profile, String host, Instant hour) {
        PROFILES.get(profile).forEach((template, mean) -> {
            int n = (int) Math.round(mean * (0.7 + 0.6 * random.nextDouble()));
            lines(rows, host, profile, hour, template, n, "INFO", false);
        });
    }

    private static void lines(List<Row> rows, String host, String service, Instant hour, String template, int n,
                              String level, boolean isNew) {
        for (int i = 0; i < n; i++) {
            Instant t = hour.plusSeconds(i * 59L % 3600);
            String user = service.equals("web") ? "u" + (i % 5) : null;
            rows.add(RowFactory.create(Timestamp.from(t), template, isNew, level, user, host, service,
                    CollectionConverters.asScala(Map.<String, String>of())));
        }
    }
}
