package io.nightshift.jobs.cli;

import java.util.concurrent.Callable;

import org.apache.spark.sql.types.StructField;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nightshift tables}: the documented schema of every result table (no Spark needed). */
@Command(name = "tables", mixinStandardHelpOptions = true,
        description = "Print every result table with its columns and their meaning.")
public final class TablesCommand implements Callable<Integer> {
    @Option(names = "--markdown", description = "Print as Markdown (the README's table reference is made this way).")
    boolean markdown;

    @Override
    public Integer call() {
        for (ResultTable t : ResultTables.all()) {
            if (markdown) {
                System.out.println("#### `" + t.name() + "`" + (t.partitionedByDate() ? " (partitioned by `date`)" : ""));
                System.out.println();
                System.out.println(t.description());
                System.out.println();
                System.out.println("| column | type | meaning |");
                System.out.println("|---|---|---|");
            } else {
                System.out.println(t.name() + " — " + t.description());
            }
            for (StructField f : t.schema().fields()) {
                String comment = f.getComment().isDefined() ? f.getComment().get() : "";
                if (markdown) {
                    System.out.println("| `" + f.name() + "` | " + f.dataType().simpleString() + " | " + comment + " |");
                } else {
                    System.out.printf("    %-22s %-28s %s%n", f.name(), f.dataType().simpleString(), comment);
                }
            }
            System.out.println();
        }
        return ExitCodes.OK;
    }
}
