package io.nightshift.jobs.detect.rules;

import java.util.regex.Pattern;

/**
 * The MITRE ATT&CK classification of a rule: tactic and technique, each an id optionally followed by its name
 * ({@code "TA0006 Credential Access"}, {@code "T1110.001 Password Guessing"}). Either may be null.
 */
public record Mitre(String tactic, String technique) {
    /** The forms a rule file accepts. */
    public static final Pattern TACTIC = Pattern.compile("TA\\d{4}(\\s+\\S.*)?");
    public static final Pattern TECHNIQUE = Pattern.compile("T\\d{4}(\\.\\d{3})?(\\s+\\S.*)?");

    public static final Mitre NONE = new Mitre(null, null);

    /** The id part ("TA0006") of a "TA0006 Credential Access" value, for compact listings. */
    public static String idOf(String value) {
        if (value == null) {
            return "-";
        }
        int sp = value.indexOf(' ');
        return sp < 0 ? value : value.substring(0, sp);
    }
}
