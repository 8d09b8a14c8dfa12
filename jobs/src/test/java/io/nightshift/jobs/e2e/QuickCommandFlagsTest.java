package io.nightshift.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.TestSpark;

/**
 * The JVM flags {@code scripts/nightshift} starts the analyst commands that answer without Spark with
 * ({@code night_quick_flags} in scripts/lib.sh): the quick JIT tier, the serial collector, and a class-data archive
 * per command, written by the first run after a build and used while it is newer than the jars.
 */
class QuickCommandFlagsTest {
    private static final Path LIB = TestSpark.repoRoot().resolve("scripts/lib.sh");

    @TempDir
    Path target;

    /** The flags for ARGS, with the jobs jar and its lib folder in a build folder of this test's own. */
    private List<String> flags(String archiveSetting, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "-c", "source \"$1\" && JOBS_TARGET=\"$2\" "
                + "&& JOBS_JAR_GLOB=\"$2/nightshift-jobs-*-submit.jar\" && shift 2 && night_quick_flags \"$@\"",
                "test", LIB.toString(), target.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (archiveSetting != null) {
            pb.environment().put("NIGHTSHIFT_CLASS_ARCHIVE", archiveSetting);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().toList();
    }

    private Path build(Instant at) throws IOException {
        Path jar = Files.writeString(target.resolve("nightshift-jobs-1.0-submit.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(at));
        Path lib = Files.createDirectories(target.resolve("lib"));
        Files.setLastModifiedTime(Files.writeString(lib.resolve("iceberg.jar"), "jar"), FileTime.from(at));
        // The folder too: a jar added to or removed from it makes an archive stale as well.
        Files.setLastModifiedTime(lib, FileTime.from(at));
        Files.setLastModifiedTime(target, FileTime.from(at));
        return jar;
    }

    @Test
    void onlyTheCommandsThatAnswerWithoutSparkGetThem() throws Exception {
        build(Instant.parse("2026-12-01T00:00:00Z"));
        for (List<String> command : List.of(List.of("incident", "list"), List.of("incident", "show", "INC-1"),
                List.of("evidence", "verify", "--incident", "INC-1"), List.of("tables"), List.of("tables", "--markdown"),
                List.of("rules", "list"), List.of("rules", "check", "rules"))) {
            assertThat(flags(null, command.toArray(String[]::new))).as("%s", command)
                    .startsWith("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        }
        for (List<String> command : List.of(List.of("run", "--date", "2026-11-21"), List.of("query", "SELECT 1"),
                List.of("incident", "act"), List.of("incident", "close"), List.of("rules", "draft"), List.<String>of())) {
            assertThat(flags(null, command.toArray(String[]::new))).as("%s", command).isEmpty();
        }
    }

    @Test
    void theFirstRunAfterABuildWritesTheArchiveAndLaterRunsUseIt() throws Exception {
        build(Instant.parse("2026-12-01T00:00:00Z"));
        Path archive = target.resolve("class-archives/incident-show.jsa");
        List<String> first = flags(null, "incident", "show", "INC-1");
        assertThat(first).contains("-Xlog:disable", "-Xlog:all=warning:stderr", "-Xlog:cds*=error:stderr");
        assertThat(first.get(first.size() - 1)).matches("-XX:ArchiveClassesAtExit=" + archive + "\\.\\d+");
        assertThat(archive.getParent()).isDirectory();

        Files.writeString(archive, "archive");
        Files.setLastModifiedTime(archive, FileTime.from(Instant.parse("2026-12-02T00:00:00Z")));
        assertThat(flags(null, "incident", "show", "INC-1")).endsWith("-XX:SharedArchiveFile=" + archive);
        assertThat(flags(null, "tables")).last().asString().startsWith("-XX:ArchiveClassesAtExit="
                + target.resolve("class-archives/tables.jsa."));

        // A rebuilt jar, or a jar of the lib folder replaced, makes the archive stale: it is written again.
        build(Instant.parse("2026-12-03T00:00:00Z"));
        assertThat(flags(null, "incident", "show", "INC-1")).last().asString()
                .startsWith("-XX:ArchiveClassesAtExit=");
        Files.setLastModifiedTime(archive, FileTime.from(Instant.parse("2026-12-04T00:00:00Z")));
        assertThat(flags(null, "incident", "show", "INC-1")).last().asString().startsWith("-XX:SharedArchiveFile=");
        Files.setLastModifiedTime(target.resolve("lib/iceberg.jar"), FileTime.from(Instant.parse("2026-12-05T00:00:00Z")));
        assertThat(flags(null, "incident", "show", "INC-1")).last().asString()
                .startsWith("-XX:ArchiveClassesAtExit=");

        assertThat(flags("off", "incident", "show", "INC-1")).containsExactly("-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC");
    }
}
