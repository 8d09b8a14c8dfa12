package io.nightshift.jobs.after.notify;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

import io.nightshift.jobs.config.NotificationsConfig;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Delivers every {@code pending} notification with attempts left, of this night and earlier ones: up to
 * {@code attempts_per_run} tries each, waiting {@code backoff_millis} before the second and twice as long before each
 * next. Then one MERGE records every outcome: {@code delivered}; {@code pending} with the error, for the next run or
 * {@code notify --retry}; {@code failed} once {@code max_attempts} is spent. A sink that fails every try of one
 * notification is taken as down for the rest of the run: its other notifications are not tried (and keep their
 * attempts), so a dead endpoint costs one notification's tries and timeouts, not one per notification.
 */
public final class NotificationDeliverer {
    static final String PENDING = "pending";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";
    private static final StructType OUTCOME = StructType.fromDDL("notification_id STRING, status STRING, "
            + "attempts INT, last_error STRING, last_attempt_at TIMESTAMP, delivered_at TIMESTAMP");
    private static final List<String> OUTCOME_COLUMNS = List.of("status", "attempts", "last_error", "last_attempt_at",
            "delivered_at");

    private final ResultsStore store;
    private final NotificationsConfig config;
    private final Map<String, NotificationSink> sinks = new LinkedHashMap<>();

    public NotificationDeliverer(ResultsStore store, NotificationsConfig config) {
        this.store = store;
        this.config = config;
        Duration timeout = Duration.ofSeconds(config.timeoutSeconds());
        var hadoop = store.spark().sparkContext().hadoopConfiguration();
        config.sinks().forEach(s -> sinks.put(s.name(), NotificationSink.of(s, timeout, hadoop)));
    }

    /** What a delivery run did; {@code errors} holds the last error of each sink that left something pending. */
    public record Delivery(long delivered, long pending, long failed, long unknownSink, Map<String, String> errors) {
    }

    public Delivery deliverPending() {
        if (sinks.isEmpty()) {
            return new Delivery(0, 0, 0, 0, Map.of());
        }
        Iterator<Row> due = store.read(ResultTables.NOTIFICATIONS)
                .where(col("status").equalTo(PENDING)
                        .and(coalesce(col("attempts"), lit(0)).lt(config.maxAttempts())))
                .select("notification_id", "incident_id", "incident_version", "sink", "payload", "attempts",
                        "last_attempt_at")
                .orderBy("created_at", "notification_id").toLocalIterator();
        List<Row> outcomes = new ArrayList<>();
        Map<String, String> down = new LinkedHashMap<>();
        long delivered = 0;
        long pending = 0;
        long failed = 0;
        long unknown = 0;
        while (due.hasNext()) {
            Row r = due.next();
            Integer previous = r.getAs("attempts");
            Notification n = new Notification(r.getAs("notification_id"), r.getAs("incident_id"),
                    r.<Integer>getAs("incident_version"), r.getAs("sink"), r.getAs("payload"),
                    previous == null ? 0 : previous);
            NotificationSink sink = sinks.get(n.sink());
            if (sink == null) {
                // Removed from the config: left as it is, in case the sink comes back.
                unknown++;
                continue;
            }
            Row outcome;
            if (down.containsKey(n.sink())) {
                outcome = RowFactory.create(n.id(), PENDING, n.attempts(), "not tried: sink " + n.sink()
                        + " failed earlier in this run (" + down.get(n.sink()) + ")", r.getAs("last_attempt_at"), null);
            } else {
                outcome = attempt(sink, n);
                if (!DELIVERED.equals(outcome.getString(1))) {
                    down.put(n.sink(), outcome.getString(3));
                }
            }
            switch (outcome.getString(1)) {
                case DELIVERED -> delivered++;
                case FAILED -> failed++;
                default -> pending++;
            }
            outcomes.add(outcome);
        }
        if (!outcomes.isEmpty()) {
            // Delivered wins: a concurrent planner's 'superseded' or another process's failure does not undo it.
            store.updateColumnsWhere(ResultTables.NOTIFICATIONS, store.spark().createDataFrame(outcomes, OUTCOME),
                    List.of("notification_id"), OUTCOME_COLUMNS,
                    "t.status = '" + PENDING + "' OR s.status = '" + DELIVERED + "'");
        }
        return new Delivery(delivered, pending, failed, unknown, down);
    }

    /** Up to attempts_per_run tries (fewer when max_attempts is nearly spent), with backoff; the outcome row. */
    private Row attempt(NotificationSink sink, Notification n) {
        int allowed = Math.min(config.attemptsPerRun(), config.maxAttempts() - n.attempts());
        long wait = config.backoffMillis();
        String error = null;
        int tries = 0;
        while (tries < allowed) {
            tries++;
            try {
                sink.deliver(n);
                Timestamp now = Timestamp.from(Instant.now());
                return RowFactory.create(n.id(), DELIVERED, n.attempts() + tries, null, now, now);
            } catch (NotificationSink.DeliveryFailure f) {
                error = f.getMessage();
            }
            if (tries < allowed && !sleep(wait)) {
                break;
            }
            wait *= 2;
        }
        int attempts = n.attempts() + tries;
        return RowFactory.create(n.id(), attempts >= config.maxAttempts() ? FAILED : PENDING, attempts, error,
                Timestamp.from(Instant.now()), null);
    }

    /** @return false when interrupted (the notification then stays pending) */
    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
