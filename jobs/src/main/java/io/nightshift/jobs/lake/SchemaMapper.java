package io.nightshift.jobs.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * Maps a lake's own columns onto the {@link CanonicalSchema}. Pure: DataFrame in, DataFrame out.
 *
 * <p>Output columns: every canonical column, plus {@code _raw_timestamp} (the source timestamp as text, kept so a
 * row whose timestamp cannot be parsed is quarantined with its value), and whatever extra columns the caller asked
 * to carry through. Values that do not convert become null (never an exception mid-job); {@link RowValidator}
 * then decides which rows are unusable.
 */
public final class SchemaMapper {
    static final String RAW_TIMESTAMP = "_raw_timestamp";

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
     * @throws NightshiftException (bad input) when a required column is absent or a column has a type that cannot
     *                             be converted; the message names the column and the columns that were found
     */
    public Dataset<Row> toCanonical(Dataset<Row> source, String origin, List<String> carryThrough) {
        List<String> found = Arrays.asList(source.columns());
        List<Column> out = new ArrayList<>();
        for (var entry : CanonicalSchema.COLUMNS.entrySet()) {
            String canonical = entry.getKey();
            String src = sourceName(canonical);
            if (!found.contains(src)) {
                if (CanonicalSchema.REQUIRED.contains(canonical)) {
                    throw NightshiftException.badInput("required column '" + canonical + "'"
                            + (src.equals(canonical) ? "" : " (mapped from '" + src + "')")
                            + " is missing in " + origin + "; columns found: " + found
                            + ". Map it with lake.columns." + canonical + " in the config.");
                }
                out.add(lit(null).cast(entry.getValue()).as(canonical));
                continue;
            }
            DataType srcType = source.schema().apply(src).dataType();
            out.add(convert(col(quote(src)), srcType, canonical, entry.getValue(), origin).as(canonical));
        }
        // The source value as it came, for the quarantine reason; not cast to text here, because that would format
        // every row's timestamp while only rows without a parsed one ever show it.
        out.add(col(quote(sourceName(CanonicalSchema.TIMESTAMP))).as(RAW_TIMESTAMP));
        for (String c : carryThrough) {
            out.add(col(quote(c)));
        }
        return source.select(out.toArray(Column[]::new));
    }

    private Column convert(Column c, DataType srcType, String canonical, DataType target, String origin) {
        switch (canonical) {
            case CanonicalSchema.TIMESTAMP:
                return timestamp(c, srcType, origin);
            case CanonicalSchema.LEVEL:
                Column level = upper(trim(c.cast(DataTypes.StringType)));
                return when(level.equalTo("WARNING"), lit("WARN"))
                        .when(level.equalTo("ERR"), lit("ERROR"))
                        .when(level.equalTo("CRIT"), lit("CRITICAL"))
                        .otherwise(level);
            case CanonicalSchema.OUTCOME:
                return lower(trim(c.cast(DataTypes.StringType)));
            case CanonicalSchema.ATTRIBUTES:
                return attributes(c, srcType, origin);
            default:
                return c.try_cast(target);
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

    private Column attributes(Column c, DataType srcType, String origin) {
        if (srcType instanceof MapType) {
            return c.cast(CanonicalSchema.COLUMNS.get(CanonicalSchema.ATTRIBUTES));
        }
        if (srcType instanceof StringType) {
            return from_json(c, (MapType) CanonicalSchema.COLUMNS.get(CanonicalSchema.ATTRIBUTES), Map.of());
        }
        throw NightshiftException.badInput("column '" + sourceName(CanonicalSchema.ATTRIBUTES) + "' in " + origin
                + " has type " + srcType.simpleString() + "; expected map<string,string> or a JSON string");
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
