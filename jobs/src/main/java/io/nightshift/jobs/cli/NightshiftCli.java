package io.nightshift.jobs.cli;

import java.io.PrintWriter;

import io.nightshift.jobs.base.BuildVersion;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.Failures;
import io.nightshift.jobs.base.StopRequest;
import io.nightshift.jobs.base.NightshiftException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code nightshift} command: parses, hands over to a subcommand, and turns failures into exit codes. */
@Command(name = "nightshift",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        description = "Nightly Spark jobs over a Parquet log lake: trend aggregates and detections, log-template "
                + "clustering, rules and threat intelligence, candidate security incidents in Iceberg tables.",
        footer = "%ngenerate (a synthetic lake with labelled incidents) is a developer tool outside this jar: "
                + "scripts/nightshift generate --help%n",
        subcommands = {
                RunCommand.class,
                BackfillCommand.class,
                QueryCommand.class,
                TablesCommand.class,
                RulesCommand.class,
                TrainCommand.class,
                ScoreCommand.class,
                EvaluateCommand.class,
                TriageCommand.class,
                IncidentCommand.class,
                MetricsCommand.class,
                EvidenceCommand.class,
                ExportCommand.class,
                ReportCommand.class,
                MaintainCommand.class,
                NotifyCommand.class,
                CommandLine.HelpCommand.class
        })
public final class NightshiftCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (see --help)");
    }

    public static void main(String[] args) {
        StopSignals.install();
        int code = execute(args);
        System.exit(StopRequest.signal() != null ? StopSignals.exitCode(StopRequest.signal()) : code);
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new NightshiftCli());
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            Throwable root = ex;
            if (root instanceof NightshiftException ne) {
                cmd.getErr().println("nightshift: " + ne.getMessage());
                printSuppressed(cmd.getErr(), ne);
                return ne.exitCode();
            }
            if (root instanceof CommandLine.ParameterException pe) {
                cmd.getErr().println("nightshift: " + pe.getMessage());
                return ExitCodes.USAGE;
            }
            cmd.getErr().println("nightshift: failed: " + Failures.oneLine(root));
            printSuppressed(cmd.getErr(), root);
            if (Boolean.getBoolean("nightshift.debug")) {
                root.printStackTrace(cmd.getErr());
            }
            return ExitCodes.STAGE_FAILURE;
        });
        cli.setParameterExceptionHandler((ex, args1) -> {
            ex.getCommandLine().getErr().println("nightshift: " + ex.getMessage()
                    + " (try: nightshift " + String.join(" ", ex.getCommandLine().getCommandSpec().qualifiedName()
                    .replaceFirst("^nightshift ?", "")) + " --help)");
            return ExitCodes.USAGE;
        });
        return cli.execute(args);
    }

    /** E.g. the run's job_runs row that could not be written as the run failed: said, never lost. */
    private static void printSuppressed(PrintWriter err, Throwable failure) {
        for (Throwable also : failure.getSuppressed()) {
            err.println("nightshift: also: " + Failures.oneLine(also));
        }
    }
}
