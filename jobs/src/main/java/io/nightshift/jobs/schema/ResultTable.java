package io.nightshift.jobs.schema;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.spark.sql.types.StructType;

/**
 * A results-store table: its name, what it holds, its columns (with comments, which end up in the Iceberg schema and
 * the README), and how a run writes it so that reruns are idempotent.
 *
 * <p>The columns are kept as their DDL text: {@link #schema()} has Spark parse it on first use, {@link #columns()}
 * reads it without Spark, so that commands which only read a few rows through Iceberg never load Spark's SQL parser.
 *
 * @param columnsDdl the column list in Spark DDL ({@code name TYPE [NOT NULL] [COMMENT '...'], ...})
 */
public record ResultTable(String name, String description, String columnsDdl, boolean partitionedByDate,
                          WriteMode writeMode, List<String> keys, List<String> preserved) {

    /** Spark's parse of each definition, made once. */
    private static final Map<String, StructType> SCHEMAS = new ConcurrentHashMap<>();

    public ResultTable {
        keys = List.copyOf(keys);
        preserved = List.copyOf(preserved);
    }

    /** The columns as Spark types (parsed by Spark on first use). */
    public StructType schema() {
        return SCHEMAS.computeIfAbsent(columnsDdl, StructType::fromDDL);
    }

    /** The columns with their types and comments, read without Spark. */
    public List<ResultColumn> columns() {
        return ResultColumn.parse(columnsDdl);
    }

    /**
     * This table with {@code columns} owned by people rather than by the nightly run: a MERGE of the run's rows
     * sets them on new rows only and never overwrites them on existing ones, so an analyst's status change made
     * while the night runs survives the night's commit.
     */
    public ResultTable preserving(List<String> columns) {
        List<String> names = columns().stream().map(ResultColumn::name).toList();
        for (String c : columns) {
            if (!names.contains(c)) {
                throw new IllegalArgumentException(name + " has no column " + c);
            }
        }
        return new ResultTable(name, description, columnsDdl, partitionedByDate, writeMode, keys, columns);
    }

    /** How a run's staged rows reach the table. */
    public enum WriteMode {
        /** The run's rows replace every row of its logical date (per-date tables). */
        REPLACE_DATE,
        /** Rows are matched on the keys: matched rows are replaced, new ones inserted (records that evolve). */
        MERGE,
        /** Only rows whose keys are new are inserted; existing rows are never rewritten (append-only evidence). */
        INSERT_NEW
    }

    public static ResultTable daily(String name, String description, String columnsDdl) {
        return new ResultTable(name, description,
                "date DATE NOT NULL COMMENT 'logical date of the run that wrote the row', " + columnsDdl, true,
                WriteMode.REPLACE_DATE, List.of("date"), List.of());
    }

    public static ResultTable unpartitioned(String name, String description, String columnsDdl) {
        return new ResultTable(name, description, columnsDdl, false, WriteMode.MERGE, List.of(), List.of());
    }

    public static ResultTable keyed(String name, String description, WriteMode mode, List<String> keys,
                                    String columnsDdl) {
        return new ResultTable(name, description, columnsDdl, false, mode, keys, List.of());
    }
}
