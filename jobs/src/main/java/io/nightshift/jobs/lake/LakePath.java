package io.nightshift.jobs.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * Where a canonical value is in a lake row, as {@code lake.columns} writes it: a top-level column
 * ({@code sourceIPAddress}) or a dotted path into one ({@code userIdentity.arn}). A column whose whole name is the
 * path (a flat lake with a column literally named {@code a.b}) wins over the path.
 *
 * <p>Each step of a path reads, by the type of what it steps into:
 * <ul>
 *   <li>a struct: its field of that exact name (Spark's nested field access, pruned by the Parquet reader; through an
 *       array of structs, the array of that field's values);</li>
 *   <li>a map: the value under that key (null where the row has no such key);</li>
 *   <li>a string: JSON text; the rest of the path is read with {@code get_json_object}, which parses each row's text
 *       without a schema (CloudTrail's {@code requestParameters} differs per API call, so there is no one schema to
 *       give {@code from_json}). The value is text: a JSON string as itself, a number or boolean as its JSON form
 *       ({@code 404}, {@code true}), an object or array as JSON text; null where the key is absent or the text is
 *       not JSON.</li>
 * </ul>
 * A struct field that does not exist, or a step into a number or boolean, is an error naming the path and the fields
 * that were found there; a missing map key or JSON key is a null value in that row (those have no schema to check).
 */
public record LakePath(String text, List<String> steps) {
    /** A JSON key a path may name: anything but the quote and bracket that delimit it in a JSON path. */
    private static final Pattern JSON_KEY = Pattern.compile("[^'\\[\\]]+");

    public LakePath {
        steps = List.copyOf(steps);
    }

    /**
     * @throws IllegalArgumentException when the path has an empty step ({@code a..b}, a leading or trailing dot)
     */
    public static LakePath parse(String text) {
        String t = text == null ? "" : text.trim();
        List<String> steps = Arrays.asList(t.split("\\.", -1));
        if (t.isEmpty() || steps.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("'" + text + "' is not a lake column or a dotted path into one "
                    + "(e.g. userIdentity.arn)");
        }
        return new LakePath(t, steps);
    }

    /**
     * A path's value in a row: the Spark column reading it, its type, and whether it was read from JSON text.
     */
    public record Value(Column column, DataType type, boolean fromJson) {
    }

    /** Why a path has no value in a lake's schema: {@code reason} names the step and what was found there. */
    public static final class Missing extends Exception {
        public Missing(String reason) {
            super(reason);
        }
    }

    /**
     * @param schema the lake rows' schema
     * @throws Missing naming the first step that does not exist and what exists there
     */
    public Value resolve(StructType schema) throws Missing {
        List<String> top = Arrays.asList(schema.fieldNames());
        if (top.contains(text)) {
            return new Value(col(SchemaMapper.quote(text)), schema.apply(text).dataType(), false);
        }
        String first = steps.get(0);
        if (!top.contains(first)) {
            throw new Missing("there is no column '" + first + "'; columns found: " + top);
        }
        Column c = col(SchemaMapper.quote(first));
        DataType type = schema.apply(first).dataType();
        for (int i = 1; i < steps.size(); i++) {
            String step = steps.get(i);
            String at = String.join(".", steps.subList(0, i));
            if (type instanceof StringType) {
                return json(c, at, steps.subList(i, steps.size()));
            }
            StructType struct = structOf(type);
            if (struct != null) {
                if (!Arrays.asList(struct.fieldNames()).contains(step)) {
                    throw new Missing("'" + at + "' has no field '" + step + "'; its fields are "
                            + Arrays.asList(struct.fieldNames()));
                }
                DataType field = struct.apply(step).dataType();
                c = c.getField(step);
                type = type instanceof ArrayType ? DataTypes.createArrayType(field) : field;
            } else if (type instanceof MapType map && map.keyType() instanceof StringType) {
                c = c.getItem(step);
                type = map.valueType();
            } else {
                throw new Missing("'" + at + "' is " + type.simpleString() + ", which has no field '" + step + "'");
            }
        }
        return new Value(c, type, false);
    }

    private static StructType structOf(DataType type) {
        if (type instanceof StructType s) {
            return s;
        }
        if (type instanceof ArrayType a && a.elementType() instanceof StructType s) {
            return s;
        }
        return null;
    }

    /** The rest of the path read from JSON text, as {@code $['a']['b']}: any key, dots and spaces included. */
    private static Value json(Column text, String at, List<String> rest) throws Missing {
        StringBuilder path = new StringBuilder("$");
        for (String key : rest) {
            if (!JSON_KEY.matcher(key).matches()) {
                throw new Missing("'" + at + "' is JSON text, and the key '" + key + "' cannot be read from it"
                        + " (a key may not hold ' [ or ])");
            }
            path.append("['").append(key).append("']");
        }
        return new Value(get_json_object(text, path.toString()), DataTypes.StringType, true);
    }
}
