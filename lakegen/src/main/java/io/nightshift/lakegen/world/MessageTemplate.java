package io.nightshift.lakegen.world;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;


/**
 * One kind of log line: its level, action and a message pattern with {@code {slot}} placeholders. A template first
 * fills an event's structured columns and parameters ({@link #applyTo}); the message is rendered last
 * ({@link #render}), after scenarios may have changed the event, so the text always agrees with the columns
 * (a slowed request prints its slowed duration).
 *
 * <p>Slots name an event column ({@code user}, {@code src_ip}, {@code status}, {@code bytes_out},
 * {@code duration_ms}, ...), a template parameter, or an attribute.
 */
public final class MessageTemplate {
    /** Sets the event's columns and parameters for one line; must draw randomness only from {@code rng}. */
    @FunctionalInterface
    public interface Filler {
        void fill(LogEvent event, SplittableRandom rng);
    }

    private final String id;
    private final String level;
    private final String action;
    private final boolean userScoped;
    private final String pattern;
    private final String[] literals;
    private final String[] slots;
    private final Filler filler;

    private MessageTemplate(String id, String level, String action, boolean userScoped, String pattern,
                            Filler filler) {
        this.id = id;
        this.level = level;
        this.action = action;
        this.userScoped = userScoped;
        this.pattern = pattern;
        this.filler = filler;
        List<String> lits = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int pos = 0;
        while (true) {
            int open = pattern.indexOf('{', pos);
            if (open < 0) {
                break;
            }
            int close = pattern.indexOf('}', open);
            lits.add(pattern.substring(pos, open));
            names.add(pattern.substring(open + 1, close));
            pos = close + 1;
        }
        lits.add(pattern.substring(pos));
        this.literals = lits.toArray(new String[0]);
        this.slots = names.toArray(new String[0]);
    }

    /** A line about a tenant's user (requests, logins, exports): the traffic generator picks a user first. */
    public static MessageTemplate user(String id, String level, String action, String pattern, Filler filler) {
        return new MessageTemplate(id, level, action, true, pattern, filler);
    }

    /** A line about the service or host itself (GC, caches, pools): no tenant, no user. */
    public static MessageTemplate system(String id, String level, String action, String pattern, Filler filler) {
        return new MessageTemplate(id, level, action, false, pattern, filler);
    }

    public void applyTo(LogEvent event, SplittableRandom rng) {
        event.template = this;
        event.level = level;
        event.action = action;
        event.outcome = action == null ? null : "success";
        filler.fill(event, rng);
    }

    public String render(LogEvent event) {
        StringBuilder sb = new StringBuilder(pattern.length() + 48);
        for (int i = 0; i < slots.length; i++) {
            sb.append(literals[i]).append(event.slot(slots[i]));
        }
        return sb.append(literals[slots.length]).toString();
    }

    public String id() {
        return id;
    }

    public String level() {
        return level;
    }

    public String action() {
        return action;
    }

    public boolean userScoped() {
        return userScoped;
    }

    public String pattern() {
        return pattern;
    }

    @Override
    public String toString() {
        return id;
    }
}
