package io.nightshift.jobs.after.report;

import java.util.List;

import io.nightshift.jobs.after.report.ReportData.Incident;
import io.nightshift.jobs.after.report.ReportData.Scope;

/** The report's incident section: the night's incidents, most urgent first, each with its reasons and scope. */
final class IncidentsHtml {
    /** Hosts, tenants and the like listed by name before "and N more". */
    private static final int NAMES_SHOWN = 12;

    private IncidentsHtml() {
    }

    /** @param incidents already sorted by priority (P1 first), then severity score */
    static void section(HtmlOut h, List<Incident> incidents, long total) {
        if (!HtmlReportWriter.sectionWithContent(h, "incidents", "Incidents", !incidents.isEmpty(),
                "No incident was opened or updated this night.")) {
            return;
        }
        h.el("p", HtmlOut.plural(total, "incident", "incidents") + " opened or updated this night, most urgent "
                + "first.");
        h.open("table", "compact").headerRow("priority", "severity", "incident", "title", "status");
        for (Incident i : incidents) {
            h.open("tr").el("td", HtmlOut.orNone(i.priority())).open("td").severity(i.severity()).close("td")
                    .el("td", i.id()).el("td", i.title()).el("td", HtmlOut.orNone(i.status())).close("tr");
        }
        h.close("table");
        incidents.forEach(i -> incident(h, i));
        HtmlReportWriter.more(h, total, incidents.size(), "incidents");
        h.close("section");
    }

    private static void incident(HtmlOut h, Incident i) {
        h.open("article", "incident " + Severities.cssClass(i.severity()));
        h.open("h3").el("span", "badge priority", HtmlOut.orNone(i.priority())).text(" ").severity(i.severity())
                .text(" " + i.title()).close("h3");
        h.el("p", "meta", i.id() + " · " + HtmlOut.orNone(i.status()) + " · severity score "
                + HtmlOut.decimal(i.severityScore()) + " · " + HtmlOut.time(i.firstSeen()) + " to "
                + HtmlOut.time(i.lastSeen()));
        h.el("p", "summary", HtmlOut.orNone(i.summary()));
        h.open("dl");
        Scope s = i.scope();
        term(h, "Regions", HtmlOut.joined(s.regions(), NAMES_SHOWN));
        term(h, "Datacenters", HtmlOut.joined(s.datacenters(), NAMES_SHOWN));
        term(h, "Services", HtmlOut.joined(s.services(), NAMES_SHOWN));
        term(h, "Hosts", HtmlOut.joined(s.hosts(), NAMES_SHOWN));
        term(h, "Tenants", HtmlOut.joined(s.tenants(), NAMES_SHOWN) + " (" + s.affectedTenantCount()
                + " affected)");
        term(h, "Impact", "functional " + HtmlOut.orNone(i.functionalImpact()) + ", information "
                + HtmlOut.orNone(i.informationImpact()) + ", recoverability " + HtmlOut.orNone(i.recoverability()));
        term(h, "Evidence", HtmlOut.plural(i.findingCount(), "finding", "findings") + " from "
                + HtmlOut.joined(i.detectors(), NAMES_SHOWN));
        h.close("dl");
        h.open("div", "reasons");
        h.open("div").el("h4", "Why this severity");
        h.list(i.severityReasons(), "No reasons recorded.");
        h.close("div").open("div").el("h4", "Why this priority");
        h.list(i.priorityReasons(), "No reasons recorded.");
        h.close("div").close("div");
        if (!i.recommendedActions().isEmpty()) {
            h.el("h4", "Recommended actions");
            h.list(i.recommendedActions(), "");
        }
        h.close("article");
    }

    private static void term(HtmlOut h, String name, String value) {
        h.el("dt", name).el("dd", value);
    }
}
