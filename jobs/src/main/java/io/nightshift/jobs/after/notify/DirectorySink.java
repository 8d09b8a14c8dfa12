package io.nightshift.jobs.after.notify;

import java.io.UncheckedIOException;

import org.apache.hadoop.conf.Configuration;

import io.nightshift.jobs.base.DataFiles;
import io.nightshift.jobs.base.Location;

/**
 * Writes each notification to {@code <dir>/<incident_id>-v<version>.json}, in a local folder, on HDFS or in an object
 * store: whole or not at all ({@link DataFiles#writeString}), so a reader (a mail gateway, a SOAR polling the folder)
 * never sees half a file. Delivering the same notification again rewrites the same bytes.
 */
final class DirectorySink implements NotificationSink {
    private final Location dir;
    private final Configuration hadoop;

    DirectorySink(Location dir, Configuration hadoop) {
        this.dir = dir;
        this.hadoop = hadoop;
    }

    /** The file a notification is written to. */
    static Location fileFor(Location dir, String incidentId, int version) {
        return dir.resolve(incidentId.replaceAll("[^A-Za-z0-9_.-]", "_") + "-v" + version + ".json");
    }

    @Override
    public void deliver(Notification n) throws DeliveryFailure {
        Location file = fileFor(dir, n.incidentId(), n.incidentVersion());
        try {
            DataFiles.writeString(file, n.payload(), hadoop);
        } catch (UncheckedIOException e) {
            throw new DeliveryFailure("could not write " + file + ": " + e.getCause().getClass().getSimpleName()
                    + (e.getCause().getMessage() == null ? "" : " " + e.getCause().getMessage()));
        }
    }
}
