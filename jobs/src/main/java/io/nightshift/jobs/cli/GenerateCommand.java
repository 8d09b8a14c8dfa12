package io.nightshift.jobs.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.SparkSessions;
import io.nightshift.jobs.generate.GenerationResult;
import io.nightshift.jobs.generate.GeneratorSpec;
import io.nightshift.jobs.generate.LakeGenerator;
import io.nightshift.jobs.generate.scenario.GroundTruth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nightshift generate}: writes a synthetic log lake with labelled incidents, for demos and evaluation. */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = "Generate a synthetic, production-like Parquet log lake (lake/date=YYYY-MM-DD/), reference "
                + "data, a threat-intel feed and ground_truth.json describing the injected incidents.")
public final class GenerateCommand implements Callable<Integer> {
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

    @Override
    public Integer call() {
        GeneratorSpec spec = spec();
        SparkSession spark = SparkSessions.create("nightshift-generate", Map.of());
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
        return ExitCodes.OK;
    }

    /** Validates the options before Spark starts, naming the option and the value. */
    GeneratorSpec spec() {
        LocalDate startDate;
        try {
            startDate = LocalDate.parse(start);
        } catch (DateTimeParseException e) {
            throw NightshiftException.usage("Cannot use --start " + start + ": expected a date as YYYY-MM-DD");
        }
        if (days <= 0) {
            throw NightshiftException.usage("Cannot use --days " + days + ": the value must be positive");
        }
        if (rowsPerDay <= 0) {
            throw NightshiftException.usage("Cannot use --rows-per-day " + rowsPerDay + ": the value must be positive");
        }
        if (filesPerDay <= 0) {
            throw NightshiftException.usage("Cannot use --files-per-day " + filesPerDay + ": the value must be positive");
        }
        return new GeneratorSpec(seed, startDate, days, rowsPerDay, out, !noScenarios, filesPerDay);
    }
}
