package io.nightshift.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;

/** The heap flags {@code scripts/nightshift} adds for a local JVM ({@code night_heap_flags} in scripts/lib.sh). */
class NightHeapFlagsTest {
    private static final Path LIB = TestSpark.repoRoot().resolve("scripts/lib.sh");

    private static List<String> flags(String memory) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", "source \"$1\" && night_heap_flags \"$2\"", "test",
                LIB.toString(), memory).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().toList();
    }

    private static boolean kernelOffersHugePages() throws IOException {
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        return Files.isReadable(thp) && Files.readString(thp).matches("(?s).*\\[(always|madvise)\\].*");
    }

    @Test
    void aHeapOfEightGibOrMoreIsCommittedAndTouchedAtStart() throws Exception {
        List<String> expected = new java.util.ArrayList<>(List.of("-Xms12g", "-XX:NewRatio=4", "-XX:+AlwaysPreTouch"));
        if (kernelOffersHugePages()) {
            expected.add("-XX:+UseTransparentHugePages");
        }
        assertThat(flags("12g")).containsExactlyElementsOf(expected);
        assertThat(flags("8192m")).startsWith("-Xms8192m", "-XX:NewRatio=4", "-XX:+AlwaysPreTouch");
        assertThat(flags("16G")).startsWith("-Xms16G");
        assertThat(flags("8388608k")).startsWith("-Xms8388608k");
    }

    @Test
    void smallerOrUnreadableHeapsGetNoFlags() throws Exception {
        assertThat(flags("4g")).isEmpty();
        assertThat(flags("8191m")).isEmpty();
        assertThat(flags("7g")).isEmpty();
        assertThat(flags("lots")).isEmpty();
    }
}
