package io.nightshift.models.templates;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * The {@link TemplateMiner} settings an evaluation runs with: the defaults, or params given by name as
 * {@code key=value,...} ({@code minVariableValues=4,builtInMasks=false}). Keys are the miner's param names except the
 * column names; an unknown key or a value its param rejects is an error that names it. Immutable.
 */
final class EvaluationSettings {

    /** The column-name params: they choose where results go, not how templates are learned. */
    private static final List<String> COLUMNS = List.of("inputCol", "outputCol", "templateCol", "isNewCol");

    /** The keys {@link #parse} accepts. */
    static final List<String> KEYS = keys();

    private final Map<String, String> values;

    private EvaluationSettings(Map<String, String> values) {
        this.values = values;
    }

    static EvaluationSettings defaults() {
        return new EvaluationSettings(Map.of());
    }

    /**
     * Parses {@code key=value} pairs separated by commas; a comma not followed by {@code key=} belongs to the value
     * (a regular expression for {@code extraMaskPatterns}).
     *
     * @throws IllegalArgumentException naming an unknown key, or a value that does not parse or fails its param's check
     */
    static EvaluationSettings parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : text.split(",(?=\\w+=)")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Cannot read setting '" + pair + "': expected key=value with a key"
                        + " among " + KEYS);
            }
            values.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        List<String> unknown = values.keySet().stream().filter(k -> !KEYS.contains(k)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Cannot use settings " + unknown + ", they are not supported; supported"
                    + " settings: " + KEYS);
        }
        EvaluationSettings settings = new EvaluationSettings(Map.copyOf(values));
        settings.miner();
        return settings;
    }

    /** A new miner with these settings. */
    TemplateMiner miner() {
        TemplateMiner miner = new TemplateMiner();
        values.forEach((key, value) -> set(miner, key, value));
        return miner;
    }

    private static void set(TemplateMiner miner, String key, String value) {
        Param<?> param = miner.getParam(key);
        try {
            if (param instanceof IntParam p) {
                miner.set(p, Integer.parseInt(value));
            } else if (param instanceof LongParam p) {
                miner.set(p, Long.parseLong(value));
            } else if (param instanceof DoubleParam p) {
                miner.set(p, Double.parseDouble(value));
            } else if (param instanceof BooleanParam p) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new IllegalArgumentException("not true or false");
                }
                miner.set(p, Boolean.parseBoolean(value));
            } else if (param instanceof StringArrayParam p) {
                miner.set(p, value.isEmpty() ? new String[0] : new String[] {value});
            } else {
                throw new IllegalArgumentException("params of type " + param.getClass().getSimpleName()
                        + " cannot be set here");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.format("Cannot set %s to '%s': %s (%s)", key, value,
                    e.getMessage(), param.doc()), e);
        }
    }

    private static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (Param<?> param : new TemplateMiner().params()) {
            if (!COLUMNS.contains(param.name())) {
                keys.add(param.name());
            }
        }
        return List.copyOf(keys);
    }

    /** {@code defaults (minVariableValues=5, builtInMasks=true)}, or the given settings in their place. */
    @Override
    public String toString() {
        TemplateMiner miner = miner();
        String learning = "minVariableValues=" + miner.getMinVariableValues() + ", builtInMasks="
                + miner.getBuiltInMasks();
        return values.isEmpty() ? "defaults (" + learning + ")" : values + " (" + learning + ")";
    }
}
