package io.nightshift.models.templates;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * The params shared by {@link TemplateMiner} and {@link TemplateMinerModel}, declared once (MLlib's
 * {@code KMeansParams} pattern): each with its doc string, validator and default.
 *
 * <p>Java interfaces cannot hold per-instance fields, so the {@link Param} objects live in a {@link Declared} holder
 * that each implementing class creates with itself as parent; the default methods here expose them under the names
 * Spark's reflection ({@code Params.params}) and persistence expect.
 */
public interface TemplateMinerParams extends Params {

    /** The param objects of one owner; created once in the owner's constructor. */
    Declared declaredParams();

    default Param<String> inputCol() {
        return declaredParams().inputCol;
    }

    default Param<String> outputCol() {
        return declaredParams().outputCol;
    }

    default Param<String> templateCol() {
        return declaredParams().templateCol;
    }

    default Param<String> isNewCol() {
        return declaredParams().isNewCol;
    }

    default IntParam minVariableValues() {
        return declaredParams().minVariableValues;
    }

    default DoubleParam sampleFraction() {
        return declaredParams().sampleFraction;
    }

    default IntParam maxTrainingMessages() {
        return declaredParams().maxTrainingMessages;
    }

    default StringArrayParam extraMaskPatterns() {
        return declaredParams().extraMaskPatterns;
    }

    default BooleanParam builtInMasks() {
        return declaredParams().builtInMasks;
    }

    default LongParam seed() {
        return declaredParams().seed;
    }

    default String getInputCol() {
        return getOrDefault(inputCol());
    }

    default String getOutputCol() {
        return getOrDefault(outputCol());
    }

    default String getTemplateCol() {
        return getOrDefault(templateCol());
    }

    default String getIsNewCol() {
        return getOrDefault(isNewCol());
    }

    default int getMinVariableValues() {
        return (Integer) getOrDefault(minVariableValues());
    }

    default double getSampleFraction() {
        return (Double) getOrDefault(sampleFraction());
    }

    default int getMaxTrainingMessages() {
        return (Integer) getOrDefault(maxTrainingMessages());
    }

    default String[] getExtraMaskPatterns() {
        return getOrDefault(extraMaskPatterns());
    }

    default boolean getBuiltInMasks() {
        return (Boolean) getOrDefault(builtInMasks());
    }

    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    /** The masker these params describe; patterns are compiled here, once per call, never per row. */
    default ParameterMasker masker() {
        return new ParameterMasker(Arrays.asList(getExtraMaskPatterns()), getBuiltInMasks());
    }

    /** The param objects and their defaults, owned by one {@link TemplateMinerParams} instance. */
    final class Declared {
        final Param<String> inputCol;
        final Param<String> outputCol;
        final Param<String> templateCol;
        final Param<String> isNewCol;
        final IntParam minVariableValues;
        final DoubleParam sampleFraction;
        final IntParam maxTrainingMessages;
        final StringArrayParam extraMaskPatterns;
        final BooleanParam builtInMasks;
        final LongParam seed;

        /** Declares the params with {@code owner} as parent and sets their defaults on it. */
        public Declared(TemplateMinerParams owner) {
            inputCol = new Param<>(owner, "inputCol",
                    "Input column of raw log messages (string); null messages get null outputs.",
                    Declared::nonBlank);
            outputCol = new Param<>(owner, "outputCol",
                    "Output column of template ids: 16 hex chars of the SHA-256 of the template text, stable across fits.",
                    Declared::nonBlank);
            templateCol = new Param<>(owner, "templateCol",
                    "Output column of template texts, variable tokens shown as <*>.", Declared::nonBlank);
            isNewCol = new Param<>(owner, "isNewCol",
                    "Output boolean column, true when a message matched no learned template.", Declared::nonBlank);
            minVariableValues = new IntParam(owner, "minVariableValues",
                    "Distinct values (>= 2) at which a token position, among messages that share their other"
                            + " words, is a variable; fewer values are constants that tell templates apart. The first"
                            + " position needs twice as many. Higher gives more, finer templates.",
                    ParamValidators.gtEq(2));
            sampleFraction = new DoubleParam(owner, "sampleFraction",
                    "Fraction of the input rows sampled (without replacement) for fitting, in (0, 1].",
                    ParamValidators.inRange(0.0, 1.0, false, true));
            maxTrainingMessages = new IntParam(owner, "maxTrainingMessages",
                    "Maximum distinct masked messages collected to the driver for fitting (> 0); when there are more,"
                            + " the most frequent are kept and a warning is logged.",
                    ParamValidators.gt(0));
            extraMaskPatterns = new StringArrayParam(owner, "extraMaskPatterns",
                    "Extra Java regular expressions whose matches are replaced by <*> before the built-in masks, e.g."
                            + " per-system patterns; each must compile.",
                    Declared::allCompile);
            builtInMasks = new BooleanParam(owner, "builtInMasks",
                    "Whether to mask the built-in parameter kinds (timestamps, URLs, e-mails, UUIDs, IPs, paths,"
                            + " block ids, hex ids, durations, numbers; then month and weekday names, booleans,"
                            + " key=value values, host names, digit-heavy ids, empty fields, account names, units)"
                            + " after the extra patterns.");
            seed = new LongParam(owner, "seed", "Random seed for sampling the fitting input.");

            owner.setDefault(inputCol, "message");
            owner.setDefault(outputCol, "template_id");
            owner.setDefault(templateCol, "template");
            owner.setDefault(isNewCol, "is_new_template");
            owner.setDefault(minVariableValues, 5);
            owner.setDefault(sampleFraction, 1.0);
            owner.setDefault(maxTrainingMessages, 100_000);
            owner.setDefault(extraMaskPatterns, new String[0]);
            owner.setDefault(builtInMasks, true);
            owner.setDefault(seed, (long) TemplateMiner.class.getName().hashCode());
        }

        private static Boolean nonBlank(String value) {
            return value != null && !value.isBlank();
        }

        private static Boolean allCompile(String[] patterns) {
            return List.of(patterns).stream().allMatch(Declared::compiles);
        }

        private static boolean compiles(String regex) {
            try {
                Pattern.compile(regex);
                return true;
            } catch (PatternSyntaxException e) {
                return false;
            }
        }
    }
}
