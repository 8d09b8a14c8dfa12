package io.nightshift.jobs.after.report;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.nightshift.jobs.after.report.ReportData.DailyPoint;
import io.nightshift.jobs.after.report.ReportData.FindingMark;

/**
 * A daily trend chart as inline SVG, drawn on the server so the report needs no script: an upper panel with a line
 * (events per day), a lower panel with bars on its own scale (errors per day), one shared date axis, and a marker per
 * day with findings, coloured by the highest severity, whose tooltip lists the findings. Days without data are gaps
 * in the line, not zeros. A pure function of its inputs; every label goes through {@link Html#text}.
 */
final class TrendChart {
    /** Colour of the upper line; the browser test looks for it in the screenshot. */
    static final String LINE_COLOUR = "#1565c0";
    static final String BAR_COLOUR = "#6d4c41";

    private static final int WIDTH = 560;
    private static final int HEIGHT = 214;
    private static final double LEFT = 56;
    private static final double RIGHT = 12;
    private static final double MARK_Y = 11;
    private static final double UPPER_TOP = 24;
    private static final double UPPER_BOTTOM = 134;
    private static final double LOWER_TOP = 146;
    private static final double LOWER_BOTTOM = 190;
    private static final double AXIS_LABEL_Y = 206;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT);

    private final String title;
    private final String upperLabel;
    private final String lowerLabel;
    private final LocalDate first;
    private final int days;
    private final double step;

    /**
     * @param title      what the chart shows (also its accessible name)
     * @param upperLabel what the line counts, e.g. "events / day"
     * @param lowerLabel what the bars count, e.g. "errors / day"
     * @param first      the first day of the period
     * @param days       the number of days, ending on the report's date
     */
    TrendChart(String title, String upperLabel, String lowerLabel, LocalDate first, int days) {
        this.title = title;
        this.upperLabel = upperLabel;
        this.lowerLabel = lowerLabel;
        this.first = first;
        this.days = days;
        this.step = (WIDTH - LEFT - RIGHT) / days;
    }

    /**
     * @param daysWithData days that have data at all: a day in it without a point counts as 0, a day outside it
     *                     is a gap
     * @param points       the values per day (any order; days outside the period are ignored)
     * @param marks        findings per day (days outside the period are ignored)
     */
    String svg(Set<LocalDate> daysWithData, List<DailyPoint> points, List<FindingMark> marks) {
        Long[] upper = new Long[days];
        Long[] lower = new Long[days];
        Map<LocalDate, DailyPoint> byDay = new HashMap<>();
        points.forEach(p -> byDay.put(p.date(), p));
        for (int i = 0; i < days; i++) {
            LocalDate d = first.plusDays(i);
            DailyPoint p = byDay.get(d);
            if (p != null) {
                upper[i] = p.events();
                lower[i] = p.errors();
            } else if (daysWithData.contains(d)) {
                upper[i] = 0L;
                lower[i] = 0L;
            }
        }
        long upperMax = niceMax(max(upper));
        long lowerMax = niceMax(max(lower));
        StringBuilder s = new StringBuilder(4096);
        s.append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\">");
        s.append("<title>").append(Html.text(title)).append("</title>");
        frame(s, upperMax, lowerMax);
        line(s, upper, upperMax);
        bars(s, lower, lowerMax);
        dateAxis(s);
        for (FindingMark m : marks) {
            mark(s, m);
        }
        s.append("</svg>");
        return s.toString();
    }

    private void frame(StringBuilder s, long upperMax, long lowerMax) {
        double right = WIDTH - RIGHT;
        s.append("<g class=\"axes\">");
        for (double y : new double[] {UPPER_TOP, (UPPER_TOP + UPPER_BOTTOM) / 2}) {
            s.append(lineEl(LEFT, y, right, y, "grid"));
        }
        s.append(lineEl(LEFT, LOWER_TOP, right, LOWER_TOP, "grid"));
        s.append(lineEl(LEFT, UPPER_BOTTOM, right, UPPER_BOTTOM, "base"));
        s.append(lineEl(LEFT, LOWER_BOTTOM, right, LOWER_BOTTOM, "base"));
        label(s, LEFT - 4, UPPER_TOP + 4, "end", compact(upperMax));
        label(s, LEFT - 4, (UPPER_TOP + UPPER_BOTTOM) / 2 + 4, "end", compact(upperMax / 2));
        label(s, LEFT - 4, UPPER_BOTTOM + 4, "end", "0");
        label(s, LEFT - 4, LOWER_TOP + 4, "end", compact(lowerMax));
        label(s, LEFT - 4, LOWER_BOTTOM + 4, "end", "0");
        s.append("<text class=\"series\" x=\"").append(num(LEFT + 4)).append("\" y=\"").append(num(UPPER_TOP + 12))
                .append("\">").append(Html.text(upperLabel)).append("</text>");
        s.append("<text class=\"series\" x=\"").append(num(LEFT + 4)).append("\" y=\"").append(num(LOWER_TOP + 12))
                .append("\">").append(Html.text(lowerLabel)).append("</text>");
        s.append("</g>");
    }

    /** The upper series as a filled area under a line, one path per run of consecutive days with data. */
    private void line(StringBuilder s, Long[] values, long max) {
        for (List<Integer> run : runs(values)) {
            StringBuilder d = new StringBuilder();
            for (int k = 0; k < run.size(); k++) {
                int i = run.get(k);
                d.append(k == 0 ? "M" : " L").append(num(x(i))).append(' ')
                        .append(num(y(values[i], max, UPPER_TOP, UPPER_BOTTOM)));
            }
            if (run.size() == 1) {
                // A single day has no line to draw: a dot says it is there.
                int i = run.get(0);
                s.append("<circle class=\"dot\" cx=\"").append(num(x(i))).append("\" cy=\"")
                        .append(num(y(values[i], max, UPPER_TOP, UPPER_BOTTOM))).append("\" r=\"3\" fill=\"")
                        .append(LINE_COLOUR).append("\"/>");
                continue;
            }
            String area = d + " L" + num(x(run.get(run.size() - 1))) + ' ' + num(UPPER_BOTTOM)
                    + " L" + num(x(run.get(0))) + ' ' + num(UPPER_BOTTOM) + " Z";
            s.append("<path class=\"area\" d=\"").append(area).append("\" fill=\"").append(LINE_COLOUR)
                    .append("\" fill-opacity=\"0.12\" stroke=\"none\"/>");
            s.append("<path class=\"line\" d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(LINE_COLOUR)
                    .append("\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>");
        }
    }

    private void bars(StringBuilder s, Long[] values, long max) {
        double w = Math.max(1.0, step * 0.6);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null || values[i] == 0) {
                continue;
            }
            double top = y(values[i], max, LOWER_TOP, LOWER_BOTTOM);
            s.append("<rect class=\"bar\" x=\"").append(num(x(i) - w / 2)).append("\" y=\"").append(num(top))
                    .append("\" width=\"").append(num(w)).append("\" height=\"")
                    .append(num(Math.max(0.5, LOWER_BOTTOM - top))).append("\" fill=\"").append(BAR_COLOUR)
                    .append("\"><title>").append(Html.text(first.plusDays(i) + ": " + group(values[i]) + " "
                            + lowerLabel)).append("</title></rect>");
        }
    }

    /** Date labels about weekly, always including the last day (the report's night). */
    private void dateAxis(StringBuilder s) {
        int every = Math.max(1, (int) Math.ceil(days / 7.0));
        if (days > 7 && days <= 56) {
            every = 7;
        }
        for (int i = days - 1; i >= 0; i -= every) {
            label(s, x(i), AXIS_LABEL_Y, "middle", DAY.format(first.plusDays(i)));
            s.append(lineEl(x(i), LOWER_BOTTOM, x(i), LOWER_BOTTOM + 3, "base"));
        }
    }

    private void mark(StringBuilder s, FindingMark m) {
        long i = ChronoUnit.DAYS.between(first, m.date());
        if (i < 0 || i >= days) {
            return;
        }
        String colour = Severities.colour(m.severity());
        StringBuilder tip = new StringBuilder(m.date() + ": " + m.count() + (m.count() == 1 ? " finding" : " findings")
                + " (highest severity: " + m.severity() + ")");
        for (String t : m.topTitles()) {
            tip.append("\n- ").append(t);
        }
        if (m.count() > m.topTitles().size()) {
            tip.append("\n- and ").append(m.count() - m.topTitles().size()).append(" more");
        }
        double x = x((int) i);
        s.append("<g class=\"mark\"><title>").append(Html.text(tip.toString())).append("</title>");
        s.append("<line x1=\"").append(num(x)).append("\" y1=\"").append(num(MARK_Y + 6)).append("\" x2=\"")
                .append(num(x)).append("\" y2=\"").append(num(LOWER_BOTTOM)).append("\" stroke=\"").append(colour)
                .append("\" stroke-width=\"1.5\" stroke-dasharray=\"3 2\"/>");
        s.append("<circle cx=\"").append(num(x)).append("\" cy=\"").append(num(MARK_Y)).append("\" r=\"7\" fill=\"")
                .append(colour).append("\"/>");
        s.append("<text class=\"count\" x=\"").append(num(x)).append("\" y=\"").append(num(MARK_Y + 3))
                .append("\" text-anchor=\"middle\">").append(m.count() > 99 ? "99+" : Long.toString(m.count()))
                .append("</text></g>");
    }

    private double x(int i) {
        return LEFT + (i + 0.5) * step;
    }

    private static double y(long value, long max, double top, double bottom) {
        return bottom - (bottom - top) * value / (double) max;
    }

    private static List<List<Integer>> runs(Long[] values) {
        List<List<Integer>> runs = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                if (!current.isEmpty()) {
                    runs.add(current);
                    current = new ArrayList<>();
                }
            } else {
                current.add(i);
            }
        }
        if (!current.isEmpty()) {
            runs.add(current);
        }
        return runs;
    }

    private static long max(Long[] values) {
        long m = 0;
        for (Long v : values) {
            if (v != null && v > m) {
                m = v;
            }
        }
        return m;
    }

    /** The smallest 2, 4, 6, 8 or 10 × 10^k that is ≥ {@code max}: round, and half of it (the mid gridline) too. */
    static long niceMax(long max) {
        long p = 1;
        while (true) {
            for (long f : new long[] {2, 4, 6, 8, 10}) {
                if (f * p >= max) {
                    return f * p;
                }
            }
            p *= 10;
        }
    }

    /** 1234 → "1.2k", 3000000 → "3M": axis labels stay short. */
    static String compact(long v) {
        if (v >= 1_000_000_000L) {
            return trim(v / 1e9) + "G";
        }
        if (v >= 1_000_000L) {
            return trim(v / 1e6) + "M";
        }
        if (v >= 1_000L) {
            return trim(v / 1e3) + "k";
        }
        return Long.toString(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    static String group(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static void label(StringBuilder s, double x, double y, String anchor, String text) {
        s.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" text-anchor=\"")
                .append(anchor).append("\">").append(Html.text(text)).append("</text>");
    }

    private static String lineEl(double x1, double y1, double x2, double y2, String cls) {
        return "<line class=\"" + cls + "\" x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2)
                + "\" y2=\"" + num(y2) + "\"/>";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
