package io.nightshift.models.features;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

/**
 * Turns log rows that carry a template id into one row per entity (or session) and window, with raw counts.
 *
 * <p>Input contract: {@code timestampCol} (timestamp) and {@code templateIdCol} (string) are required; {@code level},
 * {@code user} (strings) and {@code is_new_template} (boolean) are used when present and treated as null otherwise;
 * the entity columns must exist; a session key is read from {@code attributes} (map&lt;string,string&gt;).
 * Rows whose entity columns are all null (or whose session value is null or empty) belong to no entity and are
 * skipped; a null template id is counted as {@link #NO_TEMPLATE}; a null timestamp drops the row.
 *
 * <p>Output columns: {@code entity_type, entity, window_start, window_end} (timestamps; for sessions the first and
 * last log line), {@code line_count, error_count, new_template_count, distinct_templates, distinct_users} (longs;
 * distinct users is exact) and {@code template_counts}
 * (map&lt;string,long&gt;, sorted by template id). Two group-bys: per template first, so the per-window map is built
 * from at most one entry per template rather than from every log line.
 */
public final class WindowAggregator {
    /** Template id given to log lines that have none. */
    public static final String NO_TEMPLATE = "<no-template>";
    /** Levels counted as errors ("ERROR and above"), compared case-insensitively. */
    public static final List<String> ERROR_LEVELS = List.of("ERROR", "FATAL", "CRITICAL", "ALERT", "EMERGENCY");

    public static final String ENTITY_TYPE = "entity_type";
    public static final String ENTITY = "entity";
    public static final String WINDOW_START = "window_start";
    public static final String WINDOW_END = "window_end";
    public static final String LINE_COUNT = "line_count";
    public static final String ERROR_COUNT = "error_count";
    public static final String NEW_TEMPLATE_COUNT = "new_template_count";
    public static final String DISTINCT_TEMPLATES = "distinct_templates";
    public static final String DISTINCT_USERS = "distinct_users";
    public static final String TEMPLATE_COUNTS = "template_counts";

    static final String LEVEL = "level";
    static final String USER = "user";
    static final String IS_NEW_TEMPLATE = "is_new_template";
    static final String ATTRIBUTES = "attributes";

