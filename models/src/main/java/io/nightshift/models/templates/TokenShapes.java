package io.nightshift.models.templates;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The second masking stage, after {@link ParameterMasker}'s regular expressions: variables recognised by the shape
 * of a token, or by the token before it, that no regular expression of a value kind finds. Each rule is a property of
 * log formats in general, not of one system:
 * <ul>
 *   <li>month and weekday names ({@code Jul}, {@code Sunday}) are dates, and booleans ({@code true}, {@code FALSE})
 *   are values: both vary between lines of one statement;</li>
 *   <li>the value of a {@code key=value} pair is a value ({@code coldpatching=<*>}), quoted ones with their spaces
 *   ({@code tag="View Lock"}); the key stays;</li>
 *   <li>host names ending in a top-level domain ({@code bolt.example.com}, {@code proxy.cs.example.edu.hk}) are
 *   addresses; dotted names that end otherwise ({@code org.apache.Foo}) are kept, they are mostly code names;</li>
 *   <li>a run of letters and digits with at least as many digits as letters ({@code 0T00}, {@code de9231d},
 *   {@code node-162}'s {@code 162}) is a number or an id, even inside a longer token;</li>
 *   <li>an empty bracket pair ({@code ()}, {@code []}) is a field that happened to be empty: {@code (<*>)}, so it
 *   lines up with the same field when it is filled;</li>
 *   <li>the word after {@code user} (or {@code username}) is an account name;</li>
 *   <li>a unit after a value ({@code 1.5 KB}, {@code 3 sec}) and a bracketed variable restating the value before it
 *   ({@code 1190 bytes (1.16 KB)}) belong to that value, so a line with and without them are one template;</li>
 *   <li>adjacent variables are one variable.</li>
 * </ul>
 * Pure: the result depends on the tokens only. Each token's own rules are cached per thread (tokens recur across
 * lines), the rules that look at a neighbour run over the line.
 */
final class TokenShapes {

    static final String MASK = MinedTemplate.WILDCARD;

    private static final Set<String> CALENDAR_NAMES = Set.of(
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
            "January", "February", "March", "April", "June", "July", "August", "September", "October", "November",
            "December", "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun", "Monday", "Tuesday",
            "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");

    /** Units of size and time that follow a value after a space. */
    private static final Set<String> UNITS = Set.of("B", "KB", "MB", "GB", "TB", "PB", "kB", "KiB", "MiB", "GiB",
            "TiB", "bytes", "ns", "us", "µs", "ms", "s", "sec", "secs", "seconds", "milliseconds", "min", "mins",
            "minutes", "h", "hr", "hrs", "hours");

    /** Generic top-level domains; a two-letter country code also ends a host name of three or more labels. */
    private static final Set<String> TOP_LEVEL_DOMAINS = Set.of("com", "net", "org", "edu", "gov", "mil", "int",
            "io", "info", "biz", "local", "localdomain", "lan", "internal", "arpa");

    /** The most tokens a quoted {@code key="..."} value may span; beyond it the quote is taken as unbalanced. */
    private static final int MAX_QUOTED_TOKENS = 16;

    private static final int TOKEN_CACHE_SIZE = 8192;
    private static final ThreadLocal<Map<String, String>> TOKEN_CACHE =
            ThreadLocal.withInitial(() -> new HashMap<>(2 * TOKEN_CACHE_SIZE));

    private TokenShapes() {
    }

    /** The tokens with the shape rules applied; the input is not changed. */
    static String[] apply(String[] tokens) {
        List<String> out = new ArrayList<>(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
            String token;
            int quoteEnd = quotedValueEnd(tokens, i);
            if (quoteEnd > i) {
                token = ownShape(String.join(" ", Arrays.copyOfRange(tokens, i, quoteEnd + 1)));
                i = quoteEnd;
            } else {
                token = i > 0 && namesAUser(tokens[i - 1]) ? accountName(tokens[i]) : ownShape(tokens[i]);
            }
            if (!joinedToPrevious(out, token)) {
                out.add(token);
            }
            joinRestatement(out);
        }
        return out.toArray(new String[0]);
    }

    /** A unit after a variable joins it (its trailing punctuation kept); a mask right after a mask is dropped. */
    private static boolean joinedToPrevious(List<String> out, String token) {
        int last = out.size() - 1;
        if (last < 0 || !out.get(last).endsWith(MASK)) {
            return false;
        }
        int unitEnd = trailingPunctuationStart(token);
        if (unitEnd > 0 && UNITS.contains(token.substring(0, unitEnd))) {
            out.set(last, out.get(last) + token.substring(unitEnd));
            return true;
        }
        return MASK.equals(token) && MASK.equals(out.get(last));
    }

