package io.nightshift.jobs.schema;

import static org.apache.spark.sql.functions.col;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The log schema every stage after the lake reader works with. A lake's own column names and types are mapped to
 * these by {@link SchemaMapper}; after mapping, every column below exists (optional ones may be all null).
 *
 * <p>{@code row_id} is added by the reader: the lake's record id when one is configured, otherwise a hash of the
 * row's content, so evidence and findings can point at a log row stably across reruns.
 */
public final class CanonicalSchema {
    public static final String ROW_ID = "row_id";
    public static final String TIMESTAMP = "timestamp";
    public static final String SERVICE = "service";
    public static final String HOST = "host";
    public static final String MESSAGE = "message";
    public static final String LEVEL = "level";
    public static final String REGION = "region";
    public static final String DATACENTER = "datacenter";
    public static final String FARM = "farm";
    public static final String TENANT_ID = "tenant_id";
    public static final String USER = "user";
    public static final String SRC_IP = "src_ip";
    public static final String DST_IP = "dst_ip";
    public static final String ACTION = "action";
    public static final String OUTCOME = "outcome";
    public static final String STATUS_CODE = "status_code";
    public static final String BYTES_OUT = "bytes_out";
    public static final String DURATION_MS = "duration_ms";
    public static final String ATTRIBUTES = "attributes";

    /** Columns a run cannot do without; a row missing one of them is quarantined. */
    public static final List<String> REQUIRED = List.of(TIMESTAMP, SERVICE, HOST, MESSAGE);

    /** Every canonical column in order, with its type. */
    public static final Map<String, DataType> COLUMNS = orderedColumns();

    /** Levels counted as errors in trend aggregates ("ERROR and above"). */
    public static final List<String> ERROR_LEVELS = List.of("ERROR", "FATAL", "CRITICAL", "ALERT", "EMERGENCY");

    private CanonicalSchema() {
    }

    private static Map<String, DataType> orderedColumns() {
        var m = new java.util.LinkedHashMap<String, DataType>();
        m.put(TIMESTAMP, DataTypes.TimestampType);
        m.put(SERVICE, DataTypes.StringType);
        m.put(HOST, DataTypes.StringType);
        m.put(MESSAGE, DataTypes.StringType);
        m.put(LEVEL, DataTypes.StringType);
        m.put(REGION, DataTypes.StringType);
        m.put(DATACENTER, DataTypes.StringType);
        m.put(FARM, DataTypes.StringType);
        m.put(TENANT_ID, DataTypes.StringType);
        m.put(USER, DataTypes.StringType);
        m.put(SRC_IP, DataTypes.StringType);
        m.put(DST_IP, DataTypes.StringType);
        m.put(ACTION, DataTypes.StringType);
        m.put(OUTCOME, DataTypes.StringType);
        m.put(STATUS_CODE, DataTypes.IntegerType);
        m.put(BYTES_OUT, DataTypes.LongType);
        m.put(DURATION_MS, DataTypes.DoubleType);
        m.put(ATTRIBUTES, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The canonical struct, with {@code row_id} first. */
    public static StructType struct() {
        var fields = new java.util.ArrayList<StructField>();
        fields.add(DataTypes.createStructField(ROW_ID, DataTypes.StringType, false));
        COLUMNS.forEach((name, type) -> fields.add(DataTypes.createStructField(name, type, true)));
        return DataTypes.createStructType(fields);
    }

    /** {@link #struct()}'s columns, in its order, to select exactly them. */
    public static Column[] columns() {
        return Arrays.stream(struct().fieldNames()).map(n -> col("`" + n + "`")).toArray(Column[]::new);
    }

    public static String describe() {
        return COLUMNS.entrySet().stream()
                .map(e -> e.getKey() + (REQUIRED.contains(e.getKey()) ? "*" : "") + ":" + e.getValue().simpleString())
                .collect(Collectors.joining(", "));
    }
}
