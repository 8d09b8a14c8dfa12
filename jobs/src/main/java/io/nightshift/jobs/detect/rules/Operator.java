package io.nightshift.jobs.detect.rules;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The tests a condition leaf can make on one field. Values are always Spark literals; {@code regex} patterns are
 * RE2 regular expressions (Java's syntax without back-references and look-around; see {@link RegexSyntax}),
 * compiled at load time so a bad one is a load error.
 */
public enum Operator {
    /** Equal to the one value. */
    EQUALS(false),
    /** Equal to one of the listed values. */
    IN(true),
    /** Contains the value (any of the values, when a list is given). */
    CONTAINS(true),
    STARTSWITH(true),
    ENDSWITH(true),
    /** Matches the RE2 regular expression anywhere in the value (any of the patterns, when a list is given). */
    REGEX(true),
    /** Numeric comparisons; a string field is compared as a number and never matches when it is not one. */
    GT(false), GTE(false), LT(false), LTE(false),
    /** {@code true}: the field has a value; {@code false}: it is null. */
    EXISTS(false);

    private final boolean acceptsList;

    Operator(boolean acceptsList) {
        this.acceptsList = acceptsList;
    }

    public boolean acceptsList() {
        return acceptsList;
    }

    public boolean numeric() {
        return this == GT || this == GTE || this == LT || this == LTE;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Operator parse(String word) {
        for (Operator o : values()) {
            if (o.word().equals(word)) {
                return o;
            }
        }
        return null;
    }

    public static String words() {
        return Arrays.stream(values()).map(Operator::word).collect(Collectors.joining(", "));
    }
}
