package io.nightshift.models.features;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.stddev_samp;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Learns how to turn templated log rows into one feature vector per entity (or session) and window.
 *
 * <p>{@code fit} aggregates the input into windows ({@link WindowAggregator}), learns the template vocabulary and
 * IDF weights ({@link TemplateVocabulary}) and the numeric feature scaling ({@link NumericFeatures}), all on the
 * cluster; the driver receives at most {@code vocabSize} vocabulary rows and one row of statistics.
 *
 * <p>For benchmark-style session data (HDFS: one session per {@code block_id}, labels per session) set
 * {@code sessionKey}: each session becomes a count vector over templates plus volume, error share and new/unknown
 * template counts, which is the representation the published PCA, LogCluster and Invariants Mining baselines use.
 *
 * <pre>{@code
 * WindowFeaturizerModel featurizer = new WindowFeaturizer()
 *     .setEntityCols("service").setWindowDuration("1 hour").setVocabSize(500)
 *     .fit(templatedLogs);
 * Dataset<Row> windows = featurizer.transform(templatedLogs);
 * }</pre>
 */
public class WindowFeaturizer extends Estimator<WindowFeaturizerModel> implements FeatureParams,
        DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Declarations params;

    public WindowFeaturizer() {
        this(Identifiable$.MODULE$.randomUID("windowFeaturizer"));
    }

    public WindowFeaturizer(String uid) {
        this.uid = uid;
        this.params = new Declarations(this);
        params.setDefaults(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Declarations declarations() {
        return params;
    }

    public WindowFeaturizer setEntityCols(String... value) {
        set(entityCols(), value);
        return this;
    }

    public WindowFeaturizer setWindowDuration(String value) {
        set(windowDuration(), value);
        return this;
    }

    public WindowFeaturizer setSessionKey(String value) {
        set(sessionKey(), value);
        return this;
    }

    public WindowFeaturizer setVocabSize(int value) {
        set(vocabSize(), value);
        return this;
    }

    public WindowFeaturizer setMinDocFreq(int value) {
        set(minDocFreq(), value);
        return this;
    }

    public WindowFeaturizer setTimestampCol(String value) {
        set(timestampCol(), value);
        return this;
    }

    public WindowFeaturizer setTemplateIdCol(String value) {
        set(templateIdCol(), value);
        return this;
    }

    public WindowFeaturizer setFeaturesCol(String value) {
        set(featuresCol(), value);
        return this;
    }

    @Override
    public WindowFeaturizerModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        WindowDefinition def = windowDefinition();
        Dataset<Row> windows = WindowAggregator.aggregate(dataset, def).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long windowCount = windows.count();
            if (windowCount == 0) {
                throw new IllegalArgumentException("Cannot fit " + def + " features: the input yields no windows"
                        + " (is it empty, or are all entity / session values null?)");
            }
            TemplateVocabulary vocabulary =
                    TemplateVocabulary.learn(windows, windowCount, getVocabSize(), getMinDocFreq());
            NumericFeatures scaling = learnScaling(windows, vocabulary);
            WindowFeaturizerModel model = new WindowFeaturizerModel(uid, vocabulary, scaling, windowCount);
            return copyValues(model, extractParamMap()).setParent(this);
        } finally {
            windows.unpersist();
        }
    }

    /** Mean and sample deviation of each raw numeric feature over the training windows, in one aggregation. */
    private static NumericFeatures learnScaling(Dataset<Row> windows, TemplateVocabulary vocabulary) {
        int n = NumericFeatures.NAMES.size();
        NumericFeatures identity = new NumericFeatures(new double[n], new double[n]);
        Dataset<Row> raw = WindowFeaturizerModel.withRawNumeric(windows, new FeatureVectorizer(vocabulary, identity));
        List<Column> aggs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            aggs.add(avg(col("_raw").getItem(i)));
            aggs.add(stddev_samp(col("_raw").getItem(i)));
        }
        Row stats = raw.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).head();
        double[] means = new double[n];
        double[] stds = new double[n];
        for (int i = 0; i < n; i++) {
            means[i] = stats.isNullAt(2 * i) ? 0.0 : stats.getDouble(2 * i);
            double std = stats.isNullAt(2 * i + 1) ? 0.0 : stats.getDouble(2 * i + 1);
            stds[i] = Double.isNaN(std) ? 0.0 : std;
        }
        return new NumericFeatures(means, stds);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        WindowAggregator.validateInput(schema, windowDefinition());
        return WindowFeaturizerModel.outputSchema(getFeaturesCol());
    }

    @Override
    public WindowFeaturizer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<WindowFeaturizer> read() {
        return new DefaultParamsReader<>();
    }

    public static WindowFeaturizer load(String path) {
        return read().load(path);
    }
}
