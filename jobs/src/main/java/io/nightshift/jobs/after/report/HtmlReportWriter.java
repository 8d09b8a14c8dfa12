package io.nightshift.jobs.after.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.nightshift.jobs.after.report.ReportData.Count;
import io.nightshift.jobs.after.report.ReportData.DailyPoint;
import io.nightshift.jobs.after.report.ReportData.Finding;
import io.nightshift.jobs.after.report.ReportData.NightVolume;
import io.nightshift.jobs.after.report.ReportData.Run;
import io.nightshift.jobs.after.report.ReportData.Series;

/**
 * Renders a {@link ReportData} as one self-contained HTML page: inline CSS, charts as inline SVG, no script, no
 * external font, image or link to fetch, and a Content-Security-Policy that forbids all of them should anything slip
 * in. A pure function of its input (no Spark, no IO), so it is tested on hand-made data, hostile strings included.
 * Incidents and anomalous windows are drawn by {@link IncidentsHtml} and {@link AnomaliesHtml}.
 */
public final class HtmlReportWriter {
    /** Scripts, network and external resources are all forbidden; only the page's own inline styles apply. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    private static final String[][] SECTIONS = {
            {"input", "Input and quarantine"},
            {"incidents", "Incidents"},
            {"findings", "Findings of the night"},
            {"trends", "Trends"},
            {"anomalies", "Anomalous windows"},
            {"new-templates", "New log templates"},
            {"versions", "Models and rules"},
    };

    private HtmlReportWriter() {
    }

    public static String write(ReportData data) {
        HtmlOut h = new HtmlOut();
        head(h, data);
        h.open("body");
        header(h, data);
        toc(h);
        h.open("main");
        input(h, data);
        IncidentsHtml.section(h, data.incidents(), data.incidentsTotal());
        findings(h, data);
        trends(h, data);
        AnomaliesHtml.section(h, data);
        versions(h, data);
        h.close("main");
        h.open("footer").text("Nightshift night report for " + data.date() + ", generated "
                + HtmlOut.time(data.generatedAt()) + ". Every figure comes from the Iceberg tables in "
                + data.tables() + "; query them with scripts/nightshift query.").close("footer");
        return h.close("body").markup("</html>\n").toString();
    }

    private static void head(HtmlOut h, ReportData data) {
        h.markup("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        h.markup("<meta http-equiv=\"Content-Security-Policy\" content=\"" + CONTENT_SECURITY_POLICY + "\">");
        h.markup("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        h.markup("<meta name=\"referrer\" content=\"no-referrer\">");
        h.el("title", "Nightshift report " + data.date());
        h.open("style").markup(ReportStyle.CSS).close("style");
        h.markup("</head>");
    }

    private static void header(HtmlOut h, ReportData data) {
        Run run = data.run();
        h.open("header");
        h.el("h1", "Nightshift night report: " + data.date());
        h.el("p", "meta", "Run " + run.runId() + " " + run.status() + ", " + HtmlOut.time(run.startedAt()) + " to "
                + HtmlOut.time(run.endedAt()) + "; code version " + HtmlOut.orNone(run.codeVersion()) + " on "
                + HtmlOut.orNone(run.sparkMaster()) + ". Tables " + data.tables() + ". Report generated "
                + HtmlOut.time(data.generatedAt()) + ".");
        if (!data.notes().isEmpty()) {
            h.open("div", "notes").el("strong", "Notes");
            h.list(data.notes(), "");
            h.close("div");
        }
        h.close("header");
    }

    private static void toc(HtmlOut h) {
        h.open("nav", "toc").el("h2", "Contents").open("ol");
        for (String[] s : SECTIONS) {
            h.markup("<li><a href=\"#" + s[0] + "\">").text(s[1]).markup("</a></li>");
        }
        h.close("ol").close("nav");
    }

    static void sectionStart(HtmlOut h, String id, String title) {
        h.markup("<section id=\"" + id + "\">").el("h2", title);
    }

    /**
     * Opens a section; one with nothing to show says {@code whenEmpty} and is closed again.
     *
     * @return whether the caller goes on to fill the section (and close it)
     */
    static boolean sectionWithContent(HtmlOut h, String id, String title, boolean hasContent, String whenEmpty) {
        sectionStart(h, id, title);
        if (!hasContent) {
            h.el("p", "muted", whenEmpty).close("section");
        }
        return hasContent;
    }

