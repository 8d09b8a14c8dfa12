package io.nightshift.lakegen.scenario;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * One injected incident as evaluation sees it: what, when, how visible, on which entities, and how to find its rows
 * ({@code attributes[marker_attribute] = id}). {@code rowCount} is the number of marked rows in the lake: injected
 * lines plus ordinary lines the scenario changed; 0 for a silent host, whose signal is the absence of rows.
 */
public record GroundTruth(String id, String kind, String description, LocalDate date, Instant start, Instant end,
                          String visibility, Map<String, Object> entities,
                          String markerAttribute, long rowCount) {
    /** The attribute key that carries the scenario id on its rows. Detectors must not read it. */
    public static final String MARKER = "scenario";
}
