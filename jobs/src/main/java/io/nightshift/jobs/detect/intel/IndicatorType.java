package io.nightshift.jobs.detect.intel;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What an indicator's value is, how it is normalised so feed values and log values compare equal, and how much a
 * match on it is worth ({@link #weight}: a file hash or full URL is more specific than an IP, which may be shared
 * or reassigned; a user agent is trivially spoofed).
 */
public enum IndicatorType {
    IP(0.9, Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]+")),
    DOMAIN(0.85, Pattern.compile("(?i)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}")),
    URL(0.95, Pattern.compile("(?i)[a-z][a-z0-9+.-]*://\\S+")),
    SHA256(1.0, Pattern.compile("(?i)[0-9a-f]{64}")),
    USER_AGENT(0.6, Pattern.compile("\\S.*"));

    /** Compiled once: candidates from every log row are normalised with it while intel matching runs. */
    private static final java.util.Map<String, IndicatorType> BY_WORD = java.util.Arrays.stream(values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(IndicatorType::word, t -> t));

    private final double weight;
    private final Pattern valid;

    IndicatorType(double weight, Pattern valid) {
        this.weight = weight;
        this.valid = valid;
    }

    public double weight() {
        return weight;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static IndicatorType parse(String word) {
        return word == null ? null : BY_WORD.get(word.trim().toLowerCase(Locale.ROOT));
    }

    /** The type of an exact {@link #word()} (as candidates and the indicator table carry it), or null. */
    static IndicatorType ofWord(String word) {
        return BY_WORD.get(word);
    }

    /**
     * The value as it is compared: IPs, domains and hashes lower-cased (domains without a trailing dot), URLs and
     * user agents trimmed only (paths and agents are case-sensitive).
     */
    public String normalize(String value) {
        String v = value.trim();
        return switch (this) {
            case IP, SHA256 -> v.toLowerCase(Locale.ROOT);
            case DOMAIN -> withoutTrailingDot(v.toLowerCase(Locale.ROOT));
            case URL, USER_AGENT -> v;
        };
    }

    /**
     * The fully qualified form's one trailing dot removed. Intel matching normalises every domain candidate of every
     * log row (and each parent domain): a regular expression here was a tenth of its time.
     */
    private static String withoutTrailingDot(String domain) {
        return domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    }

    public boolean isValid(String normalized) {
        return valid.matcher(normalized).matches();
    }
}
