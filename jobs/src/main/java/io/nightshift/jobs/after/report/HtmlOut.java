package io.nightshift.jobs.after.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Builds an HTML document in which data can only enter escaped: tag names, class names and markup come from the
 * report's own code ({@link #open}, {@link #markup}), every value from the tables goes through {@link #text} or one
 * of the helpers built on it.
 */
final class HtmlOut {
    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    static final String NONE = "–";

    private final StringBuilder sb = new StringBuilder(64 * 1024);

    /** Appends markup the report's code wrote (constants, or SVG built by {@link TrendChart}); never data. */
    HtmlOut markup(String trusted) {
        sb.append(trusted);
        return this;
    }

    /** Appends data as escaped text. */
    HtmlOut text(String data) {
        sb.append(Html.text(data));
        return this;
    }

    HtmlOut open(String tag) {
        sb.append('<').append(tag).append('>');
        return this;
    }

    /** Opens {@code tag} with a class of the report's own (a constant or a {@link Severities#cssClass}). */
    HtmlOut open(String tag, String cssClass) {
        sb.append('<').append(tag).append(" class=\"").append(Html.attr(cssClass)).append("\">");
        return this;
    }

    HtmlOut close(String tag) {
        sb.append("</").append(tag).append('>');
        return this;
    }

    /** {@code <tag>data</tag>}, the data escaped. */
    HtmlOut el(String tag, String data) {
        return open(tag).text(data).close(tag);
    }

    HtmlOut el(String tag, String cssClass, String data) {
        return open(tag, cssClass).text(data).close(tag);
    }

    /** A table row of escaped cells. */
    HtmlOut row(String... cells) {
        open("tr");
        for (String c : cells) {
            el("td", c);
        }
        return close("tr");
    }

    /** A table header row. */
    HtmlOut headerRow(String... cells) {
        open("tr");
        for (String c : cells) {
            el("th", c);
        }
        return close("tr");
    }

    /** A bulleted list of escaped items, or {@code empty} as a paragraph when there are none. */
    HtmlOut list(List<String> items, String empty) {
        if (items.isEmpty()) {
            return el("p", "muted", empty);
        }
        open("ul");
        items.forEach(i -> el("li", i));
        return close("ul");
    }

    /** A severity badge: the word, coloured by a fixed class. */
    HtmlOut severity(String severity) {
        return el("span", "badge " + Severities.cssClass(severity), severity == null ? "unknown" : severity);
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    static String time(Instant t) {
        return t == null ? NONE : MINUTE.format(t);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String decimal(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A whole number without decimals (a count kept as a double), anything else to three significant digits. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return count((long) v);
        }
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** "1 incident", "2 incidents". */
    static String plural(long n, String one, String many) {
        return count(n) + " " + (n == 1 ? one : many);
    }

    static String orNone(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }

    /** The first {@code max} items joined with ", ", and how many more there are. */
    static String joined(List<String> items, int max) {
        if (items.isEmpty()) {
            return NONE;
        }
        String shown = String.join(", ", items.subList(0, Math.min(max, items.size())));
        return items.size() > max ? shown + " and " + (items.size() - max) + " more" : shown;
    }
}
