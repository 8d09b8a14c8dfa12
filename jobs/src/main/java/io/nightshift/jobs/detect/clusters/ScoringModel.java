package io.nightshift.jobs.detect.clusters;

/** The log-anomaly model a night scores with, and its registry version (recorded on every score it gives). */
public record ScoringModel(LogAnomalyModel model, int version) {
}
