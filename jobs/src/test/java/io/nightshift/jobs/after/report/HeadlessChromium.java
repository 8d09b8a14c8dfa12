package io.nightshift.jobs.after.report;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium}, run headless on a local file: the report's real-browser checks. Background networking,
 * updates and crash reporting are switched off, so the browser sends nothing anywhere; each call gets its own
 * profile folder.
 */
final class HeadlessChromium {
    private static final long TIMEOUT_SECONDS = 120;

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /**
     * The {@code chromium} on PATH.
     *
     * @throws IllegalStateException saying how to install it, when there is none
     */
    static HeadlessChromium require() {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "chromium");
            if (Files.isExecutable(candidate)) {
                return new HeadlessChromium(candidate);
            }
        }
        throw new IllegalStateException("chromium is not on PATH, and the report's browser test needs it: run "
                + "scripts/install-test-deps (scripts/test does) or apt-get install chromium");
    }

    /** The DOM after parsing and rendering {@code page}, serialized as HTML. */
    String dumpDom(Path page, Path work) {
        return run(work, List.of("--dump-dom", page.toUri().toString()));
    }

    /** A PNG screenshot of {@code page} in a window of the given size. */
    Path screenshot(Path page, Path png, int width, int height, Path work) {
        run(work, List.of("--screenshot=" + png, "--window-size=" + width + "," + height, page.toUri().toString()));
        if (!Files.isRegularFile(png)) {
            throw new IllegalStateException("chromium wrote no screenshot to " + png);
        }
        return png;
    }

    private String run(Path work, List<String> args) {
        try {
            Path profile = Files.createTempDirectory(work, "chromium-profile");
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-default-apps", "--disable-domain-reliability", "--disable-breakpad",
                    "--hide-scrollbars", "--user-data-dir=" + profile));
            cmd.addAll(args);
            Path out = work.resolve("chromium-" + System.nanoTime() + ".out");
            Path err = work.resolve("chromium-" + System.nanoTime() + ".err");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("chromium exited with " + p.exitValue() + ": "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
