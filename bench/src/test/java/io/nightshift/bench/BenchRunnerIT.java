package io.nightshift.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.TestSpark;

/**
 * The benchmark's children run the build the benchmark started with, even when a source is newer than the jar:
 * a child that rebuilt measured another build and replaced the jar under the running benchmark. An integration test
 * because it runs {@code scripts/nightshift} on the packaged jar.
 */
class BenchRunnerIT {

    @Test
    void childrenRunTheBuiltJarWithoutRebuildingIt(@TempDir Path home) throws Exception {
        Path repo = TestSpark.repoRoot();
        // A home that is this build, except that its sources are newer than the jar: scripts/nightshift on its own
        // would rebuild, and this pom cannot be built.
        Files.createDirectories(home.resolve("scripts"));
        for (String script : List.of("nightshift", "lib.sh")) {
            Files.copy(repo.resolve("scripts").resolve(script), home.resolve("scripts").resolve(script));
        }
        Files.createDirectories(home.resolve("jobs"));
        Files.createDirectories(home.resolve("models"));
        Files.createSymbolicLink(home.resolve("jobs/target"), repo.resolve("jobs/target"));
        Files.createSymbolicLink(home.resolve("conf"), repo.resolve("conf"));
        Files.writeString(home.resolve("pom.xml"), "<project/>\n");
        Path jar;
        try (var files = Files.list(repo.resolve("jobs/target"))) {
            jar = files.filter(f -> f.getFileName().toString().endsWith("-submit.jar")).findFirst().orElseThrow();
        }
        home.resolve("pom.xml").toFile().setLastModified(Files.getLastModifiedTime(jar).toMillis() + 60_000);

        List<String> output = new ArrayList<>();
        Runner.Measured run = new Runner(home, home, "1g").main("version", null, output::add, "--version");

        assertThat(output).noneMatch(line -> line.contains("building"));
        assertThat(String.join("\n", output)).contains("nightshift");
        assertThat(run.seconds()).isPositive();
    }
}
