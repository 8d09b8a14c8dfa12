package io.nightshift.jobs.detect.intel;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Every indicator read from a feed directory, and the lines that were skipped. {@link #activeOn} picks what applies
 * on a logical date and merges duplicates, so the table joined against the logs has one row per (type, value).
 */
public record IndicatorFeed(List<Indicator> indicators, List<FeedProblem> problems) {
    public IndicatorFeed {
        indicators = List.copyOf(indicators);
        problems = List.copyOf(problems);
    }

    /**
     * Indicators active on {@code date}, one per (type, value): when several feeds list the same value, the one with
     * the highest confidence (then the smallest id) is kept, its source naming every feed that listed it, and its
     * expiry the latest of theirs. Deterministic whatever the file order.
     */
    public List<Indicator> activeOn(LocalDate date) {
        Map<String, List<Indicator>> byValue = new LinkedHashMap<>();
        for (Indicator i : indicators) {
            if (i.activeOn(date)) {
                byValue.computeIfAbsent(i.type().word() + "|" + i.value(), k -> new ArrayList<>()).add(i);
            }
        }
        List<Indicator> out = new ArrayList<>();
        for (List<Indicator> same : byValue.values()) {
            same.sort(Comparator.comparingInt(Indicator::confidence).reversed().thenComparing(Indicator::id));
            Indicator best = same.get(0);
            TreeSet<String> sources = new TreeSet<>();
            LocalDate expiry = best.expiry();
            for (Indicator i : same) {
                sources.add(i.source());
                if (expiry != null && (i.expiry() == null || i.expiry().isAfter(expiry))) {
                    expiry = i.expiry();
                }
            }
            out.add(new Indicator(best.id(), best.type(), best.value(), String.join(", ", sources), best.confidence(),
                    best.validFrom(), expiry, best.origin()));
        }
        out.sort(Comparator.comparing(Indicator::id));
        return out;
    }

    /** How many indicators are not active on {@code date} (expired or not yet valid). */
    public long inactiveOn(LocalDate date) {
        return indicators.stream().filter(i -> !i.activeOn(date)).count();
    }
}
