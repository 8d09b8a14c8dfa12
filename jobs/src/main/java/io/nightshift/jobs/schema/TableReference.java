package io.nightshift.jobs.schema;

/**
 * Every result table with its columns and their meaning, written from the table definitions themselves: the one
 * source of {@code nightshift tables} and of {@code docs/tables.md}. Read from {@link ResultColumn}, without Spark's
 * parser, so that {@code tables} answers at once.
 */
public final class TableReference {
    private TableReference() {
    }

    /** Plain text, for the terminal. */
    public static String text() {
        StringBuilder out = new StringBuilder();
        for (ResultTable t : ResultTables.all()) {
            out.append(t.name()).append(" — ").append(t.description()).append('\n');
            for (ResultColumn c : t.columns()) {
                out.append(String.format("    %-22s %-28s %s%n", c.name(), c.type(), c.comment()));
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
            for (ResultColumn c : t.columns()) {
                out.append("| `").append(c.name()).append("` | ").append(c.type()).append(" | ")
                        .append(c.comment().replace("|", "\\|")).append(" |\n");
            }
        }
        return out.toString();
    }
}
