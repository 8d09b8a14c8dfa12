package io.nightshift.jobs.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;

import io.nightshift.jobs.after.report.ReportPublisher;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.config.ReportConfig;
import io.nightshift.jobs.store.ResultsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nightshift report}: one night's results as a self-contained HTML page for people. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the report of a night as one self-contained HTML file (no script, nothing fetched): "
                + "input and quarantine counts, trend charts per service and region with the period's findings "
                + "marked, the night's incidents by priority with their reasons and scope, the most anomalous "
                + "windows with their explaining templates, model and rule versions. Needs a successful run of "
                + "the date. Secrets and personal data in log text (e-mail addresses, tokens, passwords, card numbers) are "
                + "masked as redaction.reports says.")
public final class ReportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "Logical date of the night to report.")
    LocalDate date;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Output file, a path or a URI such as s3a://bucket/reports/x.html (default: "
                    + "nightshift-report-DATE.html in report.directory, which defaults to reports/NAMESPACE/ in the "
                    + "warehouse).")
    String out;

    @Option(names = "--days", paramLabel = "N",
            description = "Days of trend history the charts show, ending on --date (default: report.trend_days, "
                    + "28).")
    Integer days;

    @Option(names = "--no-redaction",
            description = "Show log text as logged, without masking secrets and personal data (redaction.reports "
                    + "in the config, on by default). For an investigator's own copy; do not share the file.")
    boolean noRedaction;

    @Override
    public Integer call() {
        if (days != null && (days < 1 || days > ReportConfig.MAX_TREND_DAYS)) {
            throw NightshiftException.usage("--days must be between 1 and " + ReportConfig.MAX_TREND_DAYS + ", got "
                    + days);
        }
        NightshiftConfig config = common.loadConfig();
        Location file = out != null ? CommonOptions.location("--out", out)
                : config.report().fileFor(config.warehouse(), date);
        ResultsStore store = common.openStore("nightshift-report-" + date, config);
        Location written = ReportPublisher.write(store, date, days != null ? days : config.report().trendDays(), file,
                noRedaction ? null : ReportPublisher.redactionFor(config));
        System.out.println("wrote the report of " + date + " to " + written);
        return ExitCodes.OK;
    }
}
