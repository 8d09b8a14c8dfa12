package io.nightshift.models.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF6;
import org.apache.spark.sql.api.java.UDF7;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;

import scala.jdk.javaapi.CollectionConverters;

/**
 * Turns templated log rows into feature rows, one per entity (or session) and window.
 *
 * <p>Output columns, in order: {@code entity_type, entity, window_start, window_end, line_count, error_count,
 * error_share, new_template_count, distinct_templates, distinct_users, unknown_template_count, template_counts}
 * (map&lt;string,long&gt;, raw counts for explanations) and {@code featuresCol} (vector: TF-IDF template dimensions,
 * then the standardised numeric features; see {@link FeatureVectorizer}). The features column carries its
 * {@link FeatureSchema} as metadata. {@code transform} only appends computed columns to an aggregation of its input;
 * everything runs on executors, with the learned state broadcast.
 */
public class WindowFeaturizerModel extends Model<WindowFeaturizerModel> implements FeatureParams, MLWritable {
    private static final long serialVersionUID = 1L;

    public static final String ERROR_SHARE = "error_share";
    public static final String UNKNOWN_TEMPLATE_COUNT = "unknown_template_count";

    private final String uid;
    private final Declarations params;
    private final TemplateVocabulary vocabulary;
    private final NumericFeatures scaling;
    private final long trainingWindowCount;

