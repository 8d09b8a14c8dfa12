package io.nightshift.jobs.lake;

import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.transform_values;

import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * The declared rules by which a lake value of one type becomes a canonical value of another, and which values no
 * rule converts. A value is never stored in a form nobody chose: a struct mapped to {@code user} becomes its JSON
 * text ({@code {"type":"IAMUser","arn":"arn:aws:iam::…"}}), not Spark's {@code {IAMUser, arn:…}}; a boolean mapped to
 * {@code status_code} is no number (Spark would cast {@code true} to 1) and is left null.
 *
 * <table>
 *   <caption>Conversions</caption>
 *   <tr><th>canonical</th><th>lake value</th><th>becomes</th></tr>
 *   <tr><td>text</td><td>text</td><td>itself</td></tr>
 *   <tr><td>text</td><td>struct, array, map</td><td>its JSON text ({@code to_json})</td></tr>
 *   <tr><td>text</td><td>boolean</td><td>{@code true} / {@code false}</td></tr>
 *   <tr><td>text</td><td>number, date, timestamp, binary</td><td>its text form (binary as UTF-8)</td></tr>
 *   <tr><td>number</td><td>number</td><td>itself, in the canonical width</td></tr>
 *   <tr><td>number</td><td>text</td><td>the number it spells; text that spells none is null and a type
 *       warning</td></tr>
 *   <tr><td>number</td><td>anything else</td><td>null; every such value a type warning</td></tr>
 *   <tr><td>attributes</td><td>map</td><td>its values as text, as above</td></tr>
 *   <tr><td>attributes</td><td>JSON text, struct</td><td>one key per top-level key or field, nested values as JSON
 *       text; text that is no JSON object is null and a type warning</td></tr>
 * </table>
 *
 * @param value      the canonical value
 * @param warning    true in a row whose lake value was there but no rule could convert it (counted per column in
 *                   {@code lake_profile.type_warnings})
 * @param conversion how the value was converted, for {@code lake_profile.conversion}; null when it needed none
 */
record ValueConversion(Column value, Column warning, String conversion) {
    private static final MapType ATTRIBUTES = DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType);

    /** A value that needs no conversion and can never be a type warning. */
    static ValueConversion natural(Column value) {
        return new ValueConversion(value, lit(false), null);
    }

    /** {@code source} (of lake type {@code type}) as text. Never a type warning: every value has a text form. */
    static ValueConversion text(Column source, DataType type) {
        if (type instanceof StringType) {
            return natural(source);
        }
        if (type instanceof StructType || type instanceof ArrayType || type instanceof MapType) {
            return new ValueConversion(to_json(source), lit(false), type.typeName() + " as JSON text");
        }
        if (type instanceof BooleanType) {
            return new ValueConversion(source.cast(DataTypes.StringType), lit(false), "boolean as true/false");
        }
        String what = type instanceof BinaryType ? "binary as UTF-8 text" : type.typeName() + " as text";
        return new ValueConversion(source.cast(DataTypes.StringType), lit(false), what);
    }

    /** {@code source} as the canonical number type {@code target}. */
    static ValueConversion number(Column source, DataType type, DataType target) {
        if (type instanceof NumericType) {
            return natural(source.try_cast(target));
        }
        if (type instanceof StringType) {
            Column value = source.try_cast(target);
            return new ValueConversion(value, source.isNotNull().and(value.isNull()), "text as number");
        }
        return new ValueConversion(lit(null).cast(target), source.isNotNull(),
                type.typeName() + " is no number: left null");
    }

    /**
     * {@code source} as the {@code attributes} map, or null when its type cannot be one (the caller names it).
     */
    static ValueConversion attributes(Column source, DataType type) {
        if (type instanceof MapType map) {
            Column keyed = source.cast(DataTypes.createMapType(DataTypes.StringType, map.valueType()));
            return map.valueType() instanceof StringType ? natural(keyed)
                    : new ValueConversion(transform_values(keyed, (k, v) -> text(v, map.valueType()).value()),
                    lit(false), "map values as text");
        }
        if (type instanceof StringType) {
            Column value = from_json(source, ATTRIBUTES, Map.of());
            return new ValueConversion(value, source.isNotNull().and(value.isNull()), "JSON object as map");
        }
        if (type instanceof StructType) {
            // Spark reads a nested object into a string-valued map as its JSON text.
            return new ValueConversion(from_json(to_json(source), ATTRIBUTES, Map.of()), lit(false),
                    "struct fields as keys");
        }
        return null;
    }
}
