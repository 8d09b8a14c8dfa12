package io.nightshift.models.anomaly;

import java.io.Serializable;

import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.distribution.MultivariateGaussian;

/**
 * The learned clusters as plain arrays, independent of which MLlib model produced them, so scoring, persistence
 * and explanations treat all algorithms alike.
 *
 * <p>Assignment: for k-means and bisecting k-means, the nearest centre (Euclidean) — for bisecting k-means this is
 * deliberately the nearest leaf, not MLlib's tree descent, so that "distance to the assigned centre" is always the
 * smallest such distance. For GMM, the component with the highest posterior {@code log w_i + log N(x; mu_i, S_i)};
 * its mean is the centre. Distance is always Euclidean to the assigned centre, which keeps scores comparable
 * across algorithms and lets explanations split the distance per dimension.
 */
public final class ClusterGeometry implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ClusteringAlgorithm algorithm;
    private final double[][] centres;
    private final double[] centreNorms;
    private final double[] weights;
    private final Matrix[] covariances;
    private final MultivariateGaussian[] gaussians;

    private ClusterGeometry(ClusteringAlgorithm algorithm, Vector[] centres, double[] weights, Matrix[] covariances) {
        this.algorithm = algorithm;
        this.centres = new double[centres.length][];
        this.centreNorms = new double[centres.length];
        for (int i = 0; i < centres.length; i++) {
            this.centres[i] = centres[i].toArray();
            double norm = 0;
            for (double v : this.centres[i]) {
                norm += v * v;
            }
            this.centreNorms[i] = norm;
        }
        this.weights = weights;
        this.covariances = covariances;
        if (covariances != null) {
            gaussians = new MultivariateGaussian[centres.length];
            for (int i = 0; i < centres.length; i++) {
                gaussians[i] = new MultivariateGaussian(centres[i], covariances[i]);
            }
        } else {
            gaussians = null;
        }
    }

    public static ClusterGeometry centroids(ClusteringAlgorithm algorithm, Vector[] centres) {
        return new ClusterGeometry(algorithm, centres, null, null);
    }

    public static ClusterGeometry mixture(Vector[] means, double[] weights, Matrix[] covariances) {
        return new ClusterGeometry(ClusteringAlgorithm.GMM, means, weights, covariances);
    }

    public ClusteringAlgorithm algorithm() {
        return algorithm;
    }

    public int numClusters() {
        return centres.length;
    }

    public int dimension() {
        return centres[0].length;
    }

    public double[] centre(int cluster) {
        return centres[cluster];
    }

    /** Mixture weight of a GMM component; 1/k for centroid algorithms. */
    public double weight(int cluster) {
        return weights == null ? 1.0 / centres.length : weights[cluster];
    }

    /** Covariance of a GMM component; null for centroid algorithms. */
    public Matrix covariance(int cluster) {
        return covariances == null ? null : covariances[cluster];
    }

    /** @throws IllegalArgumentException when {@code x} has another dimension than the centres */
    public int assign(Vector x) {
        if (x.size() != dimension()) {
            throw new IllegalArgumentException("Feature vector has " + x.size() + " dimensions but the model's"
                    + " clusters have " + dimension() + "; score with the featurizer the model was trained with");
        }
        if (gaussians != null) {
            int best = -1;
            double bestLog = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < gaussians.length; i++) {
                double log = Math.log(weights[i]) + gaussians[i].logpdf(x);
                if (log > bestLog) {
                    bestLog = log;
                    best = i;
                }
            }
            if (best >= 0) {
                return best;
            }
        }
        return nearestCentre(x, new boolean[centres.length]);
    }

    /** The nearest centre among clusters not excluded; -1 when every cluster is excluded. */
    public int nearestCentre(Vector x, boolean[] excluded) {
        double xNorm = 0;
        double[] xv = x.toArray();
        for (double v : xv) {
            xNorm += v * v;
        }
        int best = -1;
        double bestDist = Double.POSITIVE_INFINITY;
        for (int i = 0; i < centres.length; i++) {
            if (excluded[i]) {
                continue;
            }
            double dot = 0;
            double[] c = centres[i];
            for (int j = 0; j < c.length; j++) {
                dot += xv[j] * c[j];
            }
            double d = xNorm - 2 * dot + centreNorms[i];
            if (d < bestDist) {
                bestDist = d;
                best = i;
            }
        }
        return best;
    }

    /** Euclidean distance from {@code x} to the centre of {@code cluster}, computed directly (no cancellation). */
    public double distance(Vector x, int cluster) {
        double[] c = centres[cluster];
        double sum = 0;
        for (int j = 0; j < c.length; j++) {
            double d = x.apply(j) - c[j];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}