    /**
     * Where a quoted {@code key="a b c"} value that opens in token {@code i} closes: the index of the token holding the
     * closing quote, or {@code i} when the token holds no such value or it does not close within a few tokens.
     */
    private static int quotedValueEnd(String[] tokens, int i) {
        String token = tokens[i];
        int open = token.indexOf("=\"");
        if (open <= 0 || token.indexOf('"', open + 2) >= 0) {
            return i;
        }
        for (int j = i + 1; j < tokens.length && j <= i + MAX_QUOTED_TOKENS; j++) {
            if (tokens[j].indexOf('"') >= 0) {
                return j;
            }
        }
        return i;
    }

    /** {@code 1190 bytes (1.16 KB)}: a bracketed variable right after a variable restates it; it joins that one. */
    private static void joinRestatement(List<String> out) {
        int last = out.size() - 1;
        if (last < 1 || !out.get(last - 1).endsWith(MASK)) {
            return;
        }
        String token = out.get(last);
        char open = token.charAt(0);
        int close = token.lastIndexOf(open == '(' ? ')' : ']');
        if ((open == '(' || open == '[') && close > 0 && onlyMasksAndPunctuation(token.substring(0, close + 1))) {
            out.remove(last);
            out.set(last - 1, out.get(last - 1) + token.substring(close + 1));
        }
    }

    /** {@code user}, {@code User:}, {@code username}: the next token is an account name. */
    private static boolean namesAUser(String token) {
        int end = trailingPunctuationStart(token);
        return end == 4 && token.regionMatches(true, 0, "user", 0, 4)
                || end == 8 && token.regionMatches(true, 0, "username", 0, 8);
    }

    /** The account name at the start of the token after {@code user}, up to trailing punctuation. */
    private static String accountName(String token) {
        int end = trailingPunctuationStart(token);
        if (end == 0 || !Character.isLetterOrDigit(token.charAt(0)) || token.startsWith(MASK)) {
            return ownShape(token);
        }
        return MASK + token.substring(end);
    }

    /** The rules that look at the token alone, cached. */
    static String ownShape(String token) {
        if (MASK.equals(token)) {
            return token;
        }
        Map<String, String> cache = TOKEN_CACHE.get();
        String shaped = cache.get(token);
        if (shaped == null) {
            shaped = digitRuns(hostNames(wordValues(keyValues(emptyFields(token)))));
            if (cache.size() >= TOKEN_CACHE_SIZE) {
                cache.clear();
            }
            cache.put(token, shaped);
        }
        return shaped;
    }

