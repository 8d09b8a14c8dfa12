package io.nightshift.jobs.after.notify;

/**
 * One incident version to deliver to one sink, as the deliverer reads it from the {@code notifications} table.
 *
 * @param id       {@code incident_id/v<version>/sink}; sent as the webhook's Idempotency-Key
 * @param payload  the incident in OCSF JSON, exactly as recorded (its SHA-256 is in the table)
 * @param attempts delivery attempts made by earlier runs
 */
public record Notification(String id, String incidentId, int incidentVersion, String sink, String payload,
                           int attempts) {

    /** The key of a notification: one per incident version and sink, so a rerun of a night finds it already there. */
    public static String id(String incidentId, int incidentVersion, String sink) {
        return incidentId + "/v" + incidentVersion + "/" + sink;
    }
}
