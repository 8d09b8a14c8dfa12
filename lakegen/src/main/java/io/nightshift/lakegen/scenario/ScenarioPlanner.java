package io.nightshift.lakegen.scenario;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import io.nightshift.lakegen.world.Seeds;

/**
 * Places one scenario of each kind in the last seven days of the range (the whole range when shorter), each on a
 * day, time and entities drawn from the seed: the same spec always yields the same incidents, and a detector
 * evaluated on the first days sees clean history before them.
 */
public final class ScenarioPlanner {
    /** How many trailing days of the range may hold incidents. */
    public static final int INCIDENT_WINDOW_DAYS = 7;

    private ScenarioPlanner() {
    }

    /**
     * The scenarios of a lake of {@code days} days from {@code start} generated with {@code seed}.
     *
     * @param knownBadIp the unexpired threat-intel address the known-bad-IP scenario connects from
     */
    public static List<Scenario> plan(LocalDate start, int days, long seed, String knownBadIp) {
        int window = Math.min(INCIDENT_WINDOW_DAYS, days);
        LocalDate first = start.plusDays(days - window);
        List<Scenario> scenarios = new ArrayList<>();
        for (ScenarioKind kind : ScenarioKind.values()) {
            if (kind != ScenarioKind.SILENT_HOST) {
                scenarios.add(plan(kind, seed, first, window, knownBadIp, scenarios));
            }
        }
        // Planned last: the silent host must not be a host another incident of that day writes on.
        scenarios.add(ScenarioKind.SILENT_HOST.ordinal(),
                plan(ScenarioKind.SILENT_HOST, seed, first, window, knownBadIp, scenarios));
        return List.copyOf(scenarios);
    }

    private static Scenario plan(ScenarioKind kind, long seed, LocalDate first, int window,
                                 String knownBadIp, List<Scenario> others) {
        SplittableRandom rng = Seeds.random(Seeds.SCENARIO, seed, kind.ordinal());
        LocalDate day = first.plusDays(rng.nextInt(window));
        String id = String.format("scn-%02d-%s", kind.ordinal() + 1, kind.label().replace('_', '-'));
        Set<String> busy = new HashSet<>();
        others.stream().filter(s -> s.date().equals(day)).forEach(s -> busy.addAll(s.hostsWritten()));
        return switch (kind) {
            case BRUTE_FORCE -> BruteForceScenario.plan(id, day, rng);
            case ERROR_STORM -> ErrorStormScenario.plan(id, day, rng);
            case SILENT_HOST -> SilentHostScenario.plan(id, day, rng, busy);
            case NEW_TEMPLATE -> NewTemplateScenario.plan(id, day, rng);
            case BULK_EXPORT -> BulkExportScenario.plan(id, day, rng);
            case PRIVILEGE_ESCALATION -> PrivilegeEscalationScenario.plan(id, day, rng);
            case KNOWN_BAD_IP -> KnownBadIpScenario.plan(id, day, rng, knownBadIp);
            case LATENCY_DEGRADATION -> LatencyDegradationScenario.plan(id, day, rng);
            case SLOW_DEPENDENCY -> SlowDependencyScenario.plan(id, day, rng);
        };
    }
}
