package io.nightshift.jobs.after.notify;

import java.time.Duration;

import org.apache.hadoop.conf.Configuration;

import io.nightshift.jobs.config.NotificationsConfig;

/** Where notifications go: one configured sink, able to deliver one notification per call. */
public interface NotificationSink {

    /**
     * Delivers {@code notification} once. Returns normally only when the destination accepted it.
     *
     * @throws DeliveryFailure with a one-line reason fit for the table's {@code last_error} (never a credential)
     */
    void deliver(Notification notification) throws DeliveryFailure;

    /** The sink a configuration entry describes; a directory sink writes through {@code hadoop}'s file systems. */
    static NotificationSink of(NotificationsConfig.Sink sink, Duration timeout, Configuration hadoop) {
        return switch (sink.type()) {
            case WEBHOOK -> new WebhookSink(sink.url(), sink.headers(), timeout);
            case DIRECTORY -> new DirectorySink(sink.path(), hadoop);
        };
    }

    /** A failed attempt; the notification stays pending for the next attempt. */
    final class DeliveryFailure extends Exception {
        public DeliveryFailure(String reason) {
            super(reason);
        }
    }
}
