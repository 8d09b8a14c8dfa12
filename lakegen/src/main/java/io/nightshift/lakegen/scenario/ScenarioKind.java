package io.nightshift.lakegen.scenario;

/**
 * The incident kinds the generator can inject; {@link #label()} is the {@code kind} in ground_truth.json, and
 * {@link #visibility()} says whether a kind is {@code loud} (plain in any dashboard) or {@code subtle} (only a
 * per-entity baseline or a feed shows it).
 */
public enum ScenarioKind {
    BRUTE_FORCE("loud"), ERROR_STORM("loud"), SILENT_HOST("subtle"), NEW_TEMPLATE("subtle"), BULK_EXPORT("subtle"),
    PRIVILEGE_ESCALATION("loud"), KNOWN_BAD_IP("subtle"), LATENCY_DEGRADATION("subtle"), SLOW_DEPENDENCY("loud");

    private final String visibility;

    ScenarioKind(String visibility) {
        this.visibility = visibility;
    }

    public String visibility() {
        return visibility;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
