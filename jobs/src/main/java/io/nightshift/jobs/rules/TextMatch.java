package io.nightshift.jobs.rules;

import static org.apache.spark.sql.functions.udf;

import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * A text test of a rule leaf as one Java function per row: a search for literals, ASCII case folded on the fly,
 * then, for a regular expression, the match itself on the rows that have one.
 *
 * <p>Why not {@code lower(field).contains(..)} and {@code rlike}: Spark lower-cases a copy of the whole text for
 * each literal (a per-character case mapping through a lambda), and {@code rlike} decodes the text again; over
 * every message of a day, for every rule, that was most of the rule stage's time. Here the text is decoded once per
 * leaf and scanned once for all its literals. Semantics are Spark's: {@code rlike} is a {@code find} of the pattern
 * (with {@code (?i)} in front when case-insensitive, which folds ASCII letters only); a null text gives null.
 */
final class TextMatch implements UDF1<String, Boolean>, Serializable {
    private static final long serialVersionUID = 1L;

    /** The regular expression to find, or null for a test of the literals alone. */
    private final Pattern pattern;
    /** Literals one of which the text must contain; null when none is needed. */
    private final String[] literals;
    private final char[][] literalChars;
    private final boolean foldCase;

    private TextMatch(Pattern pattern, Set<String> literals, boolean foldCase) {
        this.pattern = pattern;
        this.literals = literals == null ? null : literals.toArray(String[]::new);
        this.literalChars = literals == null ? null : literals.stream().map(String::toCharArray)
                .toArray(char[][]::new);
        this.foldCase = foldCase;
    }

    /** {@code field rlike pattern} ({@code (?i)} in front when {@code ignoreCase}), as a boolean column. */
    static Column regex(Column field, String pattern, boolean ignoreCase) {
        Pattern compiled = Pattern.compile(ignoreCase ? "(?i)" + pattern : pattern);
        // A leading (?i) folds case even when the rule does not ask for it: the literals say which applies.
        return RegexLiterals.required(pattern, ignoreCase)
                .map(l -> apply(new TextMatch(compiled, l.strings(), l.folded()), field))
                .orElseGet(() -> apply(new TextMatch(compiled, null, ignoreCase), field));
    }

    /**
     * {@code lower(field)} contains one of the lower-cased {@code values}, for values of ASCII characters (null
     * otherwise: the caller keeps Spark's expression). A text with a non-ASCII character is lower-cased whole, as
     * {@code lower} does; an ASCII one is folded while it is scanned.
     */
    static Column containsAnyIgnoringCase(Column field, List<String> values) {
        if (values.stream().anyMatch(v -> v.isEmpty() || !ascii(v))) {
            return null;
        }
        Set<String> lower = new LinkedHashSet<>();
        values.forEach(v -> lower.add(v.toLowerCase(Locale.ROOT)));
        return apply(new TextMatch(null, lower, true), field);
    }

    private static Column apply(TextMatch test, Column field) {
        return udf(test, DataTypes.BooleanType).apply(field);
    }

    /**
     * A plain loop: it runs on every message a literal test sees, where a stream over the chars cost more than the
     * literal scan itself (a seventh of the rule stage in a profile of the 10M-row night).
     */
    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Boolean call(String text) {
        if (text == null) {
            return null;
        }
        if (literals != null && !hasLiteral(text)) {
            return false;
        }
        return pattern == null || pattern.matcher(text).find();
    }

    private boolean hasLiteral(String text) {
        if (!foldCase) {
            return containsExact(text);
        }
        if (pattern == null && !ascii(text)) {
            // lower() maps some non-ASCII letters to ASCII ones (the Kelvin sign to 'k'): do as it does
            return containsExact(text.toLowerCase(Locale.ROOT));
        }
        // Java's (?i) folds ASCII letters only, so for a pattern the folded scan is exact whatever the text
        return containsFolded(text);
    }

    private boolean containsExact(String text) {
        for (String literal : literals) {
            if (text.contains(literal)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the text, its ASCII capitals read as small letters, contains one of the (lower-case) literals. */
    private boolean containsFolded(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = fold(text.charAt(i));
            for (char[] literal : literalChars) {
                if (literal[0] == c && i + literal.length <= n && foldedAt(text, i, literal)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean foldedAt(String text, int at, char[] literal) {
        for (int k = 1; k < literal.length; k++) {
            if (fold(text.charAt(at + k)) != literal[k]) {
                return false;
            }
        }
        return true;
    }

    private static char fold(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
