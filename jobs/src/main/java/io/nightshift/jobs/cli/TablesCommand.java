package io.nightshift.jobs.cli;

import java.util.concurrent.Callable;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.schema.ResultColumn;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nightshift tables}: the documented schema of every result table, from the definitions in code (no Spark). */
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
            for (ResultColumn c : t.columns()) {
                if (markdown) {
                    System.out.println("| `" + c.name() + "` | " + c.type() + " | " + c.comment() + " |");
                } else {
                    System.out.printf("    %-22s %-28s %s%n", c.name(), c.type(), c.comment());
                }
            }
            System.out.println();
        }
        return ExitCodes.OK;
    }
}
