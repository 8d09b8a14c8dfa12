package io.nightshift.jobs.detect.rules;

/**
 * One problem found in a rule file, before any data is read: where it is ({@code file}, 1-based {@code line}), which
 * rule ({@code ruleId}, "?" when the id itself is missing) and what is wrong. {@link #toString()} is the line
 * {@code nightshift rules check} prints: {@code FILE:LINE: rule ID: reason}.
 */
public record RuleValidationError(String file, int line, String ruleId, String reason) {
    @Override
    public String toString() {
        return file + ":" + line + ": rule " + (ruleId == null ? "?" : ruleId) + ": " + reason;
    }
}
