package io.nightshift.jobs.after.report;

import io.nightshift.jobs.after.report.ReportData.AnomalousWindow;
import io.nightshift.jobs.after.report.ReportData.Template;
import io.nightshift.jobs.after.report.ReportData.TemplateContribution;

/**
 * The report's log-clustering sections: the night's most anomalous windows with the templates that explain them,
 * and the templates first seen this night. Template text is log content, shown as escaped code.
 */
final class AnomaliesHtml {
    private AnomaliesHtml() {
    }

    static void section(HtmlOut h, ReportData data) {
        windows(h, data);
        newTemplates(h, data);
    }

    private static void windows(HtmlOut h, ReportData data) {
        if (!HtmlReportWriter.sectionWithContent(h, "anomalies", "Anomalous windows",
                !data.anomalousWindows().isEmpty(), "The clustering detector found no anomalous window this night.")) {
            return;
        }
        h.el("p", HtmlOut.plural(data.anomalousWindowsTotal(), "window", "windows") + " scored anomalous; the "
                + "highest-scored first. Scores are calibrated on the training windows (99: farther from every "
                + "cluster than any training window). Each window lists the templates that contribute most to its distance: how "
                + "often they were logged in the window against what its cluster expects.");
        for (AnomalousWindow w : data.anomalousWindows()) {
            h.open("article", "window");
            h.el("h3", w.view() + " · " + w.entityType() + " " + HtmlOut.orNone(w.entity()) + " · score "
                    + HtmlOut.decimal(w.score()));
            h.el("p", "meta", HtmlOut.time(w.windowStart()) + " to " + HtmlOut.time(w.windowEnd()) + " · "
                    + HtmlOut.count(w.lineCount()) + " log lines · model version " + w.modelVersion());
            if (w.templates().isEmpty()) {
                h.el("p", "muted", "No explaining template was recorded.");
            } else {
                h.open("table", "templates").headerRow("template", "observed", "expected", "contribution");
                for (TemplateContribution t : w.templates()) {
                    h.open("tr").open("td");
                    template(h, t.templateId(), t.template());
                    h.close("td").el("td", HtmlOut.number(t.observed())).el("td", HtmlOut.number(t.expected()))
                            .el("td", HtmlOut.number(t.contribution())).close("tr");
                }
                h.close("table");
            }
            h.close("article");
        }
        HtmlReportWriter.more(h, data.anomalousWindowsTotal(), data.anomalousWindows().size(), "anomalous windows");
        h.close("section");
    }

    private static void newTemplates(HtmlOut h, ReportData data) {
        if (!HtmlReportWriter.sectionWithContent(h, "new-templates", "New log templates",
                !data.newTemplates().isEmpty(), "Every template of the night was known to the model.")) {
            return;
        }
        h.el("p", HtmlOut.plural(data.newTemplatesTotal(), "template was", "templates were") + " logged this night "
                + "that the model was not trained on; the most frequent first.");
        h.open("table", "templates").headerRow("template", "events", "services");
        for (Template t : data.newTemplates()) {
            h.open("tr").open("td");
            template(h, t.templateId(), t.template());
            h.close("td").el("td", HtmlOut.count(t.eventCount())).el("td", HtmlOut.joined(t.services(), 6))
                    .close("tr");
        }
        h.close("table");
        HtmlReportWriter.more(h, data.newTemplatesTotal(), data.newTemplates().size(), "new templates");
        h.close("section");
    }

    private static void template(HtmlOut h, String id, String text) {
        h.el("code", "template", text == null ? "(text not in log_templates)" : text);
        h.el("span", "id", id);
    }
}