    /** {@code ()}, {@code []}, {@code {}} not right after a name (a call such as {@code init()} keeps them). */
    static String emptyFields(String token) {
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i + 1 < token.length(); i++) {
            char c = token.charAt(i);
            char next = token.charAt(i + 1);
            boolean empty = c == '(' && next == ')' || c == '[' && next == ']' || c == '{' && next == '}';
            if (empty && (i == 0 || !isWordChar(token.charAt(i - 1)))) {
                if (out == null) {
                    out = new StringBuilder(token.length() + MASK.length());
                }
                out.append(token, copied, i + 1).append(MASK);
                copied = i + 1;
            }
        }
        return out == null ? token : out.append(token, copied, token.length()).toString();
    }

    /**
     * {@code key=value}: the value ({@link #valueEnd}) becomes a mask.
     */
    static String keyValues(String token) {
        int eq = token.indexOf('=');
        if (eq < 0) {
            return token;
        }
        StringBuilder out = new StringBuilder(token.length());
        int copied = 0;
        for (; eq >= 0; eq = token.indexOf('=', eq + 1)) {
            if (eq == 0 || eq < copied || !(isWordChar(token.charAt(eq - 1)) || token.charAt(eq - 1) == ']'
                    || token.charAt(eq - 1) == ')')) {
                continue;
            }
            int end = valueEnd(token, eq + 1);
            if (end > eq + 1 && !token.startsWith(MASK, eq + 1) && token.charAt(eq + 1) != '=') {
                out.append(token, copied, eq + 1).append(MASK);
                copied = end;
            }
        }
        return copied == 0 ? token : out.append(token, copied, token.length()).toString();
    }

    /**
     * Where a value starting at {@code start} ends: at {@code , ; &} or a closing bracket outside any bracket the
     * value opened ({@code WorkSource{10113}} is one value), a quoted value past its closing quote.
     */
    private static int valueEnd(String token, int start) {
        int end = start;
        if (end < token.length() && token.charAt(end) == '"' && token.indexOf('"', end + 1) > 0) {
            end = token.indexOf('"', end + 1) + 1;
        }
        int depth = 0;
        for (; end < token.length(); end++) {
            char c = token.charAt(end);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (depth == 0 && (c == ',' || c == ';' || c == '&')) {
                break;
            }
        }
        return end;
    }

    /** Words ({@code [A-Za-z0-9_]} runs) that are booleans or month and weekday names. */
    static String wordValues(String token) {
        return maskRuns(token, TokenShapes::isWordChar,
                (t, start, end) -> isBoolean(t, start, end) || isCalendarName(t.substring(start, end)));
    }

    /** {@code Jul}, {@code July}, {@code JUL}; not {@code may} or {@code sat}, which are words too. */
    private static boolean isCalendarName(String word) {
        if (CALENDAR_NAMES.contains(word)) {
            return true;
        }
        if (word.length() < 3 || !word.equals(word.toUpperCase(Locale.ROOT))) {
            return false;
        }
        return CALENDAR_NAMES.contains(word.charAt(0) + word.substring(1).toLowerCase(Locale.ROOT));
    }

    private static boolean isBoolean(String token, int start, int end) {
        int n = end - start;
        return n == 4 && token.regionMatches(true, start, "true", 0, 4)
                || n == 5 && token.regionMatches(true, start, "false", 0, 5);
    }

    /**
     * Dotted names ending in a top-level domain (see the class doc) become a mask, with any dots or dashes around
     * them; not inside an identifier ({@code x_a.example.com}).
     */
    static String hostNames(String token) {
        if (token.indexOf('.') < 0) {
            return token;
        }
        return maskRuns(token, TokenShapes::isHostChar, (t, start, end) -> {
            boolean inIdentifier = start > 0 && t.charAt(start - 1) == '_' || end < t.length() && t.charAt(end) == '_';
            return !inIdentifier && isHostName(t.substring(start, end).replaceAll("^[.-]+|[.-]+$", ""));
        });
    }

    private static boolean isHostName(String name) {
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (label.isEmpty()) {
                return false;
            }
        }
        String top = labels[labels.length - 1];
        return TOP_LEVEL_DOMAINS.contains(top.toLowerCase(Locale.ROOT)) || labels.length >= 3 && top.length() == 2
                && Character.isLowerCase(top.charAt(0)) && Character.isLowerCase(top.charAt(1));
    }

    /** Runs of ASCII letters and digits with at least as many digits as letters become a mask. */
    static String digitRuns(String token) {
        return maskRuns(token, TokenShapes::isAlphanumeric, (t, start, end) -> {
            int digits = 0;
            for (int i = start; i < end; i++) {
                digits += t.charAt(i) <= '9' ? 1 : 0;
            }
            return digits > 0 && 2 * digits >= end - start;
        });
    }

    /** Decides whether the run of characters from {@code start} to {@code end} of a token is a variable. */
    @FunctionalInterface
    private interface RunTest {
        boolean isVariable(String token, int start, int end);
    }

    /** The token with each maximal run of {@code inRun} characters that {@code test} calls variable masked. */
    private static String maskRuns(String token, CharTest inRun, RunTest test) {
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        int n = token.length();
        while (i < n) {
            if (!inRun.test(token.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && inRun.test(token.charAt(i))) {
                i++;
            }
            if (test.isVariable(token, start, i)) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(token, copied, start).append(MASK);
                copied = i;
            }
        }
        return out == null ? token : out.append(token, copied, n).toString();
    }

    @FunctionalInterface
    private interface CharTest {
        boolean test(char c);
    }

    /** Whether the token is masks and punctuation only: nothing of it would tell two templates apart. */
    static boolean onlyMasksAndPunctuation(String token) {
        boolean masked = false;
        for (int i = 0; i < token.length(); i++) {
            if (token.startsWith(MASK, i)) {
                masked = true;
                i += MASK.length() - 1;
            } else if (Character.isLetterOrDigit(token.charAt(i))) {
                return false;
            }
        }
        return masked;
    }

    /** Where the token's trailing punctuation (anything but a letter or digit) starts. */
    private static int trailingPunctuationStart(String token) {
        int end = token.length();
        while (end > 0 && !Character.isLetterOrDigit(token.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    private static boolean isWordChar(char c) {
        return isAlphanumeric(c) || c == '_';
    }

    private static boolean isAlphanumeric(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isHostChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '.';
    }
}
