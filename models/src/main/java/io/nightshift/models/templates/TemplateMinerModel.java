package io.nightshift.models.templates;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import scala.Option;

/**
 * The templates learned by {@link TemplateMiner}, applied to new log messages.
 *
 * <p>{@code transform} appends three columns and changes nothing else:
 * <ul>
 *   <li>{@code outputCol} (default {@code template_id}, string): {@link MinedTemplate#idOf} of the template text,
 *   stable across fits;</li>
 *   <li>{@code templateCol} (default {@code template}, string): the template text;</li>
 *   <li>{@code isNewCol} (default {@code is_new_template}, boolean): true when the message matched no learned
 *   template; its template is then its own masked text, so its id is deterministic.</li>
 * </ul>
 * All three are null when the message is null. The work runs on the executors in one UDF over a broadcast
 * {@link TemplateAssigner}; nothing is collected to the driver.
 *
 * <p>Persistence follows MLlib: params as JSON metadata ({@code DefaultParamsWriter}), templates as Parquet under
 * {@code data/} with columns {@code template_id, template, count, token_count}.
 */
public final class TemplateMinerModel extends Model<TemplateMinerModel>
        implements TemplateMinerParams, MLWritable {

    private static final long serialVersionUID = 1L;

    /** Schema of {@link #templates()} and of the persisted template data. */
    public static final StructType TEMPLATES_SCHEMA = new StructType()
            .add("template_id", DataTypes.StringType, false)
            .add("template", DataTypes.StringType, false)
            .add("count", DataTypes.LongType, false)
            .add("token_count", DataTypes.IntegerType, false);

    /** The param every model of the current format has saved; models saved before it are refused by name. */
    private static final String MIN_VARIABLE_VALUES = "minVariableValues";

    private static final StructType ASSIGNMENT_TYPE = new StructType()
            .add("template_id", DataTypes.StringType, true)
            .add("template", DataTypes.StringType, true)
            .add("is_new", DataTypes.BooleanType, true);

    private final String uid;
    private final Declared declared;
    private final List<MinedTemplate> templates;

    /** Created by {@link TemplateMiner#fit} or the reader; {@code templates} is copied. */
    TemplateMinerModel(String uid, List<MinedTemplate> templates) {
        this.uid = uid;
        this.declared = new Declared(this);
        this.templates = List.copyOf(templates);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Declared declaredParams() {
        return declared;
    }

    public TemplateMinerModel setInputCol(String value) {
        set(inputCol(), value);
        return this;
    }

    public TemplateMinerModel setOutputCol(String value) {
        set(outputCol(), value);
        return this;
    }

    public TemplateMinerModel setTemplateCol(String value) {
        set(templateCol(), value);
        return this;
    }

    public TemplateMinerModel setIsNewCol(String value) {
        set(isNewCol(), value);
        return this;
    }

    /** The learned templates, most frequent first: the rows of a {@code log_templates} results table. */
    public List<MinedTemplate> templateList() {
        return templates;
    }

    /** {@link #templateList()} as a DataFrame with {@link #TEMPLATES_SCHEMA}, in the active SparkSession. */
    public Dataset<Row> templates() {
        return templatesFrame(SparkSession.active());
    }

    private Dataset<Row> templatesFrame(SparkSession spark) {
        List<Row> rows = new ArrayList<>(templates.size());
        for (MinedTemplate t : templates) {
            rows.add(RowFactory.create(t.templateId(), t.template(), t.count(), t.tokenCount()));
        }
        return spark.createDataFrame(rows, TEMPLATES_SCHEMA);
    }

    /** The per-message logic this model's current params describe. */
    public TemplateAssigner assigner() {
        return new TemplateAssigner(masker(), templates);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        Broadcast<TemplateAssigner> assigner = JavaSparkContext
                .fromSparkContext(dataset.sparkSession().sparkContext())
                .broadcast(assigner());
        UDF1<String, Row> assign = message -> {
            TemplateAssigner.Assignment a = assigner.value().assign(message);
            return a == null ? null : RowFactory.create(a.templateId(), a.template(), a.isNew());
        };
        // Marked non-deterministic so the optimizer cannot inline the UDF into each of the three field accesses
        // below, which would run the whole assignment three times per row.
        Column assignment = udf(assign, ASSIGNMENT_TYPE).asNondeterministic().apply(col(getInputCol()));
        String struct = "__" + uid + "_assignment";
        return dataset.withColumn(struct, assignment)
                .withColumn(getOutputCol(), col(struct).getField("template_id"))
                .withColumn(getTemplateCol(), col(struct).getField("template"))
                .withColumn(getIsNewCol(), col(struct).getField("is_new"))
                .drop(struct);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return TemplateMiner.outputSchema(this, schema);
    }

    @Override
    public TemplateMinerModel copy(ParamMap extra) {
        TemplateMinerModel copy = new TemplateMinerModel(uid, templates);
        copyValues(copy, extra);
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** Reader for a saved {@link TemplateMinerModel}. */
    public static MLReader<TemplateMinerModel> read() {
        return new Reader();
    }

    /** Loads a model saved with {@code write().save(path)}. */
    public static TemplateMinerModel load(String path) {
        return read().load(path);
    }

    private static String dataPath(String path) {
        return new Path(path, "data").toString();
    }

    /** Saves params as metadata JSON and the templates as one Parquet file. */
    private static final class Writer extends MLWriter {
        private final TemplateMinerModel instance;

        Writer(TemplateMinerModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(instance, path, sparkSession());
            instance.templatesFrame(sparkSession()).repartition(1).write().parquet(dataPath(path));
        }
    }

    /**
     * Restores a model written by {@link Writer}, checking that the path holds one of this format: a model of the
     * Drain-based miner that came before is refused with a message that says to fit a new one.
     */
    private static final class Reader extends MLReader<TemplateMinerModel> {
        @Override
        public TemplateMinerModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(
                    path, sparkSession(), TemplateMinerModel.class.getName());
            if (!metadata.metadataJson().contains("\"" + MIN_VARIABLE_VALUES + "\"")) {
                throw new IllegalArgumentException(String.format("The template model at %s was saved by the earlier,"
                        + " Drain-based template miner (params similarityThreshold, depth, maxChildren): its templates"
                        + " were masked and grouped differently, and this version would match few messages to them."
                        + " Fit a new model (in Nightshift: scripts/nightshift train --date <D>).", path));
            }
            List<MinedTemplate> templates = new ArrayList<>();
            for (Row row : sparkSession().read().schema(TEMPLATES_SCHEMA).parquet(dataPath(path))
                    .orderBy(col("count").desc(), col("template")).collectAsList()) {
                templates.add(new MinedTemplate(row.getString(0), row.getString(1), row.getLong(2), row.getInt(3)));
            }
            TemplateMinerModel model = new TemplateMinerModel(metadata.uid(), templates);
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }
    }
}
