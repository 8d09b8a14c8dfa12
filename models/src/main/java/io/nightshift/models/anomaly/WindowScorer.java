package io.nightshift.models.anomaly;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Scores one window on an executor: assign a cluster, measure the distance, add the small-cluster penalty,
 * calibrate, explain. Holds only model-sized state and is broadcast once per {@code transform}.
 *
 * <p>Small-cluster penalty: a member of a small cluster gets the largest normal training distance added before
 * calibration, so it ranks beyond every window of a well-populated cluster (score above
 * {@link ScoreCalibration#MAX_TRAINING_SCORE}) — a handful of windows that only resemble each other is itself
 * unusual, even when they sit close to their own centre.
 *
 * <p>Explanations compare a window with its own cluster, except for members of a small cluster: those are
 * compared with the nearest well-populated cluster, because "what differs from normal" is the useful answer (a
 * singleton cluster's only member is at distance 0 from its own centre and would explain nothing).
 */
public final class WindowScorer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ClusterGeometry geometry;
    private final boolean[] smallClusters;
    private final ScoreCalibration calibration;
    private final DistanceExplainer explainer;

    public WindowScorer(ClusterGeometry geometry, boolean[] smallClusters, ScoreCalibration calibration,
                        DistanceExplainer explainer) {
        this.geometry = geometry;
        this.smallClusters = smallClusters.clone();
        this.calibration = calibration;
        this.explainer = explainer;
    }

    public int cluster(Vector features) {
        return geometry.assign(features);
    }

    public double distance(Vector features, int cluster) {
        return geometry.distance(features, cluster);
    }

    /** Distance plus the small-cluster penalty; what the calibration ranks. */
    public double penalisedDistance(int cluster, double distance) {
        return smallClusters[cluster] ? distance + calibration.maxDistance() : distance;
    }

    public double score(int cluster, double distance) {
        return calibration.score(penalisedDistance(cluster, distance));
    }

    public List<Row> explain(Vector features, int cluster, Map<String, Long> templateCounts) {
        int reference = smallClusters[cluster] ? geometry.nearestCentre(features, smallClusters) : cluster;
        if (reference < 0) {
            reference = cluster;
        }
        return explainer.explain(features, geometry.centre(reference), reference, templateCounts);
    }
}