    private static void input(HtmlOut h, ReportData data) {
        Run run = data.run();
        sectionStart(h, "input", "Input and quarantine");
        long usable = run.inputRows() - run.quarantinedRows() - run.duplicateRows();
        h.open("div", "figures");
        figure(h, HtmlOut.count(run.inputRows()), "rows read from "
                + HtmlOut.plural(run.inputFiles(), "file", "files"));
        figure(h, HtmlOut.count(usable), "rows used");
        figure(h, HtmlOut.count(run.quarantinedRows()), "rows quarantined (" + percent(run.quarantinedRows(),
                run.inputRows()) + ")");
        figure(h, HtmlOut.count(run.duplicateRows()), "duplicate rows dropped");
        h.close("div");

        List<NightVolume> nights = data.volume().nights();
        List<DailyPoint> points = nights.stream()
                .map(n -> new DailyPoint(n.date(), n.inputRows(), n.quarantinedRows())).toList();
        Set<LocalDate> present = new HashSet<>();
        nights.forEach(n -> present.add(n.date()));
        h.open("figure", "wide").el("figcaption", "Rows read and quarantined per night, last " + data.days()
                + " days (nights without a successful run are gaps)");
        h.markup(new TrendChart("Rows read and quarantined per night", "rows read / night",
                "quarantined / night", data.firstDay(), data.days()).svg(present, points, List.of()));
        h.close("figure");

        h.el("h3", "Quarantine reasons of the night");
        List<Count> reasons = data.volume().quarantineReasons();
        if (reasons.isEmpty()) {
            h.el("p", "muted", "No row was quarantined.");
        } else {
            h.open("table").headerRow("reason", "rows");
            reasons.forEach(r -> h.row(r.label(), HtmlOut.count(r.count())));
            h.close("table");
            more(h, data.volume().quarantineReasonsTotal(), reasons.size(), "reasons");
        }
        h.el("h3", "Rows written per table and time per stage");
        h.open("table", "compact").headerRow("table", "rows written");
        new TreeMap<>(run.stageCounts()).forEach((t, n) -> h.row(t, HtmlOut.count(n)));
        h.close("table");
        h.open("table", "compact").headerRow("stage", "seconds");
        new TreeMap<>(run.stageSeconds()).forEach((s, sec) -> h.row(s, HtmlOut.decimal(sec)));
        h.close("table");
        h.close("section");
    }

    private static void figure(HtmlOut h, String value, String label) {
        h.open("div", "figure").el("span", "value", value).el("span", "label", label).close("div");
    }

    private static void findings(HtmlOut h, ReportData data) {
        var f = data.findings();
        sectionStart(h, "findings", "Findings of the night");
        h.el("p", HtmlOut.plural(f.total(), "finding", "findings") + ", of which " + HtmlOut.count(f.suppressed())
                + " suppressed (triage verdict or allowlist).");
        if (f.total() == 0) {
            h.close("section");
            return;
        }
        Map<String, Map<String, Long>> grid = new TreeMap<>();
        for (var c : f.byDetectorAndSeverity()) {
            grid.computeIfAbsent(c.detector(), k -> new TreeMap<>()).merge(c.severity(), c.count(), Long::sum);
        }
        // Columns: the known severities in order, then any other word the table holds (shown, not dropped).
        Set<String> columns = new java.util.LinkedHashSet<>(Severities.ORDER);
        grid.values().forEach(bySeverity -> columns.addAll(bySeverity.keySet()));
        h.open("table", "compact");
        List<String> header = new ArrayList<>(List.of("detector"));
        header.addAll(columns);
        h.headerRow(header.toArray(String[]::new));
        grid.forEach((detector, bySeverity) -> {
            List<String> cells = new ArrayList<>(List.of(detector));
            columns.forEach(s -> cells.add(bySeverity.containsKey(s) ? HtmlOut.count(bySeverity.get(s)) : ""));
            h.row(cells.toArray(String[]::new));
        });
        h.close("table");
        h.el("h3", "Highest-scored findings");
        h.open("table", "findings").headerRow("score", "severity", "detector", "check or rule", "title", "where",
                "seen");
        for (Finding x : f.top()) {
            h.open("tr").el("td", HtmlOut.decimal(x.score())).open("td").severity(x.severity()).close("td")
                    .el("td", x.detector()).el("td", x.detectorId())
                    .el("td", x.title() + (x.suppressed() ? " (suppressed)" : "")).el("td", where(x))
                    .el("td", HtmlOut.time(x.firstSeen()) + " to " + HtmlOut.time(x.lastSeen())).close("tr");
        }
        h.close("table");
        more(h, f.total(), f.top().size(), "findings");
        h.close("section");
    }

