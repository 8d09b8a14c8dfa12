package io.nightshift.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scripts/bench --analyst}: the wall time of each command an analyst waits for ({@code incident list},
 * {@code incident show}, {@code tables}, {@code rules list}, {@code rules check}, {@code evidence verify}), each run
 * as its own {@code scripts/nightshift} process on an existing warehouse, as an analyst runs it: JVM start included.
 * Prints one line: the median of {@link #RUNS} runs per command, and the best.
 */
final class AnalystTiming {
    static final int RUNS = 3;
    /** What the issue asked of each command (#35): an answer within this many seconds. */
    static final double TARGET_SECONDS = 3.0;
    private static final Pattern INCIDENT_ID = Pattern.compile("INC-\\d{8}-[0-9a-f]{8}");

    private final Runner runner;
    private final Path home;
    private final Path warehouse;

    AnalystTiming(Runner runner, Path home, Path warehouse) {
        this.runner = runner;
        this.home = home;
        this.warehouse = warehouse;
    }

    /** Times every command and returns the line to print. */
    String measure() throws IOException, InterruptedException {
        if (!Files.isDirectory(warehouse)) {
            throw new IllegalArgumentException("--warehouse " + warehouse + " is not a folder; build the sample "
                    + "warehouse first: scripts/nightshift backfill --from 2026-11-15 --to 2026-11-21");
        }
        List<String> listed = new ArrayList<>();
        Map<String, double[]> seconds = new LinkedHashMap<>();
        seconds.put("incident list", time(listed, "incident", "list", "--warehouse", warehouse.toString()));
        String incident = listed.stream().map(INCIDENT_ID::matcher).filter(Matcher::lookingAt).map(Matcher::group)
                .findFirst().orElseThrow(() -> new IllegalStateException("no incident in " + warehouse
                        + " to show; run a night with incidents first"));
        seconds.put("incident show", time(null, "incident", "show", incident, "--warehouse", warehouse.toString()));
        seconds.put("tables", time(null, "tables"));
        String rules = home.resolve("rules").toString();
        seconds.put("rules list", time(null, "rules", "list", rules));
        seconds.put("rules check", time(null, "rules", "check", rules));
        seconds.put("evidence verify", time(null, "evidence", "verify", "--incident", incident, "--warehouse",
                warehouse.toString()));
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "analyst commands on %s (wall, own "
                + "process, median of %d, best in brackets; target %.0f s):", warehouse, RUNS, TARGET_SECONDS));
        seconds.forEach((command, s) -> line.append(String.format(Locale.ROOT, " %s %.1f s (%.1f),", command,
                s[RUNS / 2], s[0])));
        line.setLength(line.length() - 1);
        return line.append(String.format(Locale.ROOT, "; load average %s", loadAverage())).toString();
    }

    /** The sorted wall times of {@link #RUNS} runs; the first run's output lines go to {@code output}. */
    private double[] time(List<String> output, String... args) throws IOException, InterruptedException {
        double[] s = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            List<String> sink = i == 0 && output != null ? output : new ArrayList<>();
            s[i] = runner.captured(String.join(" ", args), sink::add, args).seconds();
        }
        Arrays.sort(s);
        return s;
    }

    /** The 1-minute load average: on a shared machine, what the figures were measured beside. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
