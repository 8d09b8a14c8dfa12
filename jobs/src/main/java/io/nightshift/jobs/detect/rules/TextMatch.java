package io.nightshift.jobs.detect.rules;

import static org.apache.spark.sql.functions.udf;

import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

import com.google.re2j.Pattern;

/**
 * A text test of a rule leaf as one Java function per row: a search for literals, ASCII case folded on the fly,
 * then, for a regular expression, the match itself on the rows that have one.
 *
 * <p>Why not {@code lower(field).contains(..)} and {@code rlike}: Spark lower-cases a copy of the whole text for
 * each literal (a per-character case mapping through a lambda), and {@code rlike} decodes the text again; over
 * every message of a day, for every rule, that was most of the rule stage's time. Here the text is decoded once per
 * leaf and scanned once for all its literals. A regular expression is a {@code find} of the pattern (with
 * {@code (?i)} in front when case-insensitive) on RE2/J, a linear-time engine: no pattern can backtrack
 * catastrophically, and one that needs backtracking (back-references, look-around) is refused when the rule loads.
 * RE2's {@code (?i)} folds case for all of Unicode, and its {@code $} matches only at the end of the text (Java's
 * also before a final line break). A null text gives null.
 */
final class TextMatch implements UDF1<String, Boolean>, Serializable {
    private static final long serialVersionUID = 1L;

    /** The regular expressions one of which must be found; none for a test of the literals alone. */
    private final Pattern[] patterns;
    /** Literals one of which the text must contain; null when none is needed. */
    private final String[] literals;
    private final char[][] literalChars;
    /** Where a literal may begin; null when none is needed. */
    private final LiteralStarts starts;
    private final boolean foldCase;

    private TextMatch(Pattern[] patterns, Set<String> literals, boolean foldCase) {
        this.patterns = patterns;
        this.literals = literals == null ? null : literals.toArray(String[]::new);
        this.literalChars = literals == null ? null : literals.stream().map(String::toCharArray)
                .toArray(char[][]::new);
        this.foldCase = foldCase;
        this.starts = literalChars == null ? null : new LiteralStarts(List.of(literalChars));
    }

    /**
     * {@code rlike p} for any {@code p} of {@code patterns} ({@code (?i)} in front when {@code ignoreCase}), as one
     * test: the text is decoded once, and scanned once for the literals of all of them.
     */
    static TextMatch regex(List<String> patterns, boolean ignoreCase) {
        Pattern[] compiled = patterns.stream().map(p -> Pattern.compile(ignoreCase ? "(?i)" + p : p))
                .toArray(Pattern[]::new);
        // A text that holds none of the literals of any pattern matches none of them. Each pattern must have some,
        // and all must be searched alike (a leading (?i) folds case even when the rule does not ask for it).
        Set<String> literals = new LinkedHashSet<>();
        Boolean folded = null;
        for (String p : patterns) {
            var required = RegexLiterals.required(p, ignoreCase);
            if (required.isEmpty() || (folded != null && folded != required.get().folded())
                    || (required.get().folded() && !required.get().strings().stream().allMatch(TextMatch::ascii))) {
                // No literal every match needs, or a case-folded one with letters beyond ASCII, which the ASCII
                // folding scan cannot look for as RE2 folds them: every text goes to the patterns.
                return new TextMatch(compiled, null, ignoreCase);
            }
            literals.addAll(required.get().strings());
            folded = required.get().folded();
        }
        return new TextMatch(compiled, literals, folded);
    }

    /**
     * {@code lower(text)} contains one of the lower-cased {@code values}, for values of ASCII characters (null
     * otherwise: the caller keeps Spark's expression). A text with a non-ASCII character is lower-cased whole, as
     * {@code lower} does; an ASCII one is folded while it is scanned.
     */
    static TextMatch containsAnyIgnoringCase(List<String> values) {
        if (values.stream().anyMatch(v -> v.isEmpty() || !ascii(v))) {
            return null;
        }
        Set<String> lower = new LinkedHashSet<>();
        values.forEach(v -> lower.add(v.toLowerCase(Locale.ROOT)));
        return new TextMatch(new Pattern[0], lower, true);
    }

    /** This test of {@code field} as a column of its own: a Java function called once per row. */
    Column on(Column field) {
        return udf(this, DataTypes.BooleanType).apply(field);
    }

    /**
     * A plain loop: it runs on every message a literal test sees, where a stream over the chars cost more than the
     * literal scan itself (a seventh of the rule stage in a profile of the 10M-row night).
     */
    static boolean ascii(String s) {
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
        return confirms(text);
    }

    /** Whether a text that holds a needed literal (or any text, when none is needed) passes the patterns too. */
    boolean confirms(String text) {
        if (patterns.length == 0) {
            return true;
        }
        for (Pattern pattern : patterns) {
            if (pattern.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    /** The literals one of which a passing text must contain (lower-case when folded); null when none is needed. */
    char[][] literalChars() {
        return literalChars;
    }

    /**
     * Whether {@link #hasLiteral} is the folded scan of {@link #containsFolded} (which {@link TextScan} does for many
     * tests at once), for an ASCII text at least; otherwise the test looks for its literals itself.
     */
    boolean scansFoldedLiterals() {
        return literals != null && foldCase;
    }

    /** Whether a non-ASCII text is looked for otherwise than {@link #scansFoldedLiterals} says (see hasLiteral). */
    boolean literalScanDependsOnAscii() {
        return scansFoldedLiterals();
    }

    boolean hasLiteral(String text) {
        if (!foldCase) {
            return containsExact(text);
        }
        if (!ascii(text)) {
            // Some non-ASCII letters fold to ASCII ones (the Kelvin sign to 'k'): lower() maps them, and so does
            // RE2's (?i). For contains, do as lower() does; a pattern decides by itself.
            return patterns.length > 0 || containsExact(text.toLowerCase(Locale.ROOT));
        }
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
            if (!starts.mayBeginAt(text, i, c)) {
                continue;
            }
            for (char[] literal : literalChars) {
                if (literal[0] == c && i + literal.length <= n && foldedAt(text, i, literal)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean foldedAt(String text, int at, char[] literal) {
        for (int k = 1; k < literal.length; k++) {
            if (fold(text.charAt(at + k)) != literal[k]) {
                return false;
            }
        }
        return true;
    }

    static char fold(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
