package io.nightshift.jobs.after.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.nightshift.jobs.after.report.ReportData.AnomalousWindow;
import io.nightshift.jobs.after.report.ReportData.Count;
import io.nightshift.jobs.after.report.ReportData.DailyPoint;
import io.nightshift.jobs.after.report.ReportData.DetectorCount;
import io.nightshift.jobs.after.report.ReportData.Finding;
import io.nightshift.jobs.after.report.ReportData.FindingMark;
import io.nightshift.jobs.after.report.ReportData.Incident;
import io.nightshift.jobs.after.report.ReportData.ModelVersion;
import io.nightshift.jobs.after.report.ReportData.NightVolume;
import io.nightshift.jobs.after.report.ReportData.RuleFired;
import io.nightshift.jobs.after.report.ReportData.Scope;
import io.nightshift.jobs.after.report.ReportData.Series;
import io.nightshift.jobs.after.report.ReportData.Template;
import io.nightshift.jobs.after.report.ReportData.TemplateContribution;

/** The HTML writer on hand-made data, without Spark: hostile strings in every field come out as text. */
class HtmlReportWriterTest {
    static final String SCRIPT = "<script>alert(1)</script>";
    static final String SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";
    /** Breaks out of a double-quoted attribute if quotes were not escaped. */
    static final String QUOTES = "\" onmouseover=\"alert(2)\" x='";
    static final String AMPERSAND = "R&D <b>bold</b>";

    /** A report whose every string field carries {@code evil}. */
    static ReportData report(String evil) {
        LocalDate date = LocalDate.parse("2026-11-21");
        Instant t = Instant.parse("2026-11-21T03:04:05Z");
        List<DailyPoint> points = List.of(new DailyPoint(date.minusDays(2), 1200, 30),
                new DailyPoint(date.minusDays(1), 1500, 45), new DailyPoint(date, 900, 300));
        List<FindingMark> marks = List.of(new FindingMark(date, 3, "high", List.of("surge " + evil, "second")));
        Series service = new Series("svc " + evil, points, marks);
        return new ReportData(date, 7, t, "nightshift.nightshift",
                new ReportData.Run("2026-11-21-abc " + evil, "succeeded", t, t.plusSeconds(90), 1000, 12, 3, 2,
                        Map.of("findings " + evil, 5L), Map.of("read-lake", 1.5), "0.1.0 " + evil, "local[2]"),
                List.of("note " + evil),
                new ReportData.Volume(List.of(new NightVolume(date.minusDays(1), 900, 0), new NightVolume(date, 1000, 12)),
                        List.of(new Count("missing timestamp " + evil, 12)), 1),
                new ReportData.Trends(List.of(date.minusDays(2), date.minusDays(1), date),
                        new Series("all", points, marks), List.of(service), 1, List.of(new Series("eu " + evil,
                        points, List.of())), 1),
                new ReportData.NightFindings(4, 1, List.of(new DetectorCount("rule " + evil, "high", 3),
                        new DetectorCount("trend", "weird " + evil, 1)),
                        List.of(new Finding("rule", "NS-1 " + evil, "title " + evil, 88.5, "high", t, t,
                                "svc " + evil, "eu", "host-1", "user " + evil, "tenant", false))),
                List.of(new Incident("INC-1", "new", "incident " + evil, "summary " + evil, "critical", 91.0,
                        List.of("reason " + evil), "P1", List.of("priority reason " + evil), "high", "privacy",
                        "extended", t, t, new Scope(List.of("eu " + evil), List.of("dc1"), List.of("svc " + evil),
                        List.of("host " + evil), List.of("tenant " + evil), 1), List.of("rule"), 2,
                        List.of("action " + evil))), 1,
                List.of(new AnomalousWindow("host_10m", "host", "host " + evil, t, t.plusSeconds(600), 340, 99.5, 1,
                        List.of(new TemplateContribution("tpl1", "Failed for <*> " + evil, 40, 0.5, 12.3),
                                new TemplateContribution("tpl2", null, 0, 3, 1.0)))), 1,
                List.of(new Template("tpl3", "new template " + evil, 55, List.of("svc " + evil))), 1,
                new ReportData.Versions(List.of(new ModelVersion("log-anomaly", 1, t, date.minusDays(8),
                        date.minusDays(1), "active", Map.of("silhouette " + evil, 0.5), true)),
                        List.of(new RuleFired("NS-AUTH-001 " + evil, "rules/x.yml " + evil, "nightshift", "stable",
                                "high", 3))));
    }

