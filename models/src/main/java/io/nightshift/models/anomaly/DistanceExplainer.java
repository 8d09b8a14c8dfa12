package io.nightshift.models.anomaly;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.nightshift.models.features.FeatureSchema;

/**
 * Says which templates make a window far from its cluster: the {@value #TOP_N} template dimensions with the
 * largest share of the squared distance {@code (x_i - c_i)^2 / |x - c|^2}.
 *
 * <p>Each entry carries the window's observed raw count and the cluster's expected count (the mean raw count of
 * that template over the cluster's training windows), so "T17: observed 40, expected 0.2" reads without knowing
 * the TF-IDF scaling. A template expected but missing shows with observed 0. Templates outside the vocabulary have
 * no dimension of their own; they share the {@code numeric:unknown_templates_log1p} dimension's contribution in
 * proportion to their counts, with expected 0, so a never-seen template is still named.
 */
public final class DistanceExplainer implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int TOP_N = 5;
    static final String UNKNOWN_DIMENSION = FeatureSchema.NUMERIC_PREFIX + "unknown_templates_log1p";

    /** Element type of the {@code top_templates} array. */
    public static final StructType ENTRY = new StructType()
            .add("template_id", DataTypes.StringType, false)
            .add("observed", DataTypes.DoubleType, false)
            .add("expected", DataTypes.DoubleType, false)
            .add("contribution", DataTypes.DoubleType, false);

    private final String[] templateByDimension;
    private final Map<String, Integer> dimensionByTemplate;
    private final int unknownDimension;
    private final Map<Integer, Map<String, Double>> expectedCounts;

    /**
     * @param schema         the feature dimensions; {@code template:} ones are explained
     * @param expectedCounts per cluster, the mean raw count of each vocabulary template
     */
    public DistanceExplainer(FeatureSchema schema, Map<Integer, Map<String, Double>> expectedCounts) {
        List<String> names = schema.names();
        templateByDimension = new String[names.size()];
        dimensionByTemplate = new HashMap<>();
        int unknown = -1;
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n.startsWith(FeatureSchema.TEMPLATE_PREFIX)) {
                templateByDimension[i] = n.substring(FeatureSchema.TEMPLATE_PREFIX.length());
                dimensionByTemplate.put(templateByDimension[i], i);
            } else if (n.equals(UNKNOWN_DIMENSION)) {
                unknown = i;
            }
        }
        this.unknownDimension = unknown;
        this.expectedCounts = expectedCounts;
    }

    /** Up to {@value #TOP_N} rows of {@link #ENTRY}, largest contribution first; empty when x is the centre. */
    public List<Row> explain(Vector x, double[] centre, int cluster, Map<String, Long> counts) {
        double total = 0;
        double[] sq = new double[centre.length];
        for (int j = 0; j < centre.length; j++) {
            double d = x.apply(j) - centre[j];
            sq[j] = d * d;
            total += sq[j];
        }
        if (total <= 0) {
            return List.of();
        }
        List<Object[]> candidates = new ArrayList<>();
        Map<String, Double> expected = expectedCounts.getOrDefault(cluster, Map.of());
        for (int j = 0; j < centre.length; j++) {
            if (templateByDimension[j] != null && sq[j] > 0) {
                String id = templateByDimension[j];
                candidates.add(new Object[] {id, counts.getOrDefault(id, 0L).doubleValue(),
                    expected.getOrDefault(id, 0.0), sq[j] / total});
            }
        }
        if (unknownDimension >= 0 && sq[unknownDimension] > 0) {
            long unknownLines = 0;
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                if (!dimensionByTemplate.containsKey(e.getKey())) {
                    unknownLines += e.getValue();
                }
            }
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                if (!dimensionByTemplate.containsKey(e.getKey()) && unknownLines > 0) {
                    double share = sq[unknownDimension] / total * e.getValue() / unknownLines;
                    candidates.add(new Object[] {e.getKey(), e.getValue().doubleValue(), 0.0, share});
                }
            }
        }
        candidates.sort((a, b) -> {
            int byContribution = Double.compare((Double) b[3], (Double) a[3]);
            return byContribution != 0 ? byContribution : ((String) a[0]).compareTo((String) b[0]);
        });
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < Math.min(TOP_N, candidates.size()); i++) {
            out.add(RowFactory.create(candidates.get(i)));
        }
        return out;
    }
}
