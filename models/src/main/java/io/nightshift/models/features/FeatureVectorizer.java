package io.nightshift.models.features;

import java.io.Serializable;
import java.util.Map;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;

/**
 * Builds one window's feature vector from its template counts and numeric features: shipped to executors inside
 * the featurizer's UDFs, so it holds only the learned vocabulary and scaling.
 *
 * <p>Template dimension value: {@code log1p(count) * idf} (sublinear TF, as volume is a feature of its own).
 * Numeric dimensions follow, standardised. Templates outside the vocabulary are not dropped silently: their line
 * count is the {@code unknown_templates_log1p} feature.
 */
public final class FeatureVectorizer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TemplateVocabulary vocabulary;
    private final NumericFeatures scaling;

    public FeatureVectorizer(TemplateVocabulary vocabulary, NumericFeatures scaling) {
        this.vocabulary = vocabulary;
        this.scaling = scaling;
    }

    /** Number of log lines whose template id is not in the vocabulary. */
    public long unknownTemplateLines(Map<String, Long> templateCounts) {
        long unknown = 0;
        for (Map.Entry<String, Long> e : templateCounts.entrySet()) {
            if (vocabulary.indexOf(e.getKey()) < 0) {
                unknown += e.getValue();
            }
        }
        return unknown;
    }

    /** The vector: vocabulary-size template dimensions, then the scaled numeric ones. */
    public Vector vector(Map<String, Long> templateCounts, double[] rawNumeric) {
        int v = vocabulary.size();
        int[] present = templateCounts.entrySet().stream()
                .filter(e -> e.getValue() != null && e.getValue() > 0)
                .mapToInt(e -> vocabulary.indexOf(e.getKey()))
                .filter(i -> i >= 0)
                .sorted()
                .toArray();
        double[] numeric = scaling.scale(rawNumeric);
        int[] indices = new int[present.length + numeric.length];
        double[] values = new double[indices.length];
        for (int j = 0; j < present.length; j++) {
            indices[j] = present[j];
            values[j] = Math.log1p(templateCounts.get(vocabulary.templateId(present[j]))) * vocabulary.idf(present[j]);
        }
        for (int j = 0; j < numeric.length; j++) {
            indices[present.length + j] = v + j;
            values[present.length + j] = numeric[j];
        }
        return Vectors.sparse(v + numeric.length, indices, values).compressed();
    }
}
