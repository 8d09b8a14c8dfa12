package io.nightshift.jobs.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.redaction.Redactor;

/**
 * The {@code redaction:} section: which secrets and personal data are masked, and where.
 *
 * @param reports  mask log-derived text in the HTML report (default true: a report is mailed and shared)
 * @param evidence mask the log rows preserved as incident evidence (default false: evidence is kept as the lake had
 *                 it unless the organisation decides otherwise; the integrity hash then covers the masked text)
 * @param patterns the patterns in force, by name: the built-ins chosen with {@code builtins} (default all) and any
 *                 {@code custom} ones
 */
public record RedactionConfig(boolean reports, boolean evidence, Map<String, Pattern> patterns) {
    public RedactionConfig {
        patterns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(patterns));
    }

    /** The section as YAML gives it. */
    public record Raw(Boolean reports, Boolean evidence, List<String> builtins, Map<String, String> custom) {
    }

    public static RedactionConfig defaults() {
        return new RedactionConfig(true, false, Redactor.BUILT_INS);
    }

    /**
     * Fills defaults and validates.
     *
     * @throws NightshiftException (bad config) naming the key at fault
     */
    public static RedactionConfig resolve(Raw raw, String origin) {
        if (raw == null) {
            return defaults();
        }
        Map<String, Pattern> patterns = new LinkedHashMap<>();
        List<String> builtins = raw.builtins() == null ? new ArrayList<>(Redactor.BUILT_INS.keySet()) : raw.builtins();
        for (String name : builtins) {
            Pattern p = Redactor.BUILT_INS.get(name);
            if (p == null) {
                throw NightshiftException.badConfig(origin + ": redaction.builtins has unknown pattern '" + name
                        + "'; built-in patterns are " + Redactor.BUILT_INS.keySet());
            }
            patterns.put(name, p);
        }
        if (raw.custom() != null) {
            for (var e : raw.custom().entrySet()) {
                String key = "redaction.custom." + e.getKey();
                if (!e.getKey().matches("[a-z][a-z0-9_]*")) {
                    throw NightshiftException.badConfig(origin + ": " + key + ": a pattern name is lower case letters, "
                            + "digits and underscores (it appears in the mask, [REDACTED:name])");
                }
                if (patterns.containsKey(e.getKey())) {
                    throw NightshiftException.badConfig(origin + ": " + key + " has the name of a built-in pattern");
                }
                if (e.getValue() == null || e.getValue().isEmpty()) {
                    throw NightshiftException.badConfig(origin + ": " + key + " is empty");
                }
                try {
                    Pattern p = Pattern.compile(e.getValue());
                    if (p.matcher("").matches()) {
                        throw NightshiftException.badConfig(origin + ": " + key + " matches the empty string, so "
                                + "it would mask between every character");
                    }
                    patterns.put(e.getKey(), p);
                } catch (PatternSyntaxException bad) {
                    throw NightshiftException.badConfig(origin + ": " + key + " is not a valid Java regular "
                            + "expression: " + bad.getDescription() + " near index " + bad.getIndex());
                }
            }
        }
        return new RedactionConfig(raw.reports() == null || raw.reports(),
                raw.evidence() != null && raw.evidence(), patterns);
    }

    public Redactor redactor() {
        return new Redactor(patterns);
    }
}