    WindowFeaturizerModel(String uid, TemplateVocabulary vocabulary, NumericFeatures scaling,
                          long trainingWindowCount) {
        this.uid = uid;
        this.params = new Declarations(this);
        params.setDefaults(this);
        this.vocabulary = vocabulary;
        this.scaling = scaling;
        this.trainingWindowCount = trainingWindowCount;
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Declarations declarations() {
        return params;
    }

    /** Output column name only; the windowing and vocabulary are fixed by fit. */
    public WindowFeaturizerModel setFeaturesCol(String value) {
        set(featuresCol(), value);
        return this;
    }

    public TemplateVocabulary vocabulary() {
        return vocabulary;
    }

    public NumericFeatures numericScaling() {
        return scaling;
    }

    public long trainingWindowCount() {
        return trainingWindowCount;
    }

    /** What each feature dimension means, for this model's window definition and vocabulary. */
    public FeatureSchema featureSchema() {
        return FeatureSchema.of(windowDefinition(), vocabulary);
    }

    public String featureSchemaFingerprint() {
        return featureSchema().fingerprint();
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        SparkSession spark = dataset.sparkSession();
        Broadcast<FeatureVectorizer> vectorizer = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(new FeatureVectorizer(vocabulary, scaling));
        Dataset<Row> windows = withUnknownCount(WindowAggregator.aggregate(dataset, windowDefinition()), vectorizer);

        UDF7<scala.collection.Map<String, Object>, Long, Long, Long, Long, Long, Long, Vector> features =
                (counts, lines, errors, distinct, users, news, unknown) -> vectorizer.value().vector(
                        javaCounts(counts), NumericFeatures.raw(lines, errors, distinct, users, news, unknown));
        Metadata metadata = featureSchema().toMetadata(getFeaturesCol());
        return windows.select(
                col(WindowAggregator.ENTITY_TYPE), col(WindowAggregator.ENTITY),
                col(WindowAggregator.WINDOW_START), col(WindowAggregator.WINDOW_END),
                col(WindowAggregator.LINE_COUNT), col(WindowAggregator.ERROR_COUNT),
                when(col(WindowAggregator.LINE_COUNT).gt(0),
                        col(WindowAggregator.ERROR_COUNT).divide(col(WindowAggregator.LINE_COUNT)))
                        .otherwise(0.0).as(ERROR_SHARE),
                col(WindowAggregator.NEW_TEMPLATE_COUNT), col(WindowAggregator.DISTINCT_TEMPLATES),
                col(WindowAggregator.DISTINCT_USERS), col(UNKNOWN_TEMPLATE_COUNT),
                col(WindowAggregator.TEMPLATE_COUNTS),
                udf(features, SQLDataTypes.VectorType()).apply(
                        col(WindowAggregator.TEMPLATE_COUNTS), col(WindowAggregator.LINE_COUNT),
                        col(WindowAggregator.ERROR_COUNT), col(WindowAggregator.DISTINCT_TEMPLATES),
                        col(WindowAggregator.DISTINCT_USERS), col(WindowAggregator.NEW_TEMPLATE_COUNT),
                        col(UNKNOWN_TEMPLATE_COUNT))
                        .as(getFeaturesCol(), metadata));
    }

    /** Appends {@code unknown_template_count}: lines whose template is outside the vocabulary. */
    private static Dataset<Row> withUnknownCount(Dataset<Row> windows, Broadcast<FeatureVectorizer> vectorizer) {
        UDF1<scala.collection.Map<String, Object>, Long> unknown =
                counts -> vectorizer.value().unknownTemplateLines(javaCounts(counts));
        return windows.withColumn(UNKNOWN_TEMPLATE_COUNT,
                udf(unknown, DataTypes.LongType).apply(col(WindowAggregator.TEMPLATE_COUNTS)));
    }

    /** Appends {@code _raw}, the unscaled numeric features as array&lt;double&gt;; used by fit for scaling stats. */
    static Dataset<Row> withRawNumeric(Dataset<Row> windows, FeatureVectorizer vectorizer) {
        Broadcast<FeatureVectorizer> b = JavaSparkContext.fromSparkContext(windows.sparkSession().sparkContext())
                .broadcast(vectorizer);
        UDF6<Long, Long, Long, Long, Long, Long, double[]> raw = NumericFeatures::raw;
        return withUnknownCount(windows, b).withColumn("_raw",
                udf(raw, DataTypes.createArrayType(DataTypes.DoubleType, false)).apply(
                        col(WindowAggregator.LINE_COUNT), col(WindowAggregator.ERROR_COUNT),
                        col(WindowAggregator.DISTINCT_TEMPLATES), col(WindowAggregator.DISTINCT_USERS),
                        col(WindowAggregator.NEW_TEMPLATE_COUNT), col(UNKNOWN_TEMPLATE_COUNT)));
    }

    static Map<String, Long> javaCounts(scala.collection.Map<String, Object> counts) {
        Map<String, Long> out = new HashMap<>();
        if (counts != null) {
            CollectionConverters.asJava(counts).forEach((k, v) -> out.put(k, ((Number) v).longValue()));
        }
        return out;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        WindowAggregator.validateInput(schema, windowDefinition());
        return outputSchema(getFeaturesCol());
    }

    static StructType outputSchema(String featuresCol) {
        return new StructType()
                .add(WindowAggregator.ENTITY_TYPE, DataTypes.StringType, false)
                .add(WindowAggregator.ENTITY, DataTypes.StringType, false)
                .add(WindowAggregator.WINDOW_START, DataTypes.TimestampType, true)
                .add(WindowAggregator.WINDOW_END, DataTypes.TimestampType, true)
                .add(WindowAggregator.LINE_COUNT, DataTypes.LongType, true)
                .add(WindowAggregator.ERROR_COUNT, DataTypes.LongType, true)
                .add(ERROR_SHARE, DataTypes.DoubleType, true)
                .add(WindowAggregator.NEW_TEMPLATE_COUNT, DataTypes.LongType, true)
                .add(WindowAggregator.DISTINCT_TEMPLATES, DataTypes.LongType, false)
                .add(WindowAggregator.DISTINCT_USERS, DataTypes.LongType, true)
                .add(UNKNOWN_TEMPLATE_COUNT, DataTypes.LongType, true)
                .add(WindowAggregator.TEMPLATE_COUNTS,
                        DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false), true)
                .add(featuresCol, SQLDataTypes.VectorType(), true);
    }

