package io.nightshift.jobs.cases;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.nightshift.jobs.base.NightshiftException;

/**
 * The statuses of an incident and the moves between them. The case moves forward through
 * new → open → contained → resolved → closed, and may skip ahead (an outage with nothing to contain goes from open
 * to resolved; a benign or duplicate incident is closed from new or open); false_positive is reachable from every
 * open state. Closing needs resolution first once the incident was contained; a resolved incident may be reopened.
 * Closed and false_positive are final.
 */
public enum CaseStatus {
    NEW, OPEN, CONTAINED, RESOLVED, CLOSED, FALSE_POSITIVE;

    private static final Map<CaseStatus, Set<CaseStatus>> NEXT = Map.of(
            NEW, EnumSet.of(OPEN, CONTAINED, RESOLVED, CLOSED, FALSE_POSITIVE),
            OPEN, EnumSet.of(CONTAINED, RESOLVED, CLOSED, FALSE_POSITIVE),
            CONTAINED, EnumSet.of(RESOLVED, FALSE_POSITIVE),
            RESOLVED, EnumSet.of(CLOSED, OPEN),
            CLOSED, EnumSet.noneOf(CaseStatus.class),
            FALSE_POSITIVE, EnumSet.noneOf(CaseStatus.class));

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CaseStatus parse(String word) {
        for (CaseStatus s : values()) {
            if (s.word().equals(word)) {
                return s;
            }
        }
        throw NightshiftException.usage("unknown status '" + word + "'; statuses are " + words());
    }

    public static List<String> words() {
        return Arrays.stream(values()).map(CaseStatus::word).toList();
    }

    /** Still being worked: the nightly run continues these with new findings. */
    public boolean isOpen() {
        return this == NEW || this == OPEN || this == CONTAINED;
    }

    public boolean isFinal() {
        return NEXT.get(this).isEmpty();
    }

    public Set<CaseStatus> next() {
        return NEXT.get(this);
    }

    public boolean canMoveTo(CaseStatus to) {
        return NEXT.get(this).contains(to);
    }

    /** Refuses an illegal move, naming the incident, its status and the moves it allows. */
    public void requireMove(String incidentId, CaseStatus to, String what) {
        if (!canMoveTo(to)) {
            throw NightshiftException.badInput(what + " would move incident " + incidentId + " from " + word() + " to "
                    + to.word() + ", which is not allowed; from " + word() + " it can move to "
                    + (isFinal() ? "nothing (" + word() + " is final; notes can still be added)" : describe(next())));
        }
    }

    static String describe(Set<CaseStatus> statuses) {
        return String.join(", ", statuses.stream().map(CaseStatus::word).toList());
    }
}
