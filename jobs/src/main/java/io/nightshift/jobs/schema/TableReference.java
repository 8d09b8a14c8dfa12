package io.nightshift.jobs.schema;

import org.apache.spark.sql.types.StructField;

/**
 * Every result table with its columns and their meaning, written from the table definitions themselves: the one
 * source of {@code nightshift tables} and of {@code docs/tables.md}.
 */
public final class TableReference {
    private TableReference() {
    }

    /** Plain text, for the terminal. */
    public static String text() {
        StringBuilder out = new StringBuilder();
        for (ResultTable t : ResultTables.all()) {
            out.append(t.name()).append(" — ").append(t.description()).append('\n');
            for (StructField f : t.schema().fields()) {
                out.append(String.format("    %-22s %-28s %s%n", f.name(), f.dataType().simpleString(), comment(f)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Markdown: {@code docs/tables.md} is exactly this. */
    public static String markdown() {
        StringBuilder out = new StringBuilder("# Result tables\n\n"
                + "Generated from the table definitions in `jobs/.../schema/ResultTables.java` by\n"
                + "`scripts/nightshift tables --markdown > docs/tables.md`; `TableReferenceTest` fails when they differ.\n");
        for (ResultTable t : ResultTables.all()) {
            out.append("\n## `").append(t.name()).append('`')
                    .append(t.partitionedByDate() ? " (partitioned by `date`)" : "").append("\n\n")
                    .append(t.description()).append("\n\n")
                    .append("| column | type | meaning |\n|---|---|---|\n");
            for (StructField f : t.schema().fields()) {
                out.append("| `").append(f.name()).append("` | ").append(f.dataType().simpleString()).append(" | ")
                        .append(comment(f).replace("|", "\\|")).append(" |\n");
            }
        }
        return out.toString();
    }

    private static String comment(StructField f) {
        return f.getComment().isDefined() ? f.getComment().get() : "";
    }
}
