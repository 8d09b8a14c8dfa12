package io.nightshift.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Whether a soak stayed flat and consistent. Night 1 aggregates the lake's history and trains the first model, so
 * it is left out: nights 2-4 are the baseline, and the mean of the last three nights may be at most {@link #FLAT}
 * times the baseline's mean, for wall time and for peak memory (faster or smaller is fine). The warehouse checks
 * must have passed after every night.
 */
final class SoakVerdict {
    /** How much the last nights may exceed the baseline: 25%, above the noise of one run on a shared machine. */
    static final double FLAT = 1.25;
    /** Nights 2-4 as a baseline and a disjoint last three need at least this many nights. */
    static final int MIN_NIGHTS = 7;

    private final List<String> lines = new ArrayList<>();
    private boolean passed = true;

    private SoakVerdict() {
    }

    static SoakVerdict of(List<SoakNight> nights, String retention, int minSnapshots) {
        SoakVerdict v = new SoakVerdict();
        v.lines.add("verdict (night 1 aggregates the history and trains the first model: not in the comparison):");
        if (nights.size() < MIN_NIGHTS) {
            v.check("nights run", false, nights.size() + " of at least " + MIN_NIGHTS + " needed for a verdict");
            return v;
        }
        List<SoakNight> base = nights.subList(1, 4);
        List<SoakNight> last = nights.subList(nights.size() - 3, nights.size());
        String window = String.format(Locale.ROOT, "nights %d-%d", last.get(0).number(), last.get(2).number());
        double time = mean(last, SoakNight::seconds) / mean(base, SoakNight::seconds);
        v.check("time flat", time <= FLAT, String.format(Locale.ROOT, "mean of %s %.1f s = %.2fx the mean of "
                + "nights 2-4 (%.1f s); limit %.2fx", window, mean(last, SoakNight::seconds), time,
                mean(base, SoakNight::seconds), FLAT));
        ToDoubleFunction<SoakNight> gib = n -> n.peakRssBytes() / SoakNight.GIB;
        double rss = mean(last, gib) / mean(base, gib);
        v.check("peak RSS flat", rss <= FLAT, String.format(Locale.ROOT, "mean of %s %.2f GiB = %.2fx the mean of "
                + "nights 2-4 (%.2f GiB); limit %.2fx", window, mean(last, gib), rss, mean(base, gib), FLAT));
        long unbounded = nights.stream().filter(n -> !n.census().problems().isEmpty()).count();
        v.check("snapshots bounded", unbounded == 0, String.format(Locale.ROOT, "after %d of %d nights no table kept "
                        + "more than %d snapshots older than the %s retention; all tables: %d snapshots after night 2, "
                        + "%d after night %d", nights.size() - unbounded, nights.size(), minSnapshots, retention,
                nights.get(1).census().snapshots(), nights.get(nights.size() - 1).census().snapshots(),
                nights.size()));
        long inconsistent = nights.stream().filter(n -> !n.problems().isEmpty()).count();
        v.check("consistency", inconsistent == 0, String.format(Locale.ROOT, "%d of %d nights passed every check "
                + "(one succeeded run per date, unique finding and incident ids, trend_hourly rows as recorded, "
                + "maintenance succeeded)", nights.size() - inconsistent, nights.size()));
        return v;
    }

    private void check(String name, boolean ok, String detail) {
        passed &= ok;
        lines.add(String.format(Locale.ROOT, "  %-18s %s  %s", name, ok ? "PASS" : "FAIL", detail));
    }

    private static double mean(List<SoakNight> nights, ToDoubleFunction<SoakNight> measure) {
        return nights.stream().mapToDouble(measure).average().orElse(Double.NaN);
    }

    boolean passed() {
        return passed;
    }

    List<String> lines() {
        List<String> all = new ArrayList<>(lines);
        all.add(passed ? "SOAK PASSED" : "SOAK FAILED");
        return all;
    }
}
