package io.nightshift.jobs.cli;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;

import io.nightshift.jobs.after.notify.NotificationDeliverer;
import io.nightshift.jobs.after.notify.NotificationJob;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.store.ResultsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nightshift notify}: deliver pending notifications, or plan a night's and deliver them. */
@Command(name = "notify", mixinStandardHelpOptions = true,
        description = "Deliver incident notifications to the sinks in notifications.sinks (run does this after "
                + "every night). --retry delivers every pending notification with attempts left, of any night; "
                + "--date D first plans D's notifications (one per incident version updated on D and sink; a version "
                + "already planned is not planned again), then delivers. Takes no warehouse lock: it may run while "
                + "the night runs. Exit code 1 when notifications are left pending or failed.")
public final class NotifyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--retry", description = "Deliver the pending notifications (what a sink that was down missed).")
    boolean retry;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "Plan the notifications of the incidents updated on this date, then deliver.")
    LocalDate date;

    @Override
    public Integer call() {
        if (!retry && date == null) {
            throw NightshiftException.usage("say what to deliver: --retry (pending notifications) or --date D "
                    + "(plan that night's, then deliver)");
        }
        NightshiftConfig config = common.loadConfig();
        if (config.notifications().sinks().isEmpty()) {
            throw NightshiftException.badConfig("no notification sinks are configured (notifications.sinks); "
                    + "nothing to deliver");
        }
        ResultsStore store = common.openStore("nightshift-notify", config);
        Progress progress = new Progress(System.out, "notify");
        // No warehouse lock: notifications are row-level MERGEs that retry when the night's commits get in first.
        NotificationJob.Summary summary = date == null
                ? new NotificationJob.Summary(0, 0, new NotificationDeliverer(store, config.notifications())
                        .deliverPending())
                : NotificationJob.run(store, config.notifications(), List.of(date));
        progress.line(summary.describe());
        if (summary.undelivered() > 0) {
            throw new NightshiftException(ExitCodes.STAGE_FAILURE, summary.undelivered() + " notifications were not "
                    + "delivered (see the line above and the notifications table's last_error); pending ones are "
                    + "retried by the next run or: " + NotificationJob.RETRY_COMMAND);
        }
        return ExitCodes.OK;
    }
}
