package io.nightshift.lakegen;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import io.nightshift.lakegen.cloudtrail.CloudTrailLake;
import io.nightshift.lakegen.scenario.GroundTruth;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/nightshift generate}: writes a synthetic log lake with labelled incidents, for demos, tests and the
 * benchmark. A developer tool, so not in the job jar: {@code scripts/nightshift} runs this class for its
 * {@code generate} subcommand. Exit codes as the other commands': 0 done, 1 failed, 2 a bad option.
 */
@Command(name = "nightshift generate",
        mixinStandardHelpOptions = true,
        description = "Generate a synthetic, production-like Parquet log lake (lake/date=YYYY-MM-DD/), reference "
                + "data, a threat-intel feed and ground_truth.json describing the injected incidents.")
public final class GenerateCommand implements Callable<Integer> {
    static final int FAILED = 1;
    static final int USAGE = 2;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output directory; its lake/ subdirectory is replaced.")
    Path out;

    @Option(names = "--start", paramLabel = "YYYY-MM-DD", defaultValue = "2026-11-01",
            description = "First UTC day of the lake (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--days", paramLabel = "N", defaultValue = "21",
            description = "Number of days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--rows-per-day", paramLabel = "N", defaultValue = "30000",
            description = "Average rows of ordinary traffic per day (default: ${DEFAULT-VALUE}).")
    long rowsPerDay;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Random seed; the same options give the same rows (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-scenarios", description = "Generate ordinary traffic only, without incidents.")
    boolean noScenarios;

    @Option(names = "--files-per-day", paramLabel = "N", defaultValue = "1",
            description = "Parquet files (and generating tasks) per day; use about one per 2M rows "
                    + "(default: ${DEFAULT-VALUE}).")
    int filesPerDay;

    @Option(names = "--cloudtrail", description = "Write a lake of AWS CloudTrail-shaped records instead (nested: "
            + "userIdentity a struct, requestParameters JSON text), with labelled trail tampering, AWS automation "
            + "and a payroll bucket policy (data-samples/cloudtrail is --days 1 --rows-per-day 400 --start 2026-11-20).")
    boolean cloudtrail;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code; a message names what went wrong, on standard error. */
    static int execute(String... args) {
        CommandLine cli = new CommandLine(new GenerateCommand());
        cli.setParameterExceptionHandler((e, ignored) -> {
            e.getCommandLine().getErr().println("nightshift: " + e.getMessage() + " (try: nightshift generate --help)");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("nightshift: failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (Boolean.getBoolean("nightshift.debug")) {
                e.printStackTrace(cmd.getErr());
            }
            return FAILED;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        GeneratorSpec spec = spec();
        SparkSession spark = startSpark();
        if (cloudtrail) {
            return cloudTrail(spark, spec);
        }
        long began = System.nanoTime();
        GenerationResult result = LakeGenerator.generate(spark, spec);
        double seconds = (System.nanoTime() - began) / 1e9;
        System.out.printf("Generated %,d rows over %d days (%s to %s) in %.1f s%n", result.totalRows(),
                result.rowsPerDay().size(), spec.startDate(), spec.endDateInclusive(), seconds);
        for (GroundTruth g : result.scenarios()) {
            System.out.printf("  %-28s %-20s %s..%s %s%n", g.id(), g.kind(), g.start(), g.end(), g.visibility());
        }
        System.out.println("Scenarios:    " + result.scenarioCount());
        System.out.println("Lake:         " + result.lakeDir());
        System.out.println("Ground truth: " + result.groundTruthFile());
        System.out.println("Reference:    " + result.referenceDir());
        System.out.println("Threat intel: " + result.threatIntelDir());
        return 0;
    }

    private static int cloudTrail(SparkSession spark, GeneratorSpec spec) {
        if (spec.rowsPerDay() > 1_000_000) {
            throw new IllegalArgumentException("Cannot use --rows-per-day " + spec.rowsPerDay()
                    + " with --cloudtrail: the CloudTrail sample is built on the driver, at most 1000000 a day");
        }
        CloudTrailLake.Result result = CloudTrailLake.generate(spark, spec.outputDir(), spec.startDate(),
                spec.days(), (int) spec.rowsPerDay(), spec.seed());
        System.out.printf("Generated %,d CloudTrail-shaped records over %d days from %s%n", result.rows(),
                spec.days(), spec.startDate());
        result.labelled().forEach((label, ids) -> System.out.printf("  %-18s %d events%n", label, ids.size()));
        System.out.println("Lake:         " + result.lakeDir());
        System.out.println("Ground truth: " + spec.outputDir().resolve(CloudTrailLake.TRUTH_FILE));
        return 0;
    }

    /** Validates the options before Spark starts, naming the option and the value. */
    GeneratorSpec spec() {
        LocalDate startDate;
        try {
            startDate = LocalDate.parse(start);
        } catch (DateTimeParseException e) {
            throw usage("Cannot use --start " + start + ": expected a date as YYYY-MM-DD");
        }
        if (days <= 0) {
            throw usage("Cannot use --days " + days + ": the value must be positive");
        }
        if (rowsPerDay <= 0) {
            throw usage("Cannot use --rows-per-day " + rowsPerDay + ": the value must be positive");
        }
        if (filesPerDay <= 0) {
            throw usage("Cannot use --files-per-day " + filesPerDay + ": the value must be positive");
        }
        return new GeneratorSpec(seed, startDate, days, rowsPerDay, out, !noScenarios, filesPerDay);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(command.commandLine(), message);
    }

    /**
     * The master is never hard-coded: spark-submit's when it set one, else the local one scripts/nightshift passes
     * ({@code nightshift.local.master}). The lake's rows do not depend on any of these settings.
     */
    private static SparkSession startSpark() {
        SparkSession.Builder builder = SparkSession.builder().appName("nightshift-generate")
                .config("spark.sql.session.timeZone", "UTC");
        if (!new SparkConf(true).contains("spark.master")) {
            builder.master(System.getProperty("nightshift.local.master", "local[*]"))
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "8");
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel(System.getProperty("nightshift.spark.log.level", "WARN"));
        return spark;
    }
}
