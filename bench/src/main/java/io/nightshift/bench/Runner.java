package io.nightshift.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.config.NightshiftConfig.WarehouseConfig;
import io.nightshift.jobs.store.ResultsStore;

/** Runs {@code scripts/nightshift} commands as child processes, timing them and sampling their peak memory. */
final class Runner {
    /** A finished child: wall time and the peak resident set it reached. */
    record Measured(double seconds, long peakRssBytes) {
    }

    private final Path home;
    private final Path root;
    private final String driverMemory;

    Runner(Path home, Path root, String driverMemory) {
        this.home = home;
        this.root = root;
        this.driverMemory = driverMemory;
    }

    /** Runs {@code scripts/nightshift ARGS}, printing its output with {@code label} in front of every line. */
    Measured timed(String label, String... args) throws IOException, InterruptedException {
        return run(label, null, line -> System.out.println("  [" + label + "] " + line), args);
    }

    /**
     * Runs {@code mainClass ARGS} through {@code scripts/nightshift} (the same JVM flags and classpath), passing each
     * output line to {@code output}.
     */
    Measured main(String label, String mainClass, Consumer<String> output, String... args)
            throws IOException, InterruptedException {
        return run(label, mainClass, output, args);
    }

    /** Runs {@code scripts/nightshift ARGS}, passing each output line to {@code output} instead of printing it. */
    Measured captured(String label, Consumer<String> output, String... args) throws IOException, InterruptedException {
        return run(label, null, output, args);
    }

    /**
     * Runs {@code scripts/nightshift ARGS} with its output written to {@code log} instead of the console (a soak's
     * fourteen nights would print thousands of lines); a failure names the log.
     */
    Measured logged(String label, Path log, String... args) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
            return run(label + " (output in " + log + ")", null, out::println, args);
        }
    }

    private Measured run(String label, String mainClass, Consumer<String> output, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("scripts/nightshift").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("NIGHTSHIFT_DRIVER_MEMORY", driverMemory);
        // scripts/bench built (or found current) the jar this JVM runs from: every child runs that same build. A
        // child that rebuilt it after a source was edited mid-benchmark measured another build than its siblings,
        // and replaced the jar under this JVM, which then failed on a class it could no longer load.
        builder.environment().put("NIGHTSHIFT_NO_BUILD", "1");
        if (mainClass != null) {
            builder.environment().put("NIGHTSHIFT_MAIN", mainClass);
        }
        long start = System.nanoTime();
        Process process = builder.start();
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (process.isAlive()) {
                peak.accumulateAndGet(peakRss(process.pid()), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.accept(line);
            }
        }
        int exit = process.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        if (exit != 0) {
            throw new IllegalStateException(label + " failed with exit code " + exit + ": " + String.join(" ", command));
        }
        return new Measured(seconds, peak.get());
    }

    /** VmHWM, the kernel's high-water mark of the process's resident set; 0 once the process is gone. */
    static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process ended between two samples.
        }
        return 0;
    }

    WarehouseConfig warehouse() {
        return new WarehouseConfig(Location.local(root.resolve("warehouse")), "nightshift", "bench", Map.of());
    }

    Map<String, String> storeConf() {
        return ResultsStore.sparkConf(warehouse());
    }

    /** The benchmark's configuration for the lake in the work folder; {@code extra} are further YAML lines. */
    Path writeConfig(int trainingDays, String... extra) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "# Written by scripts/bench for one benchmark lake.",
                "lake: {root: lake, partition_column: date, dedup_key: event_id}",
                "warehouse: {path: warehouse, catalog: nightshift, namespace: bench}",
                "reference: {service_catalog: reference/service_catalog.csv, tenant_directory: reference/tenants.csv}",
                "rules: {directory: '" + home.resolve("rules") + "'}",
                "intel: {directory: threat_intel}",
                "trends: {history_days: 28, min_history_points: 5}",
                "anomaly: {training_days: " + trainingDays + "}"));
        lines.addAll(List.of(extra));
        lines.add("");
        return Files.writeString(root.resolve("nightshift.yaml"), String.join("\n", lines));
    }
}