    private static final MapType TEMPLATE_COUNTS_TYPE =
            DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false);

    private WindowAggregator() {
    }

    /** Checks the input columns this definition needs; the message names the missing column and what it is for. */
    public static void validateInput(StructType schema, WindowDefinition def) {
        List<String> names = Arrays.asList(schema.fieldNames());
        require(names, def.timestampCol(), "the event time");
        require(names, def.templateIdCol(), "the template id of each log line");
        if (def.isSessionKeyed()) {
            require(names, ATTRIBUTES, "the session key attributes['" + def.sessionKey().orElseThrow() + "']");
        } else {
            def.entityCols().forEach(c -> require(names, c, "an entity column"));
        }
    }

    private static void require(List<String> names, String column, String what) {
        if (!names.contains(column)) {
            throw new IllegalArgumentException("Input has no column '" + column + "' (" + what + "); columns are "
                    + names);
        }
    }

    /** One row per entity and window; see the class comment for the columns. */
    public static Dataset<Row> aggregate(Dataset<?> logs, WindowDefinition def) {
        validateInput(logs.schema(), def);
        List<String> names = Arrays.asList(logs.columns());
        Column isError = upper(optional(names, LEVEL)).isin(ERROR_LEVELS.toArray()).and(optional(names, LEVEL)
                .isNotNull());
        Column isNew = coalesce(optional(names, IS_NEW_TEMPLATE).cast("boolean"), lit(false));

        List<Column> lineColumns = new ArrayList<>(List.of(col("_entity"),
                col(def.timestampCol()).as("_ts"),
                coalesce(col(def.templateIdCol()).cast("string"), lit(NO_TEMPLATE)).as("_template"),
                when(isError, 1L).otherwise(0L).as("_error"),
                when(isNew, 1L).otherwise(0L).as("_new"),
                optional(names, USER).cast("string").as("_user")));
        if (!def.isSessionKeyed()) {
            lineColumns.add(window(col(def.timestampCol()), def.duration()).as("_window"));
        }
        Dataset<Row> lines = logs
                .filter(col(def.timestampCol()).isNotNull())
                .withColumn("_entity", entityColumn(def))
                .filter(col("_entity").isNotNull())
                .select(lineColumns.toArray(Column[]::new));

        List<String> perWindow = def.isSessionKeyed() ? List.of("_entity") : List.of("_entity", "_window");
        Column[] perWindowCols = perWindow.stream().map(c -> col(c)).toArray(Column[]::new);
        Column[] perTemplate = Stream.concat(perWindow.stream(), Stream.of("_template")).map(c -> col(c))
                .toArray(Column[]::new);
        // Fixed-width buffers only, so Spark aggregates by hash: a distinct-count sketch per (entity, window,
        // template) made it keep an object per group and, past a few thousand groups a task, sort every line.
        Dataset<Row> templates = lines.groupBy(perTemplate).agg(
                count(lit(1)).as("_count"),
                sum("_error").as("_errors"),
                sum("_new").as("_news"),
                min("_ts").as("_first"),
                max("_ts").as("_last"));
        // Distinct users per window, exact: a distinct aggregation of its own (two hash aggregations).
        Dataset<Row> users = lines.where(col("_user").isNotNull()).groupBy(perWindowCols)
                .agg(count_distinct(col("_user")).as(DISTINCT_USERS));

        Dataset<Row> windows = templates.groupBy(perWindowCols).agg(
                sum("_count").as(LINE_COUNT),
                sum("_errors").as(ERROR_COUNT),
                sum("_news").as(NEW_TEMPLATE_COUNT),
                count(lit(1)).as(DISTINCT_TEMPLATES),
                map_from_entries(array_sort(collect_list(struct(col("_template"), col("_count")))))
                        .cast(TEMPLATE_COUNTS_TYPE).as(TEMPLATE_COUNTS),
                min("_first").as("_first"),
                max("_last").as("_last"))
                .join(users, perWindow.toArray(String[]::new), "left")
                .withColumn(DISTINCT_USERS, coalesce(col(DISTINCT_USERS), lit(0L)));

        Column start = def.isSessionKeyed() ? col("_first") : col("_window.start");
        Column end = def.isSessionKeyed() ? col("_last") : col("_window.end");
        return windows.select(
                lit(def.entityType()).as(ENTITY_TYPE),
                col("_entity").as(ENTITY),
                start.as(WINDOW_START),
                end.as(WINDOW_END),
                col(LINE_COUNT),
                col(ERROR_COUNT),
                col(NEW_TEMPLATE_COUNT),
                col(DISTINCT_TEMPLATES),
                col(DISTINCT_USERS).cast("long").as(DISTINCT_USERS),
                col(TEMPLATE_COUNTS));
    }

    /**
     * Entity values joined by '|'; a null value becomes the empty string so positions stay aligned
     * ({@code a||c}); null when every entity column is null, or when the session value is null or empty.
     */
    private static Column entityColumn(WindowDefinition def) {
        if (def.isSessionKeyed()) {
            Column value = col(ATTRIBUTES).getItem(def.sessionKey().orElseThrow());
            return when(value.isNotNull().and(value.notEqual(lit(""))), value);
        }
        Column anyPresent = lit(false);
        Column[] parts = new Column[def.entityCols().size()];
        for (int i = 0; i < parts.length; i++) {
            Column c = col(def.entityCols().get(i)).cast("string");
            anyPresent = anyPresent.or(c.isNotNull());
            parts[i] = coalesce(c, lit(""));
        }
        return when(anyPresent, concat_ws("|", parts));
    }

    private static Column optional(List<String> names, String column) {
        return names.contains(column) ? col(column) : lit(null).cast("string");
    }
}