    @Override
    public WindowFeaturizerModel copy(ParamMap extra) {
        WindowFeaturizerModel copied = new WindowFeaturizerModel(uid, vocabulary, scaling, trainingWindowCount);
        return copyValues(copied, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<WindowFeaturizerModel> read() {
        return new Reader();
    }

    public static WindowFeaturizerModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "WindowFeaturizerModel: uid=" + uid + ", " + windowDefinition() + ", vocabulary=" + vocabulary.size()
                + " templates, fingerprint=" + featureSchemaFingerprint();
    }

    private static final StructType VOCABULARY_SCHEMA = new StructType()
            .add("index", DataTypes.IntegerType, false)
            .add("template_id", DataTypes.StringType, false)
            .add("doc_freq", DataTypes.LongType, false)
            .add("idf", DataTypes.DoubleType, false);
    private static final StructType SCALING_SCHEMA = new StructType()
            .add("index", DataTypes.IntegerType, false)
            .add("name", DataTypes.StringType, false)
            .add("mean", DataTypes.DoubleType, false)
            .add("std", DataTypes.DoubleType, false);
    private static final StructType SUMMARY_SCHEMA = new StructType()
            .add("training_windows", DataTypes.LongType, false);

    /** Params as metadata; vocabulary, numeric scaling and the training window count as Parquet. */
    static final class Writer extends MLWriter {
        private final WindowFeaturizerModel instance;

        Writer(WindowFeaturizerModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            SparkSession spark = sparkSession();
            StateTables.saveParams(instance, path, spark);
            TemplateVocabulary v = instance.vocabulary;
            List<Row> vocab = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                vocab.add(RowFactory.create(i, v.templateId(i), v.docFreq(i), v.idf(i)));
            }
            StateTables.write(spark, path, "vocabulary", VOCABULARY_SCHEMA, vocab);
            List<Row> scaling = new ArrayList<>();
            for (int i = 0; i < NumericFeatures.NAMES.size(); i++) {
                scaling.add(RowFactory.create(i, NumericFeatures.NAMES.get(i), instance.scaling.mean(i),
                        instance.scaling.std(i)));
            }
            StateTables.write(spark, path, "numeric_scaling", SCALING_SCHEMA, scaling);
            StateTables.write(spark, path, "summary", SUMMARY_SCHEMA,
                    List.of(RowFactory.create(instance.trainingWindowCount)));
        }
    }

    static final class Reader extends MLReader<WindowFeaturizerModel> {
        @Override
        public WindowFeaturizerModel load(String path) {
            SparkSession spark = sparkSession();
            List<Row> vocab = StateTables.read(spark, path, "vocabulary", "index");
            String[] ids = new String[vocab.size()];
            long[] dfs = new long[vocab.size()];
            double[] idf = new double[vocab.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = vocab.get(i).getString(1);
                dfs[i] = vocab.get(i).getLong(2);
                idf[i] = vocab.get(i).getDouble(3);
            }
            List<Row> scalingRows = StateTables.read(spark, path, "numeric_scaling", "index");
            List<String> savedNames = scalingRows.stream().map(r -> r.getString(1)).toList();
            if (!savedNames.equals(NumericFeatures.NAMES)) {
                throw new IllegalArgumentException("Featurizer model at " + path + " was saved with numeric features "
                        + savedNames + " but this version computes " + NumericFeatures.NAMES
                        + "; retrain the featurizer with this version");
            }
            double[] means = scalingRows.stream().mapToDouble(r -> r.getDouble(2)).toArray();
            double[] stds = scalingRows.stream().mapToDouble(r -> r.getDouble(3)).toArray();
            long windows = StateTables.read(spark, path, "summary", "training_windows").get(0).getLong(0);
            String uid = StateTables.uid(path, spark, WindowFeaturizerModel.class);
            WindowFeaturizerModel model = new WindowFeaturizerModel(uid, new TemplateVocabulary(ids, dfs, idf),
                    new NumericFeatures(means, stds), windows);
            return StateTables.loadParams(model, path, spark);
        }
    }
}