    private static String where(Finding f) {
        List<String> parts = new ArrayList<>();
        add(parts, "service", f.service());
        add(parts, "region", f.region());
        add(parts, "host", f.host());
        add(parts, "user", f.user());
        add(parts, "tenant", f.tenant());
        return parts.isEmpty() ? HtmlOut.NONE : String.join(", ", parts);
    }

    private static void add(List<String> parts, String name, String value) {
        if (value != null && !value.isEmpty()) {
            parts.add(name + " " + value);
        }
    }

    private static void trends(HtmlOut h, ReportData data) {
        var t = data.trends();
        sectionStart(h, "trends", "Trends");
        h.el("p", "Events (line, upper scale) and errors (bars, lower scale) per day from trend_daily, "
                + data.firstDay() + " to " + data.date() + ". A marker above a day means the night's run found "
                + "something on that series; its colour is the highest severity and hovering lists the findings "
                + "(suppressed findings are not marked).");
        legend(h);
        Set<LocalDate> days = new HashSet<>(t.daysWithData());
        h.open("div", "charts");
        chart(h, data, days, t.fleet(), "All services, all regions");
        h.close("div");
        h.el("h3", "Per service");
        charts(h, data, days, t.services(), t.servicesTotal(), "services");
        h.el("h3", "Per region");
        charts(h, data, days, t.regions(), t.regionsTotal(), "regions");
        h.close("section");
    }

    private static void legend(HtmlOut h) {
        h.open("p", "legend");
        for (String s : Severities.ORDER) {
            h.severity(s).text(" ");
        }
        h.close("p");
    }

    private static void charts(HtmlOut h, ReportData data, Set<LocalDate> days, List<Series> series, long total,
                               String what) {
        if (series.isEmpty()) {
            h.el("p", "muted", "No trend data in this period.");
            return;
        }
        h.open("div", "charts");
        series.forEach(s -> chart(h, data, days, s, s.name()));
        h.close("div");
        if (total > series.size()) {
            h.el("p", "muted", "The " + series.size() + " busiest of " + total + " " + what + " are charted.");
        }
    }

    private static void chart(HtmlOut h, ReportData data, Set<LocalDate> days, Series s, String caption) {
        h.open("figure").el("figcaption", caption);
        h.markup(new TrendChart(caption, "events / day", "errors / day", data.firstDay(), data.days())
                .svg(days, s.points(), s.marks()));
        h.close("figure");
    }

    private static void versions(HtmlOut h, ReportData data) {
        var v = data.versions();
        sectionStart(h, "versions", "Models and rules");
        h.el("p", "Code version of the run: " + HtmlOut.orNone(data.run().codeVersion()) + ".");
        h.el("h3", "Log-anomaly model versions");
        if (v.models().isEmpty()) {
            h.el("p", "muted", "No model is registered.");
        } else {
            h.open("table").headerRow("model", "version", "used this night", "status", "trained", "training days",
                    "metrics");
            for (var m : v.models()) {
                List<String> metrics = new ArrayList<>();
                new TreeMap<>(m.metrics()).forEach((k, val) -> metrics.add(k + " " + HtmlOut.number(val)));
                h.row(m.name(), Integer.toString(m.version()), m.usedThisNight() ? "yes" : "",
                        HtmlOut.orNone(m.status()), HtmlOut.time(m.trainedAt()),
                        m.trainingFrom() + " to " + m.trainingTo(), HtmlOut.joined(metrics, 8));
            }
            h.close("table");
        }
        h.el("h3", "Rules that fired");
        if (v.rules().isEmpty()) {
            h.el("p", "muted", "No rule fired this night.");
        } else {
            h.el("p", "muted", "Rules carry no version number; each is identified by its id and the file it was "
                    + "loaded from, as the findings recorded them, together with the code version above.");
            h.open("table").headerRow("rule", "file", "format", "status", "declared severity", "findings");
            v.rules().forEach(r -> h.row(r.ruleId(), HtmlOut.orNone(r.file()), HtmlOut.orNone(r.format()),
                    HtmlOut.orNone(r.status()), HtmlOut.orNone(r.severity()), HtmlOut.count(r.findings())));
            h.close("table");
        }
        h.close("section");
    }

    /** "N more ... not shown" when a list was cut. */
    static void more(HtmlOut h, long total, int shown, String what) {
        if (total > shown) {
            h.el("p", "muted", HtmlOut.count(total - shown) + " more " + what + " not shown (" + HtmlOut.count(total)
                    + " in all).");
        }
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "0%" : String.format(java.util.Locale.ROOT, "%.2f%%", 100.0 * part / whole);
    }
}
