package io.nightshift.lakegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;

/**
 * One small lake with scenarios (7 days from Monday 2026-11-02, 5,000 rows a day, seed 7), generated once per test
 * JVM and shared by the test classes that only read it.
 */
final class SampleLake {
    static final LocalDate START = LocalDate.of(2026, 11, 2);
    static final int DAYS = 7;
    static final long ROWS_PER_DAY = 5_000;

    private static GenerationResult result;
    private static GeneratorSpec spec;

    private SampleLake() {
    }

    static synchronized GenerationResult get(SparkSession spark) {
        if (result == null) {
            Path dir = temporaryDirectory();
            spec = new GeneratorSpec(7, START, DAYS, ROWS_PER_DAY, dir, true);
            result = LakeGenerator.generate(spark, spec);
        }
        return result;
    }

    static GeneratorSpec spec() {
        return spec;
    }

    private static Path temporaryDirectory() {
        try {
            Path dir = Files.createTempDirectory("nightshift-sample-lake");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: the directory is under the system temp dir anyway.
        }
    }
}
