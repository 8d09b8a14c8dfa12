package io.nightshift.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** One line saying what the figures were measured on. */
final class MachineDescription {
    private MachineDescription() {
    }

    static String describe() {
        return String.format(Locale.ROOT, "machine: %s, %d cores, %s RAM; Java %s; %s %s",
                first(Path.of("/proc/cpuinfo"), "model name", "unknown CPU"),
                Runtime.getRuntime().availableProcessors(),
                first(Path.of("/proc/meminfo"), "MemTotal", "unknown"),
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.version"));
    }

    /**
     * The one-minute load average ({@code /proc/loadavg}), or "?" where there is none: on a shared machine, what else
     * ran beside a measurement.
     */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String first(Path file, String key, String otherwise) {
        try (var lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(key)).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst()
                    .orElse(otherwise);
        } catch (IOException e) {
            return otherwise;
        }
    }
}
