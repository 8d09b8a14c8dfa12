package io.nightshift.jobs.cli;

import java.util.concurrent.Callable;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.schema.TableReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nightshift tables}: the documented schema of every result table (no Spark needed). */
@Command(name = "tables", mixinStandardHelpOptions = true,
        description = "Print every result table with its columns and their meaning.")
public final class TablesCommand implements Callable<Integer> {
    @Option(names = "--markdown", description = "Print as Markdown (docs/tables.md is made this way).")
    boolean markdown;

    @Override
    public Integer call() {
        System.out.print(markdown ? TableReference.markdown() : TableReference.text());
        return ExitCodes.OK;
    }
}
