package io.nightshift.models.features;

import java.io.Serializable;
import java.util.Optional;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * Params shared by {@link WindowFeaturizer} and {@link WindowFeaturizerModel}, declared once (the Java counterpart
 * of MLlib's {@code KMeansParams} trait).
 *
 * <p>Java interfaces cannot hold per-instance fields, so each implementing class holds one {@link Declarations}
 * instance created with itself as owner and returns it from {@link #declarations()}; the default methods here expose
 * every param through a public no-argument accessor, which is how MLlib's reflection ({@code Params.params}) finds,
 * copies and persists params.
 */
public interface FeatureParams extends Params {

    /** The param objects of this owner, created once in its constructor with itself as parent. */
    Declarations declarations();

    default StringArrayParam entityCols() {
        return declarations().entityCols;
    }

    default Param<String> windowDuration() {
        return declarations().windowDuration;
    }

    default Param<String> sessionKey() {
        return declarations().sessionKey;
    }

    default IntParam vocabSize() {
        return declarations().vocabSize;
    }

    default IntParam minDocFreq() {
        return declarations().minDocFreq;
    }

    default Param<String> timestampCol() {
        return declarations().timestampCol;
    }

    default Param<String> templateIdCol() {
        return declarations().templateIdCol;
    }

    default Param<String> featuresCol() {
        return declarations().featuresCol;
    }

    default String[] getEntityCols() {
        return getOrDefault(entityCols());
    }

    default String getWindowDuration() {
        return getOrDefault(windowDuration());
    }

    /** The attributes key that defines sessions, when windows are per session rather than per time window. */
    default Optional<String> getSessionKey() {
        if (!isDefined(sessionKey())) {
            return Optional.empty();
        }
        String key = getOrDefault(sessionKey());
        return key == null || key.isBlank() ? Optional.empty() : Optional.of(key);
    }

    default int getVocabSize() {
        return (Integer) getOrDefault(vocabSize());
    }

    default int getMinDocFreq() {
        return (Integer) getOrDefault(minDocFreq());
    }

    default String getTimestampCol() {
        return getOrDefault(timestampCol());
    }

    default String getTemplateIdCol() {
        return getOrDefault(templateIdCol());
    }

    default String getFeaturesCol() {
        return getOrDefault(featuresCol());
    }

    /** The window definition these params describe; validates the combination and names the bad value. */
    default WindowDefinition windowDefinition() {
        return getSessionKey()
                .map(key -> WindowDefinition.perSession(key, getTimestampCol(), getTemplateIdCol()))
                .orElseGet(() -> WindowDefinition.perTimeWindow(getEntityCols(), getWindowDuration(),
                        getTimestampCol(), getTemplateIdCol()));
    }

    /** The param objects of one owner, with their docs, validators and defaults. */
    final class Declarations implements Serializable {
        private static final long serialVersionUID = 1L;

        final StringArrayParam entityCols;
        final Param<String> windowDuration;
        final Param<String> sessionKey;
        final IntParam vocabSize;
        final IntParam minDocFreq;
        final Param<String> timestampCol;
        final Param<String> templateIdCol;
        final Param<String> featuresCol;

        Declarations(Params owner) {
            entityCols = new StringArrayParam(owner, "entityCols",
                    "Columns whose values identify the entity a window belongs to, e.g. [host] or [service, region]."
                            + " Ignored when sessionKey is set.");
            windowDuration = new Param<>(owner, "windowDuration",
                    "Tumbling window length as '<n> <unit>' with unit second, minute, hour, day or week,"
                            + " e.g. '10 minutes', '1 hour', '1 day'. Ignored when sessionKey is set.");
            sessionKey = new Param<>(owner, "sessionKey",
                    "Optional key of the attributes map (e.g. block_id, request_id). When set, there is one window"
                            + " per session value, spanning its first to last log line, instead of time windows.");
            vocabSize = new IntParam(owner, "vocabSize",
                    "Maximum number of template ids kept as count dimensions, the most frequent by document"
                            + " (window) frequency. Must be >= 1.", ParamValidators.gtEq(1));
            minDocFreq = new IntParam(owner, "minDocFreq",
                    "Minimum number of training windows a template id must appear in to become a dimension;"
                            + " rarer ones are counted as unknown templates. Must be >= 1.", ParamValidators.gtEq(1));
            timestampCol = new Param<>(owner, "timestampCol", "Event time column (timestamp).");
            templateIdCol = new Param<>(owner, "templateIdCol", "Template id column (string).");
            featuresCol = new Param<>(owner, "featuresCol", "Output column for the assembled feature vector.");
        }

        void setDefaults(Params owner) {
            owner.setDefault(entityCols, new String[] {"host"});
            owner.setDefault(windowDuration, "1 hour");
            owner.setDefault(vocabSize, 1000);
            owner.setDefault(minDocFreq, 1);
            owner.setDefault(timestampCol, "timestamp");
            owner.setDefault(templateIdCol, "template_id");
            owner.setDefault(featuresCol, "features");
        }
    }
}
