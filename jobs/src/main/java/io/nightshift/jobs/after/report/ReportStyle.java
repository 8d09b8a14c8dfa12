package io.nightshift.jobs.after.report;

/** The report's stylesheet: plain CSS, inline, local fonts only (nothing is fetched). */
final class ReportStyle {
    static final String CSS = """
            :root { color-scheme: light; }
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
                   color: #212121; background: #fafafa; margin: 0; line-height: 1.45; font-size: 15px; }
            header, main, footer, nav.toc { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
            header { padding-top: 20px; }
            h1 { font-size: 1.6em; margin: 0.2em 0; }
            h2 { font-size: 1.3em; border-bottom: 2px solid #e0e0e0; padding-bottom: 4px; margin-top: 1.8em; }
            h3 { font-size: 1.08em; margin: 1.2em 0 0.4em; }
            h4 { font-size: 0.95em; margin: 0.8em 0 0.2em; }
            p.meta, .muted, footer { color: #616161; }
            p.meta { font-size: 0.9em; margin: 0.2em 0 0.6em; }
            footer { font-size: 0.85em; padding: 24px; border-top: 1px solid #e0e0e0; margin-top: 32px; }
            nav.toc { background: #fff; border: 1px solid #e0e0e0; border-radius: 6px; padding: 8px 24px;
                      margin-top: 12px; max-width: 1232px; }
            nav.toc h2 { border: none; margin: 0.3em 0; font-size: 1.05em; }
            nav.toc ol { margin: 0.2em 0 0.5em; columns: 2; }
            a { color: #0b3d91; }
            .notes { background: #fff8e1; border-left: 4px solid #f9a825; padding: 6px 12px; margin: 8px 0; }
            .notes ul { margin: 0.2em 0; }
            table { border-collapse: collapse; margin: 0.4em 0 0.8em; background: #fff; width: 100%; }
            table.compact { width: auto; display: inline-table; margin-right: 24px; vertical-align: top; }
            th, td { border: 1px solid #e0e0e0; padding: 4px 8px; text-align: left; vertical-align: top;
                     overflow-wrap: break-word; }
            th { background: #f5f5f5; font-weight: 600; white-space: nowrap; }
            table.findings td:nth-child(-n+4) { white-space: nowrap; }
            .figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0 16px; }
            .figure { background: #fff; border: 1px solid #e0e0e0; border-radius: 6px; padding: 8px 14px;
                      min-width: 150px; }
            .figure .value { display: block; font-size: 1.5em; font-weight: 600; }
            .figure .label { color: #616161; font-size: 0.9em; }
            .charts { display: flex; flex-wrap: wrap; gap: 16px; }
            figure { margin: 0; background: #fff; border: 1px solid #e0e0e0; border-radius: 6px; padding: 6px;
                     max-width: 100%; box-sizing: border-box; }
            figure.wide { display: inline-block; }
            figcaption { font-weight: 600; font-size: 0.95em; margin: 0 0 2px 6px; overflow-wrap: anywhere;
                         max-width: 560px; }
            svg.chart { max-width: 100%; height: auto; display: block; }
            svg.chart text { font-size: 11px; fill: #616161; }
            svg.chart text.series { fill: #424242; font-weight: 600; }
            svg.chart text.count { fill: #fff; font-size: 9px; font-weight: 700; }
            svg.chart line.grid { stroke: #eeeeee; }
            svg.chart line.base { stroke: #9e9e9e; }
            .badge { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 0.82em;
                     font-weight: 600; color: #fff; background: #9e9e9e; white-space: nowrap; }
            .badge.priority { background: #263238; }
            .sev-informational { --sev: #78909c; } .sev-low { --sev: #c9a400; } .sev-medium { --sev: #ef6c00; }
            .sev-high { --sev: #c62828; } .sev-critical { --sev: #6a1b9a; } .sev-unknown { --sev: #9e9e9e; }
            .badge[class*="sev-"] { background: var(--sev); }
            p.legend .badge { margin-right: 4px; }
            article.incident, article.window { background: #fff; border: 1px solid #e0e0e0;
                      border-left: 6px solid var(--sev, #9e9e9e); border-radius: 6px; padding: 6px 16px;
                      margin: 12px 0; }
            article.incident h3, article.window h3 { margin-top: 0.4em; overflow-wrap: anywhere; }
            p.summary { font-size: 1.02em; }
            dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0.4em 0; }
            dt { font-weight: 600; color: #424242; }
            dd { margin: 0; overflow-wrap: anywhere; }
            .reasons { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
            .reasons ul, article ul { margin: 0.2em 0; padding-left: 1.3em; }
            code.template { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
                            font-size: 0.88em; white-space: pre-wrap; overflow-wrap: anywhere; display: block; }
            span.id { color: #9e9e9e; font-size: 0.78em; }
            table.templates td:first-child { width: 70%; }
            @media print { body { background: #fff; } nav.toc { display: none; } }
            """;

    private ReportStyle() {
    }
}
