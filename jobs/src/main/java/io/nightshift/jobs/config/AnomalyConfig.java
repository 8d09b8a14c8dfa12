package io.nightshift.jobs.config;

import java.util.List;

/**
 * Settings of the log-template clustering detector.
 *
 * @param trainingDays    trailing days of logs a model is trained on (the days before the training date)
 * @param maxModelAgeDays the nightly run retrains when the newest model's training range ended longer ago
 * @param algorithm       kmeans, bisecting_kmeans or gmm
 * @param threshold       score (0-100, calibrated on training data) above which a window is anomalous; 99 means
 *                        farther from every cluster than any training window was
 * @param smallClusterFraction clusters with fewer than this share of the training windows are anomalous themselves
 * @param maxTrainingMessages distinct masked messages the template miner learns from at most
 * @param views           the entity × window views scored, each with its own model
 */
public record AnomalyConfig(int trainingDays, int maxModelAgeDays, String algorithm, double threshold,
                            double smallClusterFraction, int maxTrainingMessages, List<View> views) {
    public static final String MODEL_NAME = "log-anomaly";

    /** One way of cutting the logs into windows: per entity columns and window length. */
    public record View(String name, List<String> entity, String window) {
    }

    public AnomalyConfig {
        views = List.copyOf(views);
    }

    public static AnomalyConfig defaults() {
        // A group of a few recurring entities (the same ops users every day) is normal, so only clusters smaller than
        // 0.2% of the training windows count as anomalous (an entity seen on one day of a week, for a daily view).
        return new AnomalyConfig(7, 7, "kmeans", 99.0, 0.002, 200_000, List.of(
                new View("host_10m", List.of("host"), "10 minutes"),
                new View("service_1h", List.of("service"), "1 hour"),
                new View("user_1d", List.of("user"), "1 day")));
    }
}
