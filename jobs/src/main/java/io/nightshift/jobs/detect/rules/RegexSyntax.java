package io.nightshift.jobs.detect.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Whether a rule's regular expression runs on RE2/J, the linear-time engine rules match with. RE2 takes Java's
 * syntax except what needs backtracking, which can make one pattern take seconds per message ({@code (.*a){12}$}
 * did in Java's engine): back-references ({@code \1}), look-ahead and look-behind ({@code (?=}, {@code (?!},
 * {@code (?<=}, {@code (?<!}), possessive quantifiers and atomic groups. Such a pattern is refused when the rule
 * loads, with the reason.
 */
final class RegexSyntax {
    private RegexSyntax() {
    }

    /** Why {@code pattern} cannot be used, or null when it can. */
    static String problem(String pattern) {
        try {
            Pattern.compile(pattern);
            return null;
        } catch (PatternSyntaxException e) {
            return e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "") + " in '" + pattern
                    + "'" + (needsBacktracking(pattern) ? " (rules run on RE2, a linear-time engine without "
                    + "back-references, look-around, possessive quantifiers or atomic groups; rewrite the pattern "
                    + "without them)" : "");
        }
    }

    private static boolean needsBacktracking(String pattern) {
        return pattern.matches("(?s).*(\\(\\?[=!]|\\(\\?<[=!]|\\(\\?>|\\\\[1-9]|[*+?}]\\+).*");
    }
}
