package io.nightshift.jobs.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses window lengths as written in the config ("10 minutes", "1 hour", "1 day"). */
public final class WindowLength {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(second|minute|hour|day|week)s?");

    private WindowLength() {
    }

    public static long seconds(String window) {
        Matcher m = FORM.matcher(window.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("window '" + window + "' is not of the form '<n> minutes|hours|days'");
        }
        long n = Long.parseLong(m.group(1));
        return n * switch (m.group(2)) {
            case "second" -> 1;
            case "minute" -> 60;
            case "hour" -> 3600;
            case "day" -> 86400;
            default -> 604800;
        };
    }
}
