package io.nightshift.lakegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import io.nightshift.lakegen.scenario.GroundTruth;
import io.nightshift.lakegen.scenario.Scenario;

/**
 * Generates a synthetic, production-like log lake with labelled incidents:
 * <pre>
 *   out/lake/date=YYYY-MM-DD/part-*.parquet   {@link LakeSchema#STRUCT}
 *   out/ground_truth.json                    the injected scenarios ({@link GroundTruthWriter})
 *   out/reference/service_catalog.csv, tenants.csv
 *   out/threat_intel/indicators.csv, feed.stix.json
 * </pre>
 * Rows are made on the executors from {@code spark.range}: nothing row-sized passes through the driver, so a day can
 * hold tens of millions of rows. {@code out/lake} is replaced; other files in {@code out} are left alone.
 */
public final class LakeGenerator {
    private LakeGenerator() {
    }

    public static GenerationResult generate(SparkSession spark, GeneratorSpec spec) {
        Path out = spec.outputDir().toAbsolutePath();
        Path lake = out.resolve("lake");
        deleteRecursively(lake);
        List<Scenario> scenarios = spec.injectScenarios()
                ? spec.plannedScenarios() : List.of();
        ReferenceDataWriter.write(out.resolve("reference"));
        ThreatIntelWriter.write(out.resolve("threat_intel"), spec);

        List<DayPlan> days = new ArrayList<>();
        for (int d = 0; d < spec.days(); d++) {
            days.add(DayPlan.of(spec, spec.startDate().plusDays(d), scenarios));
        }
        writeDays(spark, spec, lake, days);

        SortedMap<LocalDate, Long> rowsPerDay = countRowsPerDay(spark, lake);
        Map<String, Long> marked = countMarkedRows(spark, lake, scenarios);
        List<GroundTruth> truth = scenarios.stream()
                .map(s -> s.groundTruth(marked.getOrDefault(s.id(), 0L))).toList();
        Path groundTruth = out.resolve(GroundTruthWriter.FILE);
        GroundTruthWriter.write(groundTruth, truth);
        return new GenerationResult(rowsPerDay, truth, lake, groundTruth, out.resolve("reference"),
                out.resolve("threat_intel"));
    }

    /**
     * Writes each day straight into its partition directory (no partitionBy, hence no sort of the day's rows).
     * With one file per day a day is a single task, so days are submitted from several driver threads at once to
     * keep every core busy. Waits for every day; the first failure, in day order, is rethrown as it was thrown.
     */
    private static void writeDays(SparkSession spark, GeneratorSpec spec, Path lake, List<DayPlan> days) {
        int cores = spark.sparkContext().defaultParallelism();
        int concurrent = Math.max(1, Math.min(days.size(), cores / spec.filesPerDay()));
        List<Callable<Void>> writes = days.stream().<Callable<Void>>map(day -> () -> {
            writeDay(spark, spec, lake, day);
            return null;
        }).toList();
        ExecutorService threads = Executors.newFixedThreadPool(concurrent);
        try {
            for (Future<Void> written : threads.invokeAll(writes)) {
                written.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while generating " + lake, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            // Spark's Scala code throws checked exceptions it does not declare.
            throw new IllegalStateException("Generating " + lake + " failed: " + cause, cause);
        } finally {
            threads.shutdownNow();
        }
    }

    private static void writeDay(SparkSession spark, GeneratorSpec spec, Path lake, DayPlan day) {
        spark.sparkContext().setJobDescription("generate " + day.date());
        Dataset<Row> rows = spark.range(0, day.totalRows(), 1, spec.filesPerDay())
                .flatMap(new DayRowGenerator(day), Encoders.row(LakeSchema.STRUCT));
        // zstd keeps the shipped sample lake small; readers need nothing special for it.
        rows.write().mode(SaveMode.Overwrite).option("compression", "zstd")
                .parquet(lake.resolve(LakeSchema.PARTITION_COLUMN + "=" + day.date()).toString());
    }

    private static SortedMap<LocalDate, Long> countRowsPerDay(SparkSession spark, Path lake) {
        SortedMap<LocalDate, Long> counts = new TreeMap<>();
        for (Row r : spark.read().parquet(lake.toString())
                .groupBy(LakeSchema.PARTITION_COLUMN).count().collectAsList()) {
            counts.put(LocalDate.parse(String.valueOf(r.get(0))), r.getLong(1));
        }
        return counts;
    }

    /** Scans only the days that have scenarios, and only the attributes column. */
    private static Map<String, Long> countMarkedRows(SparkSession spark, Path lake, List<Scenario> scenarios) {
        Map<String, Long> counts = new HashMap<>();
        String[] dayDirs = scenarios.stream().map(Scenario::date).distinct().sorted()
                .map(d -> lake.resolve(LakeSchema.PARTITION_COLUMN + "=" + d).toString()).toArray(String[]::new);
        if (dayDirs.length == 0) {
            return counts;
        }
        Dataset<Row> marked = spark.read().option("basePath", lake.toString()).parquet(dayDirs)
                .select(functions.col("attributes").getItem(GroundTruth.MARKER).as("scenario"))
                .where(functions.col("scenario").isNotNull())
                .groupBy("scenario").count();
        for (Row r : marked.collectAsList()) {
            counts.put(r.getString(0), r.getLong(1));
        }
        return counts;
    }

    /** Deletes a folder and everything in it; a missing folder is fine. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear the previous lake at " + dir + ": " + e.getMessage(), e);
        }
    }
}
