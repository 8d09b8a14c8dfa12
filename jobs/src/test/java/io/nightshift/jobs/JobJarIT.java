package io.nightshift.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;

/**
 * The product's jars carry the product only: the synthetic lake generator ({@code lakegen/}) and the benchmark
 * ({@code bench/}) are developer tools in modules of their own, and neither may reach the jar spark-submit runs, the
 * plain jobs jar, or the folder of jars {@code scripts/nightshift} puts beside it. An integration test: it reads what
 * {@code package} made.
 */
class JobJarIT {
    private static final Path TARGET = TestSpark.repoRoot().resolve("jobs/target");
    private static final List<String> TOOL_PACKAGES = List.of("io/nightshift/lakegen/", "io/nightshift/bench/");

    @Test
    void theSubmitJarHoldsTheJobsAndTheModelsButNoTool() throws IOException {
        List<String> entries = entries(jar("-submit.jar"));
        assertThat(entries).as("the submit jar's main class and the models it bundles")
                .contains("io/nightshift/jobs/cli/NightshiftCli.class")
                .anyMatch(e -> e.startsWith("io/nightshift/models/"));
        assertThat(entries).as("developer tools in the submit jar").noneMatch(JobJarIT::isTool);
    }

    @Test
    void thePlainJobsJarHoldsNoTool() throws IOException {
        List<String> entries = entries(jar("-SNAPSHOT.jar"));
        assertThat(entries).contains("io/nightshift/jobs/cli/NightshiftCli.class");
        assertThat(entries).as("developer tools in the jobs jar").noneMatch(JobJarIT::isTool);
    }

    @Test
    void theRuntimeLibraryFolderHoldsNoToolJar() throws IOException {
        try (Stream<Path> jars = Files.list(TARGET.resolve("lib"))) {
            assertThat(jars.map(p -> p.getFileName().toString()).toList())
                    .as("jobs/target/lib, the classpath of scripts/nightshift")
                    .contains("picocli-" + picocliVersion() + ".jar")
                    .noneMatch(name -> name.startsWith("nightshift-lakegen") || name.startsWith("nightshift-bench"));
        }
    }

    private static boolean isTool(String entry) {
        return TOOL_PACKAGES.stream().anyMatch(entry::startsWith)
                || entry.startsWith("META-INF/maven/io.nightshift/nightshift-lakegen/")
                || entry.startsWith("META-INF/maven/io.nightshift/nightshift-bench/");
    }

    private static Path jar(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().startsWith("nightshift-jobs-")
                    && p.getFileName().toString().endsWith(suffix)).toList();
            assertThat(jars).as("nightshift-jobs-*%s in %s: run after mvn package", suffix, TARGET).hasSize(1);
            return jars.get(0);
        }
    }

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return Collections.list(file.entries()).stream().map(ZipEntry::getName).toList();
        }
    }

    private static String picocliVersion() {
        return picocli.CommandLine.VERSION;
    }
}
