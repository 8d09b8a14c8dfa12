package io.nightshift.jobs.store;

import org.apache.spark.sql.types.StructType;

/**
 * A results-store table: its name, what it holds, its columns (with comments, which end up in the Iceberg schema and
 * the README) and, for per-date tables, the {@code date} partition column that idempotent writes replace.
 */
public record ResultTable(String name, String description, StructType schema, boolean partitionedByDate) {
    public static ResultTable daily(String name, String description, String columnsDdl) {
        return new ResultTable(name, description,
                StructType.fromDDL("date DATE NOT NULL COMMENT 'logical date of the run that wrote the row', "
                        + columnsDdl), true);
    }

    public static ResultTable unpartitioned(String name, String description, String columnsDdl) {
        return new ResultTable(name, description, StructType.fromDDL(columnsDdl), false);
    }
}
