package io.nightshift.jobs.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.apache.spark.sql.Row;

import io.nightshift.jobs.after.metrics.DetectionMetricsJob;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.store.ResultsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code nightshift metrics}: how each detector and rule performs, from the analysts' verdicts. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Recompute the detection_metrics table from findings, incidents, triage verdicts, incident "
                + "actions and job runs (what 'run' also does after each successful night) and print it: per detector "
                + "and rule, findings, incidents, verdicts, false positives and their rate, and the median times to "
                + "detect (minutes), to triage and to close (hours). Rows with at least metrics.min_verdicts verdicts "
                + "and a false-positive rate above metrics.max_false_positive_rate are flagged for review (marked !).")
public final class MetricsCommand implements Callable<Integer> {
    private static final String FORMAT = "%-1s %-12s %-34s %-12s %8s %9s %8s %4s %7s %10s %10s %10s%n";

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        NightshiftConfig config = common.loadConfig();
        ResultsStore store = common.openStore("nightshift-metrics", config);
        print(System.out, DetectionMetricsJob.run(store, config.metrics()));
        return ExitCodes.OK;
    }

    static void print(PrintStream out, List<Row> rows) {
        out.printf(Locale.ROOT, FORMAT, "", "DETECTOR", "ID", "STATUS", "FINDINGS", "INCIDENTS", "VERDICTS", "FP",
                "FP RATE", "DETECT MIN", "TRIAGE H", "CLOSE H");
        for (Row r : rows) {
            boolean flagged = r.<Boolean>getAs("flagged_for_review");
            out.printf(Locale.ROOT, FORMAT, flagged ? "!" : "", r.getAs("detector"), r.getAs("detector_id"),
                    orDash(r.getAs("rule_status")), r.getAs("findings"), r.getAs("incidents"), r.getAs("verdicts"),
                    r.getAs("false_positives"), percent(r.getAs("false_positive_rate")),
                    number(r.getAs("median_minutes_to_detect")), number(r.getAs("median_hours_to_triage")),
                    number(r.getAs("median_hours_to_close")));
        }
        long flagged = rows.stream().filter(r -> r.<Boolean>getAs("flagged_for_review")).count();
        out.printf("%d detectors and rules, %d flagged for review (!)%n", rows.size(), flagged);
        for (Row r : rows) {
            if (r.<Boolean>getAs("flagged_for_review")) {
                out.println("! " + r.getAs("detector") + " " + r.getAs("detector_id") + ": " + r.getAs("review_reason"));
            }
        }
        out.flush();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String percent(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    private static String number(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
