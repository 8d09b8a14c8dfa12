package io.nightshift.models.templates;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Replaces the variable parts of a log message (addresses, ids, numbers, paths, dates, ...) with {@value #MASK}
 * before its template is learned or looked up.
 *
 * <p>Why: the miner tells constants from variables by how the tokens at one position vary between messages; a value
 * masked up front can neither split a template (a host name in one line, an address in the next) nor be mistaken for
 * a constant that names an event. Masking is the per-row hot path of both {@code fit} and {@code transform}: every
 * pattern is compiled exactly once (the built-in ones statically, the extra ones when the masker is constructed),
 * never per row.
 *
 * <p>Contract: {@link #mask(String)} applies the extra (per-system) patterns first, in the given order, then the
 * built-in regular expressions in the order of {@link #BUILT_IN_RULES}, then the built-in shape rules of
 * {@link TokenShapes} (month and weekday names, booleans, {@code key=value} values, host names, digit-heavy ids, empty
 * fields, account names, units); each match becomes {@value #MASK} and the tokens are joined by single spaces. The
 * result is a pure function of the input and the configured patterns. A {@code null} message stays {@code null}.
 */
public final class ParameterMasker implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The replacement for every masked value: the wildcard of a template ({@link MinedTemplate#WILDCARD}). */
    public static final String MASK = MinedTemplate.WILDCARD;

    /**
     * One kind of variable parameter and the precompiled pattern that finds it. Both pre-checks must be exact necessary conditions of the pattern (a test compares {@link #mask} with every
     * pattern applied unconditionally).
     *
     * @param needsDigit the pattern can only match a message containing a digit
     * @param trigger    the pattern can only match a message containing one of these characters (empty: any message)
     */
    public record MaskRule(String kind, Pattern pattern, boolean needsDigit, String trigger) implements Serializable {

        /** A cheap pre-check that skips the regex scan when it cannot match. */
        boolean mayMatch(String message, boolean hasDigit) {
            if (needsDigit && !hasDigit) {
                return false;
            }
            if (trigger.isEmpty()) {
                return true;
            }
            for (int i = 0; i < trigger.length(); i++) {
                if (message.indexOf(trigger.charAt(i)) >= 0) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final String HEX = "[0-9a-fA-F]";
    private static final String IPV6 = "(?:(?:" + HEX + "{1,4}:){7}" + HEX + "{1,4}"
            + "|(?:" + HEX + "{1,4}:){1,7}:"
            + "|(?:" + HEX + "{1,4}:){0,6}:(?::?" + HEX + "{1,4}){1,7})";
    /** Fails fast at positions that cannot start an IPv6 address, before the costly alternation. */
    private static final String IPV6_START = "(?=" + HEX + "{0,4}:)";

    /**
     * Built-in rules, most specific first: a timestamp or URL must be masked before its digits are seen as numbers,
     * and an IP with port before the port is seen as a number. {@code needsDigit} and the trigger characters let
     * a message skip the rules that cannot match it: masking is the per-row cost of fit and transform.
     */
    public static final List<MaskRule> BUILT_IN_RULES = List.of(
            rule("timestamp", "\\b\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?)?\\b"
                    + "|\\b\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?\\b", true, "-:"),
            rule("url", "\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s\"'<>]+", false, ":"),
            rule("email", "\\b[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+\\b", false, "@"),
            // A uuid needs a digit of its own (all-letter ones are words): the digit pre-check is then exact.
            rule("uuid", "\\b(?=[-0-9a-fA-F]{0,35}\\d)" + HEX + "{8}-" + HEX + "{4}-" + HEX + "{4}-" + HEX + "{4}-"
                    + HEX + "{12}\\b", true, "-"),
            rule("ipv6", "\\[" + IPV6 + "\\](?::\\d{1,5})?|(?<![\\w:.])" + IPV6_START + IPV6 + "(?![\\w:.])", false, ":"),
            rule("ipv4", "(?<![\\w.])(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d{1,5})?(?![\\w.])", true, "."),
            rule("path", "(?<![\\w./<>*])(?:~|\\.{1,2})?(?:/[\\w.@%+-]+)+/?|\\b[A-Za-z]:\\\\(?:[^\\\\\\s]+\\\\)*[^\\\\\\s]*",
                    false, "/\\"),
            rule("block_id", "\\bblk_-?\\d+\\b", true, "_"),
            rule("hex", "\\b0[xX]" + HEX + "+\\b|\\b(?=" + HEX + "*\\d)(?=" + HEX + "*[a-fA-F])" + HEX + "{8,}\\b", true),
            // Every unit ends in s, or is m/min/mins or h/hr/hrs.
            rule("duration", "(?<![\\w.])\\d+(?:\\.\\d+)?(?:ns|us|µs|ms|s|sec|secs|m|min|mins|h|hr|hrs)\\b",
                    true, "smh"),
            rule("number", "(?<![\\w.]|[\\w.]-)[-+]?\\d+(?:\\.\\d+)*(?!\\w|\\.\\w)", true));

    /** The one built-in rule whose matches span whitespace ("2024-03-05 14:22:01"); the others stay in a token. */
    private static final MaskRule SPANNING_RULE = BUILT_IN_RULES.get(0);

    /** The rules applied token by token, in order. */
    private static final List<MaskRule> TOKEN_RULES = BUILT_IN_RULES.subList(1, BUILT_IN_RULES.size());

    /** Entries of the per-thread token cache; cleared when full (tokens that never recur would fill it). */
    private static final int TOKEN_CACHE_SIZE = 8192;
    private static final ThreadLocal<Map<String, String>> TOKEN_CACHE =
            ThreadLocal.withInitial(() -> new HashMap<>(2 * TOKEN_CACHE_SIZE));

    /** Two or more adjacent masks, e.g. a variable-length list of block ids, collapse into one. */
    private static final Pattern MASK_RUN = Pattern.compile("<\\*>(?:\\s+<\\*>)+");

    private final List<Pattern> extraPatterns;
    private final boolean builtInMasks;

    /**
     * @param extraPatterns additional regular expressions (e.g. the per-system ones of the logparser benchmark),
     *                      applied before the built-in rules; each is compiled here, once
     * @param builtInMasks  whether to apply {@link #BUILT_IN_RULES} after the extra patterns
     * @throws IllegalArgumentException naming the pattern when one does not compile
     */
    public ParameterMasker(List<String> extraPatterns, boolean builtInMasks) {
        List<Pattern> compiled = new ArrayList<>(extraPatterns.size());
        for (String regex : extraPatterns) {
            try {
                compiled.add(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        "Cannot compile extra mask pattern '" + regex + "': " + e.getDescription(), e);
            }
        }
        this.extraPatterns = List.copyOf(compiled);
        this.builtInMasks = builtInMasks;
    }

    /** A masker with the built-in rules only. */
    public static ParameterMasker builtIn() {
        return new ParameterMasker(List.of(), true);
    }

    /** Returns the message with every variable parameter replaced by {@value #MASK}; {@code null} stays null. */
    public String mask(String message) {
        return message == null ? null : String.join(" ", maskedTokens(message));
    }

    /** The tokens of {@link #mask(String)}: what the miner learns from and the assigner looks up. */
    public String[] maskedTokens(String message) {
        if (!builtInMasks) {
            return MinedTemplate.tokenize(withExtraPatterns(message));
        }
        return TokenShapes.apply(MinedTemplate.tokenize(maskWithRules(message)));
    }

    /** The regular-expression stage of {@link #mask}: extra patterns, then {@link #BUILT_IN_RULES}. */
    String maskWithRules(String message) {
        String masked = withExtraPatterns(message);
        if (!builtInMasks) {
            return masked;
        }
        if (mayHoldTimestamp(masked)) {
            masked = SPANNING_RULE.pattern().matcher(masked).replaceAll(MASK);
        }
        return collapseMaskRuns(maskTokens(masked));
    }

    /**
     * The definition {@link #maskWithRules} must equal: every built-in rule in turn over the whole message. Kept for
     * the test that checks the token-wise path against it.
     */
    String maskWholeMessage(String message) {
        if (message == null) {
            return null;
        }
        String masked = withExtraPatterns(message);
        if (!builtInMasks) {
            return masked;
        }
        for (MaskRule rule : BUILT_IN_RULES) {
            masked = rule.pattern().matcher(masked).replaceAll(MASK);
        }
        return masked.contains(MASK) ? MASK_RUN.matcher(masked).replaceAll(MASK) : masked;
    }

    private String withExtraPatterns(String message) {
        String masked = message;
        for (Pattern pattern : extraPatterns) {
            masked = pattern.matcher(masked).replaceAll(MASK);
        }
        return masked;
    }

    /**
     * {@link #MASK_RUN} replaced by one {@value #MASK}, without the regex: it ran over every masked line, a sixth of
     * the per-line cost of template assignment in a profile of the 10M-row night. A mask cannot overlap another, so
     * the next run starts at the next mask after this one.
     */
    static String collapseMaskRuns(String text) {
        int at = text.indexOf(MASK);
        if (at < 0) {
            return text;
        }
        int n = text.length();
        StringBuilder out = null;
        int copied = 0;
        while (at >= 0) {
            int runEnd = at + MASK.length();
            while (true) {
                int next = runEnd;
                while (next < n && isRegexSpace(text.charAt(next))) {
                    next++;
                }
                if (next == runEnd || !text.startsWith(MASK, next)) {
                    break;
                }
                runEnd = next + MASK.length();
            }
            if (runEnd > at + MASK.length()) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(text, copied, at).append(MASK);
                copied = runEnd;
            }
            at = text.indexOf(MASK, runEnd);
        }
        return out == null ? text : out.append(text, copied, n).toString();
    }

    /**
     * Applies {@link #TOKEN_RULES} to each run of non-whitespace on its own. Equal to applying them to the whole text
     * because no token rule matches across whitespace (the regex {@code \s}), every look-around and {@code \b}
     * treats whitespace as it treats the text's ends, and a mask adds no whitespace. Why: most tokens are words that
     * no rule can touch (no digit, none of {@code :@/\}) and are skipped with one look at their characters, and the
     * others are scanned only by the rules their characters allow, over the token rather than the whole line.
     */
    private static String maskTokens(String text) {
        StringBuilder out = null;
        int copied = 0;
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && isRegexSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            boolean hasDigit = false;
            boolean mayNeedMask = false;
            while (i < n && !isRegexSpace(text.charAt(i))) {
                char c = text.charAt(i);
                if (c >= '0' && c <= '9') {
                    hasDigit = true;
                    mayNeedMask = true;
                } else if (c == ':' || c == '@' || c == '/' || c == '\\') {
                    mayNeedMask = true;
                }
                i++;
            }
            if (!mayNeedMask) {
                continue;
            }
            String token = text.substring(start, i);
            String masked = maskToken(token, hasDigit);
            if (!masked.equals(token)) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(text, copied, start).append(masked);
                copied = i;
            }
        }
        return out == null ? text : out.append(text, copied, n).toString();
    }

    /**
     * The token rules' result for one token. A token of digits only, or of dotted digits, is masked whole (see
     * {@link #dottedNumber}); the others are looked up in a small per-thread cache first: the same words with digits
     * or slashes ("HTTP/1.1", an API path) recur on many lines. The cache holds results of the built-in rules only,
     * which are the same for every masker.
     */
    private static String maskToken(String token, boolean hasDigit) {
        if (digits(token, 0, token.length()) || dottedNumber(token)) {
            return MASK;
        }
        Map<String, String> cache = TOKEN_CACHE.get();
        String cached = cache.get(token);
        if (cached != null) {
            return cached;
        }
        String masked = token;
        for (MaskRule rule : TOKEN_RULES) {
            if (rule.mayMatch(masked, hasDigit)) {
                masked = rule.pattern().matcher(masked).replaceAll(MASK);
                hasDigit = hasDigit && containsDigit(masked);
            }
        }
        if (cache.size() >= TOKEN_CACHE_SIZE) {
            cache.clear();
        }
        cache.put(token, masked);
        return masked;
    }

    /**
     * Digits in groups joined by single dots ("5.1.1", "10.0.0.1", "123.45"): a whole token the number rule masks
     * when the address rule does not, so no rule need run. Such tokens are mostly values that never recur, which
     * only filled the cache.
     */
    private static boolean dottedNumber(String token) {
        int n = token.length();
        if (n == 0 || token.charAt(n - 1) == '.') {
            return false;
        }
        boolean afterDigit = false;
        for (int i = 0; i < n; i++) {
            char c = token.charAt(i);
            if (c >= '0' && c <= '9') {
                afterDigit = true;
            } else if (c == '.' && afterDigit) {
                afterDigit = false;
            } else {
                return false;
            }
        }
        return true;
    }

    /** The characters of the regex class {@code \s} (without UNICODE_CHARACTER_CLASS). */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /**
     * The timestamp rule's pre-check, exact as a necessary condition: a date holds {@code DDDD-DD-DD} and a time of
     * day {@code D:DD:DD} (D a digit, as the regex's {@code \d}). Why so exact: a digit before a dash or colon alone
     * (an id, an address with its port) sent most lines through the regex over the whole line.
     */
    static boolean mayHoldTimestamp(String text) {
        int n = text.length();
        for (int i = 1; i + 5 < n; i++) {
            char c = text.charAt(i);
            if (c == '-') {
                if (i >= 4 && text.charAt(i + 3) == '-' && digits(text, i - 4, i) && digits(text, i + 1, i + 3)
                        && digits(text, i + 4, i + 6)) {
                    return true;
                }
            } else if (c == ':' && text.charAt(i + 3) == ':' && digits(text, i - 1, i) && digits(text, i + 1, i + 3)
                    && digits(text, i + 4, i + 6)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the characters from {@code from} up to {@code to} are all ASCII digits ({@code \d}). */
    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static boolean containsDigit(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    private static MaskRule rule(String kind, String regex, boolean needsDigit) {
        return rule(kind, regex, needsDigit, "");
    }

    private static MaskRule rule(String kind, String regex, boolean needsDigit, String trigger) {
        return new MaskRule(kind, Pattern.compile(regex), needsDigit, trigger);
    }
}
