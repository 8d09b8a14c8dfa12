package io.nightshift.lakegen.scenario;

/** The incident kinds the generator can inject; {@link #label()} is the {@code kind} in ground_truth.json. */
public enum ScenarioKind {
    BRUTE_FORCE, ERROR_STORM, SILENT_HOST, NEW_TEMPLATE, BULK_EXPORT, PRIVILEGE_ESCALATION, KNOWN_BAD_IP,
    LATENCY_DEGRADATION, SLOW_DEPENDENCY;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
