package io.nightshift.jobs.incidents;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Groups the night's signals into incidents: two signals belong together when they share a link key (user, IP,
 * host, tenant, or service for operational signals) and their time ranges are no more than the gap apart; chains
 * through shared entities are one incident (union-find). A group that shares a key with a still-open incident whose
 * last activity is within the gap joins it instead of opening a new one.
 *
 * <p>Runs on the driver over the night's findings (bounded by {@code max_findings_per_night}); the result is
 * deterministic: same signals in, same groups out, whatever their order.
 */
public final class FindingCorrelator {
    /** An incident still open from earlier nights, as correlation needs it. */
    public record OpenIncident(String incidentId, Timestamp firstSeen, Timestamp lastSeen, List<String> linkKeys) {
    }

    /** A group of signals and the open incident it continues, if any. */
    public record Group(List<Signal> signals, OpenIncident continues) {
    }

    private final long gapMillis;

    public FindingCorrelator(int gapMinutes) {
        this.gapMillis = gapMinutes * 60_000L;
    }

    public List<Group> correlate(List<Signal> signals, List<OpenIncident> open) {
        List<Signal> sorted = new ArrayList<>(signals);
        sorted.sort(Comparator.comparing(Signal::findingId));
        int n = sorted.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        // Per link key, sweep the signals in time order and join each to the previous one when close enough.
        Map<String, List<Integer>> byKey = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            for (String k : sorted.get(i).linkKeys()) {
                byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> members : byKey.values()) {
            members.sort(Comparator.comparing((Integer i) -> sorted.get(i).firstSeen()).thenComparing(i -> i));
            long reach = Long.MIN_VALUE;
            int anchor = -1;
            for (int i : members) {
                Signal s = sorted.get(i);
                if (anchor >= 0 && s.firstSeen().getTime() <= reach + gapMillis) {
                    union(parent, anchor, i);
                }
                if (anchor < 0 || s.firstSeen().getTime() > reach + gapMillis) {
                    anchor = i;
                }
                reach = Math.max(reach, s.lastSeen().getTime());
            }
        }
        // Passive keys: a security signal joins an operational signal of the same service whose time range is within
        // the gap of its own.
        for (int i = 0; i < n; i++) {
            Signal s = sorted.get(i);
            for (String k : s.passiveKeys()) {
                for (int j : byKey.getOrDefault(k, List.of())) {
                    Signal o = sorted.get(j);
                    if (!o.isSecurity() && s.firstSeen().getTime() <= o.lastSeen().getTime() + gapMillis
                            && o.firstSeen().getTime() <= s.lastSeen().getTime() + gapMillis) {
                        union(parent, i, j);
                    }
                }
            }
        }
        Map<Integer, List<Signal>> groups = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            groups.computeIfAbsent(find(parent, i), x -> new ArrayList<>()).add(sorted.get(i));
        }
        List<Group> out = new ArrayList<>();
        for (List<Signal> g : groups.values()) {
            out.add(new Group(g, continued(g, open)));
        }
        out.sort(Comparator.comparing(g -> g.signals().get(0).findingId()));
        return out;
    }

    /** The oldest open incident sharing a key with the group and active within the gap of it. */
    private OpenIncident continued(List<Signal> group, List<OpenIncident> open) {
        long first = group.stream().mapToLong(s -> s.firstSeen().getTime()).min().orElse(0);
        Map<String, Boolean> keys = new HashMap<>();
        group.forEach(s -> s.linkKeys().forEach(k -> keys.put(k, true)));
        return open.stream()
                .filter(o -> o.lastSeen() != null && first <= o.lastSeen().getTime() + gapMillis)
                .filter(o -> o.linkKeys().stream().anyMatch(keys::containsKey))
                .min(Comparator.comparing(OpenIncident::firstSeen).thenComparing(OpenIncident::incidentId))
                .orElse(null);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            // The smaller index is the root, so the grouping does not depend on the order of unions.
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
