package io.nightshift.models.templates;

import static org.apache.spark.sql.functions.asc;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns log templates from a column of raw log messages, with one setting for every source ({@link TemplateLearner}
 * describes the method).
 *
 * <p>{@code fit} validates the schema, masks every message on the executors ({@link ParameterMasker}), optionally
 * samples ({@code sampleFraction}), de-duplicates the masked texts with their counts and collects at most
 * {@code maxTrainingMessages} of them, most frequent first, to the driver, where the templates are learned.
 * De-duplication keeps that bounded: a day of logs has millions of lines but usually a few thousand distinct masked
 * texts. The result does not depend on the order of the rows.
 *
 * <pre>{@code
 * TemplateMinerModel model = new TemplateMiner().setInputCol("message").fit(logs);
 * Dataset<Row> labelled = model.transform(logs);   // + template_id, template, is_new_template
 * }</pre>
 */
public final class TemplateMiner extends Estimator<TemplateMinerModel>
        implements TemplateMinerParams, DefaultParamsWritable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TemplateMiner.class);
    private static final String MASKED = "masked";

    private final String uid;
    private final Declared declared;

    public TemplateMiner() {
        this(Identifiable$.MODULE$.randomUID("templateMiner"));
    }

    /** The constructor Spark's persistence and {@code copy} use. */
    public TemplateMiner(String uid) {
        this.uid = uid;
        this.declared = new Declared(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Declared declaredParams() {
        return declared;
    }

    public TemplateMiner setInputCol(String value) {
        set(inputCol(), value);
        return this;
    }

    public TemplateMiner setOutputCol(String value) {
        set(outputCol(), value);
        return this;
    }

    public TemplateMiner setTemplateCol(String value) {
        set(templateCol(), value);
        return this;
    }

    public TemplateMiner setIsNewCol(String value) {
        set(isNewCol(), value);
        return this;
    }

    public TemplateMiner setMinVariableValues(int value) {
        set(minVariableValues(), value);
        return this;
    }

    public TemplateMiner setSampleFraction(double value) {
        set(sampleFraction(), value);
        return this;
    }

    public TemplateMiner setMaxTrainingMessages(int value) {
        set(maxTrainingMessages(), value);
        return this;
    }

    public TemplateMiner setExtraMaskPatterns(String... value) {
        set(extraMaskPatterns(), value.clone());
        return this;
    }

    public TemplateMiner setBuiltInMasks(boolean value) {
        set(builtInMasks(), value);
        return this;
    }

    public TemplateMiner setSeed(long value) {
        set(seed(), value);
        return this;
    }

    @Override
    public TemplateMinerModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        List<Row> distinct = boundedDistinctMasked(dataset);
        List<TemplateLearner.MaskedMessage> messages = new ArrayList<>(distinct.size());
        for (Row row : distinct) {
            messages.add(new TemplateLearner.MaskedMessage(MinedTemplate.tokenize(row.getString(0)), row.getLong(1)));
        }
        List<MinedTemplate> templates = new TemplateLearner(getMinVariableValues()).learn(messages);
        LOG.info("Learned {} templates from {} distinct masked messages", templates.size(), distinct.size());
        TemplateMinerModel model = new TemplateMinerModel(uid, templates);
        copyValues(model, ParamMap.empty());
        return model.setParent(this);
    }

    /** Distinct masked messages with their counts, most frequent first, at most {@code maxTrainingMessages}. */
    private List<Row> boundedDistinctMasked(Dataset<?> dataset) {
        ParameterMasker masker = masker();
        UserDefinedFunction mask = udf((UDF1<String, String>) masker::mask, DataTypes.StringType);
        Dataset<Row> messages = dataset.select(col(getInputCol()));
        if (getSampleFraction() < 1.0) {
            // Sample before masking: masking is the costly per-row step and only sampled rows need it.
            messages = messages.sample(false, getSampleFraction(), getSeed());
        }
        Dataset<Row> masked = messages.select(mask.apply(col(getInputCol())).as(MASKED))
                .where(col(MASKED).isNotNull());
        int cap = getMaxTrainingMessages();
        List<Row> rows = masked.groupBy(MASKED).count()
                .orderBy(desc("count"), asc(MASKED))
                .limit(cap + 1)
                .collectAsList();
        if (rows.size() > cap) {
            LOG.warn("More than {} distinct masked messages to fit on; keeping the {} most frequent. Rare templates"
                    + " may be missed and show up as new: raise maxTrainingMessages or lower sampleFraction.",
                    cap, cap);
            return rows.subList(0, cap);
        }
        return rows;
    }

    /**
     * Checks that the input column exists and is a string, and that the output columns are free; returns the schema
     * with the three output columns appended.
     *
     * @throws IllegalArgumentException naming the offending column and the columns found
     */
    @Override
    public StructType transformSchema(StructType schema) {
        return outputSchema(this, schema);
    }

    static StructType outputSchema(TemplateMinerParams params, StructType schema) {
        String input = params.getInputCol();
        List<String> found = Arrays.asList(schema.fieldNames());
        if (!found.contains(input)) {
            throw new IllegalArgumentException(String.format(
                    "Input column '%s' does not exist; columns found: %s. Set inputCol to the column holding the"
                            + " raw log message.", input, found));
        }
        StructField field = schema.apply(input);
        if (!field.dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException(String.format(
                    "Input column '%s' must be of type string but is %s; columns found: %s.",
                    input, field.dataType().simpleString(), found));
        }
        for (String output : List.of(params.getOutputCol(), params.getTemplateCol(), params.getIsNewCol())) {
            if (found.contains(output)) {
                throw new IllegalArgumentException(String.format(
                        "Output column '%s' already exists; columns found: %s. Choose another output column name.",
                        output, found));
            }
        }
        return schema
                .add(params.getOutputCol(), DataTypes.StringType, true)
                .add(params.getTemplateCol(), DataTypes.StringType, true)
                .add(params.getIsNewCol(), DataTypes.BooleanType, true);
    }

    @Override
    public TemplateMiner copy(ParamMap extra) {
        return (TemplateMiner) defaultCopy(extra);
    }

    /** Reader for a saved {@link TemplateMiner} (params only). */
    public static MLReader<TemplateMiner> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads a {@link TemplateMiner} saved with {@code write().save(path)}. */
    public static TemplateMiner load(String path) {
        return read().load(path);
    }
}
