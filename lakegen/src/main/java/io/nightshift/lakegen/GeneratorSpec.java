package io.nightshift.lakegen;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

import io.nightshift.lakegen.scenario.Scenario;
import io.nightshift.lakegen.scenario.ScenarioPlanner;

/**
 * What to generate. Two lakes generated from equal specs hold the same rows, whatever the cluster size.
 *
 * @param seed            drives traffic and the choice, timing and entities of incidents
 * @param startDate       first UTC day of the lake
 * @param days            number of consecutive days; must be positive
 * @param rowsPerDay      average rows of ordinary traffic per day (weekdays above, weekends below); positive
 * @param outputDir       receives {@code lake/}, {@code reference/}, {@code threat_intel/} and {@code ground_truth.json}
 * @param injectScenarios whether to inject the labelled incidents into the last seven days
 * @param filesPerDay     Parquet files per day partition, which is also how many tasks generate a day; raise it
 *                        for millions of rows per day
 */
public record GeneratorSpec(long seed, LocalDate startDate, int days, long rowsPerDay, Path outputDir,
                            boolean injectScenarios, int filesPerDay) {
    public GeneratorSpec {
        Objects.requireNonNull(startDate, "startDate");
        Objects.requireNonNull(outputDir, "outputDir");
        if (days <= 0) {
            throw new IllegalArgumentException("Cannot generate " + days + " days: the value must be positive");
        }
        if (rowsPerDay <= 0) {
            throw new IllegalArgumentException(
                    "Cannot generate " + rowsPerDay + " rows per day: the value must be positive");
        }
        if (filesPerDay <= 0) {
            throw new IllegalArgumentException(
                    "Cannot write " + filesPerDay + " files per day: the value must be positive");
        }
    }

    /** One Parquet file per day: right for lakes up to a few million rows per day. */
    public GeneratorSpec(long seed, LocalDate startDate, int days, long rowsPerDay, Path outputDir,
                         boolean injectScenarios) {
        this(seed, startDate, days, rowsPerDay, outputDir, injectScenarios, 1);
    }

    public LocalDate endDateInclusive() {
        return startDate.plusDays(days - 1L);
    }

    /** The labelled incidents this spec places in its last week (the same every time), whether or not it writes them. */
    public List<Scenario> plannedScenarios() {
        return ScenarioPlanner.plan(startDate, days, seed, ThreatIntel.knownBadIp(seed));
    }
}
