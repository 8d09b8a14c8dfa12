package io.nightshift.jobs.after.notify;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.nightshift.jobs.base.Failures;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.NotificationsConfig;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Plans the notifications of some nights, then delivers everything pending. After the nightly run this is best effort:
 * the night's tables are committed before it starts, so a sink that is down, or any failure here, only leaves
 * pending rows for the next run or {@code notify --retry}; it never changes the run's outcome.
 */
public final class NotificationJob {
    /** The command that delivers what a run left pending. */
    public static final String RETRY_COMMAND = "scripts/nightshift notify --retry";

    private NotificationJob() {
    }

    /** What planning and delivering did, for one progress line. */
    public record Summary(long added, long superseded, NotificationDeliverer.Delivery delivery) {
        public String describe() {
            NotificationDeliverer.Delivery d = delivery;
            String line = "notifications: " + added + " new, " + superseded + " superseded, " + d.delivered()
                    + " delivered, " + d.pending() + " pending, " + d.failed() + " failed";
            if (d.unknownSink() > 0) {
                line += ", " + d.unknownSink() + " for sinks no longer configured";
            }
            if (!d.errors().isEmpty()) {
                line += " (" + d.errors().entrySet().stream().map(e -> "sink " + e.getKey() + ": " + e.getValue())
                        .collect(Collectors.joining("; ")) + ")";
            }
            return line;
        }

        /** Notifications this run could not deliver (pending for later, or given up). */
        public long undelivered() {
            return delivery.pending() + delivery.failed();
        }
    }

    /** Plans each of {@code dates} (in order), then delivers all pending notifications. Failures propagate. */
    public static Summary run(ResultsStore store, NotificationsConfig config, List<LocalDate> dates) {
        long added = 0;
        long superseded = 0;
        NotificationPlanner planner = new NotificationPlanner(store, config);
        for (LocalDate date : dates) {
            NotificationPlanner.Plan plan = planner.plan(date, Instant.now());
            added += plan.added();
            superseded += plan.superseded();
        }
        return new Summary(added, superseded, new NotificationDeliverer(store, config).deliverPending());
    }

    /**
     * {@link #run} after a successful night, when sinks are configured. Prints the summary line; what is left
     * undelivered, and any failure at all, is a warning on {@code err} that names the cause and the retry command.
     *
     * @return the summary, or empty when there are no sinks or notification failed as a whole
     */
    public static Optional<Summary> afterRun(ResultsStore store, NotificationsConfig config, List<LocalDate> dates,
                                             Progress progress, PrintStream err) {
        if (config.sinks().isEmpty()) {
            return Optional.empty();
        }
        LocalDate night = dates.get(dates.size() - 1);
        try {
            Summary summary = run(store, config, dates);
            progress.line(summary.describe());
            if (summary.undelivered() > 0) {
                warn(err, night, summary.undelivered() + " notifications were not delivered ("
                        + summary.describe().replaceFirst("^notifications: ", "") + ")");
            }
            return Optional.of(summary);
        } catch (Exception e) {
            // Exception, not RuntimeException: Spark's AnalysisException is checked yet thrown undeclared.
            warn(err, night, "notifications did not complete: " + Failures.innermost(e));
            return Optional.empty();
        }
    }

    private static void warn(PrintStream err, LocalDate night, String what) {
        err.println("nightshift: warning: the run for " + night + " succeeded and its tables are published, but "
                + what + ". Pending notifications are delivered by the next run or: " + RETRY_COMMAND);
        err.flush();
    }
}
