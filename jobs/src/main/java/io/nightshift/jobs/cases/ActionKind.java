package io.nightshift.jobs.cases;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.nightshift.jobs.base.NightshiftException;

/**
 * What an analyst records with {@code incident act}, and how each kind moves the case (NIST SP 800-61's phases):
 * investigating opens a new incident, containing contains it, recovering resolves it; eradication happens while it is
 * open or contained; customer notifications and notes change nothing and are welcome at any time.
 */
public enum ActionKind {
    INVESTIGATE(CaseStatus.OPEN, EnumSet.of(CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.CONTAINED, CaseStatus.RESOLVED)),
    CONTAIN(CaseStatus.CONTAINED, EnumSet.of(CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.CONTAINED)),
    ERADICATE(null, EnumSet.of(CaseStatus.OPEN, CaseStatus.CONTAINED)),
    RECOVER(CaseStatus.RESOLVED, EnumSet.of(CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.CONTAINED, CaseStatus.RESOLVED)),
    NOTIFY_CUSTOMERS(null, EnumSet.complementOf(EnumSet.of(CaseStatus.FALSE_POSITIVE))),
    NOTE(null, EnumSet.allOf(CaseStatus.class));

    /** Kinds recorded by other commands ({@code triage}, {@code incident close}), never typed with --action. */
    public static final String TRIAGE = "triage";
    public static final String CLOSE = "close";

    private final CaseStatus moveTo;
    private final Set<CaseStatus> allowedIn;

    ActionKind(CaseStatus moveTo, Set<CaseStatus> allowedIn) {
        this.moveTo = moveTo;
        this.allowedIn = allowedIn;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ActionKind parse(String word) {
        for (ActionKind k : values()) {
            if (k.word().equals(word)) {
                return k;
            }
        }
        throw NightshiftException.usage("unknown action '" + word + "'; actions are " + words());
    }

    public static List<String> words() {
        return Arrays.stream(values()).map(ActionKind::word).toList();
    }

    /**
     * The status after this action on an incident in {@code current}; the same status when the action does not move
     * the case (or the case is already there, so repeating an action is harmless).
     */
    public CaseStatus statusAfter(String incidentId, CaseStatus current) {
        if (!allowedIn.contains(current)) {
            throw NightshiftException.badInput("action " + word() + " is not possible on incident " + incidentId
                    + ", which is " + current.word() + "; " + word() + " is allowed when it is "
                    + CaseStatus.describe(allowedIn) + (current.isFinal() ? "" : "; from " + current.word()
                    + " it can move to " + CaseStatus.describe(current.next())));
        }
        if (moveTo == null || moveTo == current || (this == INVESTIGATE && current != CaseStatus.NEW)) {
            return current;
        }
        current.requireMove(incidentId, moveTo, "action " + word());
        return moveTo;
    }
}
