package io.nightshift.models.anomaly;

import java.util.Arrays;
import java.util.Locale;

import org.apache.spark.ml.clustering.BisectingKMeans;
import org.apache.spark.ml.clustering.BisectingKMeansModel;
import org.apache.spark.ml.clustering.GaussianMixture;
import org.apache.spark.ml.clustering.GaussianMixtureModel;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The MLlib clustering algorithms the detector can use, each reduced to a {@link ClusterGeometry}.
 *
 * <p>GMM fits a full covariance per component (cost grows with the square of the dimension), so it suits small
 * vocabularies (tens of templates); k-means and bisecting k-means scale to thousands of dimensions.
 */
public enum ClusteringAlgorithm {
    KMEANS("kmeans"),
    BISECTING_KMEANS("bisecting_kmeans"),
    GMM("gmm");

    private final String paramName;

    ClusteringAlgorithm(String paramName) {
        this.paramName = paramName;
    }

    public String paramName() {
        return paramName;
    }

    static String[] names() {
        return Arrays.stream(values()).map(ClusteringAlgorithm::paramName).toArray(String[]::new);
    }

    /** @throws IllegalArgumentException naming the value and the accepted ones */
    public static ClusteringAlgorithm fromName(String name) {
        for (ClusteringAlgorithm a : values()) {
            if (a.paramName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("Cannot set algorithm to '" + name + "': use one of "
                + Arrays.toString(names()));
    }

    /** Fits {@code k} clusters on {@code data[featuresCol]}; the result may hold fewer if the data cannot split. */
    public ClusterGeometry fit(Dataset<Row> data, String featuresCol, int k, long seed, int maxIter) {
        switch (this) {
            case KMEANS: {
                KMeansModel m = new KMeans().setK(k).setSeed(seed).setMaxIter(maxIter).setFeaturesCol(featuresCol)
                        .fit(data);
                return ClusterGeometry.centroids(this, m.clusterCenters());
            }
            case BISECTING_KMEANS: {
                BisectingKMeansModel m = new BisectingKMeans().setK(k).setSeed(seed).setMaxIter(maxIter)
                        .setFeaturesCol(featuresCol).fit(data);
                return ClusterGeometry.centroids(this, m.clusterCenters());
            }
            case GMM: {
                GaussianMixtureModel m = new GaussianMixture().setK(k).setSeed(seed).setMaxIter(maxIter)
                        .setFeaturesCol(featuresCol).fit(data);
                Vector[] means = new Vector[m.getK()];
                Matrix[] covs = new Matrix[m.getK()];
                for (int i = 0; i < means.length; i++) {
                    means[i] = m.gaussians()[i].mean();
                    covs[i] = m.gaussians()[i].cov();
                }
                return ClusterGeometry.mixture(means, m.weights(), covs);
            }
            default:
                throw new IllegalStateException("Unhandled algorithm " + this);
        }
    }
}
