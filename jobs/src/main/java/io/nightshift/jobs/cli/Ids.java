package io.nightshift.jobs.cli;

import java.util.regex.Pattern;

import io.nightshift.jobs.base.NightshiftException;

/** Validation of ids typed on the command line, before they reach any query. */
final class Ids {
    private static final Pattern INCIDENT = Pattern.compile("INC-\\d{8}-[0-9a-f]{8}");

    private Ids() {
    }

    static void requireIncidentId(String id) {
        if (id == null || !INCIDENT.matcher(id).matches()) {
            throw NightshiftException.usage("'" + id + "' is not an incident id (expected INC-YYYYMMDD-xxxxxxxx)");
        }
    }
}
