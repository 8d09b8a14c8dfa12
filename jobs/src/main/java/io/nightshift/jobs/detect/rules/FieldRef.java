package io.nightshift.jobs.detect.rules;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;

import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * A field a rule may test: a canonical column ({@code user}), one key of the {@code attributes} map
 * ({@code attributes.country} or {@code attributes['country']}), or a value derived from the timestamp
 * ({@code hour_of_day} 0–23 and {@code day_of_week} 1 = Monday … 7 = Sunday, both in the session time zone, UTC).
 * Only these resolve, so a rule can never name anything Spark would interpret as code.
 */
public record FieldRef(Kind kind, String name) {
    /** {@code TEXT}: a numeric column read as its text form (a Sigma wildcard on {@code status_code}: '40*'). */
    public enum Kind { COLUMN, ATTRIBUTE, DERIVED, TEXT }

    public static final String HOUR_OF_DAY = "hour_of_day";
    public static final String DAY_OF_WEEK = "day_of_week";
    private static final List<String> DERIVED_NAMES = List.of(HOUR_OF_DAY, DAY_OF_WEEK);
    private static final Pattern ATTRIBUTE_DOT = Pattern.compile("attributes\\.([A-Za-z0-9_.:@/-]+)");
    private static final Pattern ATTRIBUTE_BRACKET = Pattern.compile("attributes\\[['\"]([^'\"\\]]+)['\"]]");

    /**
     * Resolves a field name as written in a rule.
     *
     * @throws IllegalArgumentException naming the field and listing what is allowed, when it resolves to nothing
     */
    public static FieldRef parse(String text) {
        String t = text == null ? "" : text.trim();
        Matcher dot = ATTRIBUTE_DOT.matcher(t);
        if (dot.matches()) {
            return new FieldRef(Kind.ATTRIBUTE, dot.group(1));
        }
        Matcher bracket = ATTRIBUTE_BRACKET.matcher(t);
        if (bracket.matches()) {
            return new FieldRef(Kind.ATTRIBUTE, bracket.group(1));
        }
        if (DERIVED_NAMES.contains(t)) {
            return new FieldRef(Kind.DERIVED, t);
        }
        if (t.equals(CanonicalSchema.ROW_ID)
                || (CanonicalSchema.COLUMNS.containsKey(t) && !t.equals(CanonicalSchema.ATTRIBUTES))) {
            return new FieldRef(Kind.COLUMN, t);
        }
        throw new IllegalArgumentException("unknown field '" + t + "'; use a canonical column ("
                + String.join(", ", columnNames()) + "), attributes.<key>, " + HOUR_OF_DAY + " or " + DAY_OF_WEEK);
    }

    public static FieldRef attribute(String key) {
        return new FieldRef(Kind.ATTRIBUTE, key);
    }

    public static FieldRef column(String name) {
        return parse(name);
    }

    /**
     * This field as text: a numeric column's decimal form ({@code 404} is {@code "404"}), for the string tests Sigma
     * makes on any field (wildcards, contains...); any other field as it is.
     */
    public FieldRef asText() {
        return kind == Kind.COLUMN && numeric() ? new FieldRef(Kind.TEXT, name) : this;
    }

    private static List<String> columnNames() {
        return CanonicalSchema.COLUMNS.keySet().stream().filter(c -> !c.equals(CanonicalSchema.ATTRIBUTES)).toList();
    }

    /** The Spark column this field reads; attribute keys are map lookups with the key as a literal. */
    public Column column() {
        return switch (kind) {
            case COLUMN -> col("`" + name + "`");
            case TEXT -> col("`" + name + "`").cast("string");
            case ATTRIBUTE -> col(CanonicalSchema.ATTRIBUTES).getItem(lit(name));
            case DERIVED -> name.equals(HOUR_OF_DAY)
                    ? hour(col(CanonicalSchema.TIMESTAMP))
                    // dayofweek is 1 = Sunday; shift so that 1 = Monday … 7 = Sunday (ISO).
                    : dayofweek(col(CanonicalSchema.TIMESTAMP)).plus(5).mod(7).plus(1);
        };
    }

    public DataType dataType() {
        return switch (kind) {
            case COLUMN -> name.equals(CanonicalSchema.ROW_ID) ? DataTypes.StringType : CanonicalSchema.COLUMNS.get(name);
            case ATTRIBUTE, TEXT -> DataTypes.StringType;
            case DERIVED -> DataTypes.IntegerType;
        };
    }

    public boolean numeric() {
        return dataType() instanceof NumericType;
    }

    public boolean timestamp() {
        return dataType().equals(DataTypes.TimestampType);
    }

    /** The canonical entity column this field is, or null (attributes and derived values are not entities). */
    public String entityColumn() {
        return kind == Kind.COLUMN && io.nightshift.jobs.detect.Findings.ENTITY_COLUMNS.contains(name) ? name : null;
    }

    /** The name as a rule writes it. */
    @Override
    public String toString() {
        return switch (kind) {
            case ATTRIBUTE -> "attributes." + name;
            case TEXT -> "string(" + name + ")";
            default -> name;
        };
    }
}
