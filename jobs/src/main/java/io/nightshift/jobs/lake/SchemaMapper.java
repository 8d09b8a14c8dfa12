package io.nightshift.jobs.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map_concat;
import static org.apache.spark.sql.functions.map_filter;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * Maps a lake's own columns onto the {@link CanonicalSchema}. Pure: DataFrame in, DataFrame out.
 *
 * <p>{@code lake.columns} maps a canonical column to a lake column or a {@link LakePath path into one}
 * ({@code user: userIdentity.arn}), and an attribute key to one ({@code attributes.bucket:
 * requestParameters.bucketName}: the value, as text, under that key of {@code attributes}, in place of any the
 * lake's own attributes map has there). Values of another type than the canonical column's are converted by the
 * rules of {@link ValueConversion}, or left null and counted as type warnings.
 *
 * <p>Output columns: every canonical column (its {@link #CONVERSION} metadata saying how it was converted, when it
 * was), {@code _type_warning_<column>} for each (true where the lake had a value no rule converted), plus
 * {@code _raw_timestamp} (the source timestamp as it came, kept so a row whose timestamp cannot be parsed is
 * quarantined with its value), and whatever extra columns the caller asked to carry through. Values that do not
 * convert become null (never an exception mid-job); {@link RowValidator} then decides which rows are unusable.
 */
public final class SchemaMapper {
    static final String RAW_TIMESTAMP = "_raw_timestamp";
    /** Prefix of the per-column type warning flags. */
    public static final String TYPE_WARNING = "_type_warning_";
    /** Column metadata key: how the canonical column's values were converted from the lake's. */
    public static final String CONVERSION = "nightshift_conversion";
    /** Prefix of the {@code lake.columns} keys that fill one attribute key. */
    public static final String ATTRIBUTE_KEY = CanonicalSchema.ATTRIBUTES + ".";

    private final Map<String, String> columnMapping;
    private final String timestampFormat;

    public SchemaMapper(Map<String, String> columnMapping, String timestampFormat) {
        this.columnMapping = columnMapping;
        this.timestampFormat = timestampFormat;
    }

    public String sourceName(String canonical) {
        return columnMapping.getOrDefault(canonical, canonical);
    }

    /** Lake column → the canonical type of the column it is mapped to, for every canonical column. */
    public Map<String, DataType> lakeColumnTypes() {
        Map<String, DataType> types = new java.util.LinkedHashMap<>();
        CanonicalSchema.COLUMNS.forEach((canonical, type) -> types.put(sourceName(canonical), type));
        return types;
    }

    /**
     * @param source     the lake rows as read
     * @param origin     where they came from, for error messages (a path)
     * @param carryThrough extra columns kept as they are (e.g. file metadata)
     * @throws NightshiftException (bad input) when a required column or path is absent or a column has a type that
     *                             cannot be converted; the message names the config key, the path and the columns
     *                             or fields that were found
     */
    public Dataset<Row> toCanonical(Dataset<Row> source, String origin, List<String> carryThrough) {
        List<Column> out = new ArrayList<>();
        List<Column> warnings = new ArrayList<>();
        Column rawTimestamp = null;
        for (var entry : CanonicalSchema.COLUMNS.entrySet()) {
            String canonical = entry.getKey();
            LakePath.Value value = value(source.schema(), canonical, origin);
            ValueConversion converted;
            if (canonical.equals(CanonicalSchema.ATTRIBUTES)) {
                converted = attributes(source.schema(), value, origin);
            } else if (value == null) {
                converted = ValueConversion.natural(lit(null).cast(entry.getValue()));
            } else {
                converted = convert(value, canonical, entry.getValue(), origin);
            }
            if (canonical.equals(CanonicalSchema.TIMESTAMP)) {
                rawTimestamp = value.column();
            }
            out.add(converted.value().as(canonical, conversion(value, converted)));
            warnings.add(converted.warning().as(TYPE_WARNING + canonical));
        }
        out.addAll(warnings);
        // The source value as it came, for the quarantine reason; not cast to text here, because that would format
        // every row's timestamp while only rows without a parsed one ever show it.
        out.add(rawTimestamp.as(RAW_TIMESTAMP));
        for (String c : carryThrough) {
            out.add(col(quote(c)));
        }
        return source.select(out.toArray(Column[]::new));
    }

    /**
     * Where {@code canonical} is read from, or null when it is optional and the lake does not have it.
     *
     * @throws NightshiftException (bad input) when it is required and the lake does not have it
     */
    private LakePath.Value value(StructType schema, String canonical, String origin) {
        String src = sourceName(canonical);
        try {
            return path(canonical, src).resolve(schema);
        } catch (LakePath.Missing missing) {
            if (!CanonicalSchema.REQUIRED.contains(canonical)) {
                return null;
            }
            throw NightshiftException.badInput("required column '" + canonical + "'"
                    + (src.equals(canonical) ? "" : " (lake.columns." + canonical + ": " + src + ")")
                    + " is missing in " + origin + ": " + missing.getMessage()
                    + ". Map it with lake.columns." + canonical + " in the config.");
        }
    }

    private static LakePath path(String key, String src) {
        try {
            return LakePath.parse(src);
        } catch (IllegalArgumentException e) {
            throw NightshiftException.badInput("lake.columns." + key + ": " + e.getMessage());
        }
    }

    private static Metadata conversion(LakePath.Value value, ValueConversion converted) {
        List<String> parts = new ArrayList<>();
        if (value != null && value.fromJson()) {
            parts.add("read from JSON text");
        }
        if (converted.conversion() != null) {
            parts.add(converted.conversion());
        }
        return parts.isEmpty() ? Metadata.empty()
                : new MetadataBuilder().putString(CONVERSION, String.join("; ", parts)).build();
    }

    /**
     * The lake's attributes map (or JSON object, or struct), with the keys of {@code attributes.<key>} entries
     * replaced by those paths' values as text; a path the lake does not have adds nothing, a null value no key.
     */
    private ValueConversion attributes(StructType schema, LakePath.Value whole, String origin) {
        DataType type = CanonicalSchema.COLUMNS.get(CanonicalSchema.ATTRIBUTES);
        ValueConversion base = whole == null ? ValueConversion.natural(lit(null).cast(type))
                : ValueConversion.attributes(whole.column(), whole.type());
        if (base == null) {
            throw NightshiftException.badInput("column '" + sourceName(CanonicalSchema.ATTRIBUTES) + "' in " + origin
                    + " has type " + whole.type().simpleString()
                    + "; expected map<string,string>, a struct or a JSON string");
        }
        List<Column> pairs = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        // In key order: the map's order is part of the row's content hash (row_id), and must not vary by run.
        for (var entry : new TreeMap<>(columnMapping).entrySet()) {
            if (!entry.getKey().startsWith(ATTRIBUTE_KEY)) {
                continue;
            }
            String key = entry.getKey().substring(ATTRIBUTE_KEY.length());
            try {
                LakePath.Value v = path(entry.getKey(), entry.getValue()).resolve(schema);
                pairs.add(lit(key));
                pairs.add(ValueConversion.text(v.column(), v.type()).value());
                keys.add(key);
            } catch (LakePath.Missing absent) {
                // Attributes are optional: a path this lake does not have fills no key.
            }
        }
        if (keys.isEmpty()) {
            return base;
        }
        Column added = map_filter(functions.map(pairs.toArray(Column[]::new)), (k, v) -> v.isNotNull());
        Column kept = map_filter(base.value(), (k, v) -> not(k.isin(keys.toArray())));
        Column merged = when(base.value().isNull(), added).otherwise(map_concat(kept, added));
        String how = (base.conversion() == null ? "" : base.conversion() + "; ") + "keys " + keys + " from paths";
        return new ValueConversion(when(functions.size(merged).gt(0), merged), base.warning(), how);
    }

    private ValueConversion convert(LakePath.Value value, String canonical, DataType target, String origin) {
        Column c = value.column();
        switch (canonical) {
            case CanonicalSchema.TIMESTAMP:
                return ValueConversion.natural(timestamp(c, value.type(), origin));
            case CanonicalSchema.LEVEL: {
                ValueConversion text = ValueConversion.text(c, value.type());
                Column level = upper(trim(text.value()));
                return new ValueConversion(when(level.equalTo("WARNING"), lit("WARN"))
                        .when(level.equalTo("ERR"), lit("ERROR"))
                        .when(level.equalTo("CRIT"), lit("CRITICAL"))
                        .otherwise(level), text.warning(), text.conversion());
            }
            case CanonicalSchema.OUTCOME: {
                ValueConversion text = ValueConversion.text(c, value.type());
                return new ValueConversion(lower(trim(text.value())), text.warning(), text.conversion());
            }
            default:
                return target instanceof NumericType ? ValueConversion.number(c, value.type(), target)
                        : ValueConversion.text(c, value.type());
        }
    }

    private Column timestamp(Column c, DataType srcType, String origin) {
        if (srcType.equals(DataTypes.TimestampType) || srcType.equals(DataTypes.TimestampNTZType)) {
            return c.cast(DataTypes.TimestampType);
        }
        if (srcType instanceof StringType) {
            return timestampFormat == null
                    ? c.try_cast(DataTypes.TimestampType)
                    : functions.try_to_timestamp(c, lit(timestampFormat));
        }
        if (srcType instanceof NumericType) {
            // Epoch numbers, in the unit their size says (any time after 1973 in that unit): nanoseconds (what
            // Spark reads a Parquet nanosecond timestamp as; LakeReader asks it to), micro-, milli-, or seconds.
            // Nanoseconds are divided as decimals: a double holds 2026's nanoseconds only to a quarter microsecond.
            Column size = functions.abs(c.cast(DataTypes.DoubleType));
            Column whole = c.cast(DataTypes.LongType);
            Column nanosToMicros = whole.cast(DataTypes.createDecimalType(20, 0)).divide(lit(1000))
                    .cast(DataTypes.LongType);
            return when(size.geq(1e17), functions.timestamp_micros(nanosToMicros))
                    .when(size.geq(1e14), functions.timestamp_micros(whole))
                    .when(size.geq(1e11), functions.timestamp_millis(whole))
                    .otherwise(functions.timestamp_seconds(whole));
        }
        throw NightshiftException.badInput("column '" + sourceName(CanonicalSchema.TIMESTAMP) + "' in " + origin
                + " has type " + srcType.simpleString() + "; expected a timestamp, a string or epoch seconds/millis");
    }

    /** Canonical column → its {@link #CONVERSION} in {@code schema} (a schema {@link #toCanonical} made), if any. */
    public static Map<String, String> conversions(StructType schema) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String c : CanonicalSchema.COLUMNS.keySet()) {
            Metadata metadata = schema.apply(c).metadata();
            if (metadata.contains(CONVERSION)) {
                out.put(c, metadata.getString(CONVERSION));
            }
        }
        return out;
    }

    static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    static boolean hasField(Dataset<Row> df, String name) {
        for (StructField f : df.schema().fields()) {
            if (f.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