    private static int occurrences(String haystack, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(haystack);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void scriptInEveryFieldComesOutAsEscapedTextAndThePageHasNoScriptAtAll() {
        String html = HtmlReportWriter.write(report(SCRIPT));

        assertThat(html.toLowerCase()).doesNotContain("<script", "</script");
        // Every string field above carries the payload; each place shows it as text (charts repeat some of them).
        assertThat(occurrences(html, SCRIPT_ESCAPED)).isGreaterThanOrEqualTo(30);
        assertThat(html).contains("incident " + SCRIPT_ESCAPED, "summary " + SCRIPT_ESCAPED,
                "Failed for &lt;*&gt; " + SCRIPT_ESCAPED, "new template " + SCRIPT_ESCAPED,
                "<figcaption>svc " + SCRIPT_ESCAPED + "</figcaption>", "surge " + SCRIPT_ESCAPED,
                "reason " + SCRIPT_ESCAPED, "priority reason " + SCRIPT_ESCAPED);
    }

    @Test
    void redactionMasksSecretsInEveryFieldWhileTheUnmaskedReportShowsThem() {
        String secrets = "mallory@evil.example Bearer abc.def.ghi card 4111 1111 1111 1111";
        ReportData raw = report(secrets);

        String masked = HtmlReportWriter.write(RedactedReport.of(raw,
                io.nightshift.jobs.config.RedactionConfig.defaults().redactor()::apply));
        assertThat(masked).doesNotContain("mallory", "abc.def.ghi", "4111 1111 1111 1111");
        String mask = "[REDACTED:email] Bearer [REDACTED:bearer_token] card [REDACTED:credit_card]";
        // Every field carried the secrets (see report()); every place shows the mask instead.
        assertThat(occurrences(masked, mask)).isGreaterThanOrEqualTo(30);
        assertThat(masked).contains("incident " + mask, "summary " + mask, "surge " + mask,
                "Failed for &lt;*&gt; " + mask);

        String shown = HtmlReportWriter.write(raw);
        assertThat(occurrences(shown, "mallory@evil.example")).isGreaterThanOrEqualTo(30);
        // The copy is complete: the same values apart from the masks.
        assertThat(RedactedReport.of(raw, s -> s)).isEqualTo(raw);
    }

    @Test
    void quotesCannotLeaveAnAttributeAndAmpersandsAreEscaped() {
        String html = HtmlReportWriter.write(report(QUOTES + " " + AMPERSAND));

        assertThat(html).doesNotContain("onmouseover=\"", "x='", "R&D", "<b>");
        assertThat(html).contains("&quot; onmouseover=&quot;alert(2)&quot; x=&#39; R&amp;D &lt;b&gt;bold&lt;/b&gt;");
        // Only the writer's own attributes exist: every attribute name in the page is from this fixed list.
        Matcher attr = Pattern.compile("\\s([a-zA-Z-]+)=\"").matcher(html);
        while (attr.find()) {
            assertThat(attr.group(1)).isIn("lang", "charset", "http-equiv", "content", "name", "href", "id",
                    "class", "role", "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy",
                    "r", "d", "fill", "fill-opacity", "stroke", "stroke-width", "stroke-linejoin",
                    "stroke-dasharray", "text-anchor");
        }
    }

    @Test
    void pageIsSelfContainedWithAContentSecurityPolicyThatForbidsScriptsAndNetwork() {
        String html = HtmlReportWriter.write(report("plain"));

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<meta http-equiv=\"Content-Security-Policy\" "
                + "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">");
        assertThat(html).doesNotContain("src=", "<link", "@import", "url(", "http://", "https://");
        // Links only go to the page's own sections, and every section of the table of contents exists.
        Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
        int links = 0;
        while (href.find()) {
            links++;
            assertThat(href.group(1)).startsWith("#");
            assertThat(html).contains("<section id=\"" + href.group(1).substring(1) + "\">");
        }
        assertThat(links).isEqualTo(7);
    }

    @Test
    void showsTheNightsFiguresIncidentsAndCharts() {
        String html = HtmlReportWriter.write(report("x"));

        assertThat(html).contains("<h1>Nightshift night report: 2026-11-21</h1>", "1,000", "rows quarantined (1.20%)",
                "missing timestamp x", "P1", "badge sev-critical", "Why this severity", "host x", "tenant x (1 affected)",
                "score 99.5", "(text not in log_templates)", "<td>12.3</td>", "<td>0.5</td>", "<td>40</td>", "log-anomaly", "NS-AUTH-001 x", "weird x");
        // Volume chart, fleet chart, one service and one region chart.
        assertThat(occurrences(html, "<svg class=\"chart\"")).isEqualTo(4);
        assertThat(html).contains("stroke=\"" + TrendChart.LINE_COLOUR + "\"");
    }

    @Test
    void anEmptyNightSaysSoInsteadOfShowingEmptyTables() {
        ReportData full = report("x");
        ReportData empty = new ReportData(full.date(), full.days(), full.generatedAt(), full.tables(), full.run(),
                List.of(), new ReportData.Volume(List.of(), List.of(), 0),
                new ReportData.Trends(List.of(), new Series("all", List.of(), List.of()), List.of(), 0, List.of(), 0),
                new ReportData.NightFindings(0, 0, List.of(), List.of()), List.of(), 0, List.of(), 0, List.of(), 0,
                new ReportData.Versions(List.of(), List.of()));

        String html = HtmlReportWriter.write(empty);

        assertThat(html).contains("No row was quarantined.", "No incident was opened or updated this night.",
                "0 findings", "No trend data in this period.", "found no anomalous window",
                "Every template of the night was known to the model.", "No model is registered.",
                "No rule fired this night.");
    }
}
