package io.nightshift.models.features;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one feature row stands for: either an entity (values of {@code entityCols}) over a tumbling time window, or
 * one session (a value of {@code attributes[sessionKey]}) from its first to its last log line.
 *
 * <p>{@link #describe()} is part of the feature-schema fingerprint: a model trained on hourly host windows must not
 * silently score daily service windows.
 */
public final class WindowDefinition implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern DURATION =
            Pattern.compile("(\\d+)\\s+(second|minute|hour|day|week)s?", Pattern.CASE_INSENSITIVE);

    private final List<String> entityCols;
    private final String duration;
    private final String sessionKey;
    private final String timestampCol;
    private final String templateIdCol;

    private WindowDefinition(List<String> entityCols, String duration, String sessionKey, String timestampCol,
                             String templateIdCol) {
        this.entityCols = entityCols;
        this.duration = duration;
        this.sessionKey = sessionKey;
        this.timestampCol = timestampCol;
        this.templateIdCol = templateIdCol;
    }

    /**
     * @throws IllegalArgumentException when no entity column is given or the duration is not '&lt;n&gt; &lt;unit&gt;'
     */
    public static WindowDefinition perTimeWindow(String[] entityCols, String duration, String timestampCol,
                                                 String templateIdCol) {
        if (entityCols == null || entityCols.length == 0 || Arrays.stream(entityCols).anyMatch(c -> c == null
                || c.isBlank())) {
            throw new IllegalArgumentException("Cannot set entityCols to " + Arrays.toString(entityCols)
                    + ": give at least one non-empty column name, e.g. [host], or set sessionKey instead");
        }
        String normalized = duration == null ? "" : duration.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        var m = DURATION.matcher(normalized);
        if (!m.matches() || Long.parseLong(m.group(1)) <= 0) {
            throw new IllegalArgumentException("Cannot set windowDuration to '" + duration
                    + "': expected '<n> <unit>' with n > 0 and unit second, minute, hour, day or week,"
                    + " e.g. '10 minutes' or '1 day'");
        }
        return new WindowDefinition(List.of(entityCols), normalized, null, timestampCol, templateIdCol);
    }

    public static WindowDefinition perSession(String sessionKey, String timestampCol, String templateIdCol) {
        return new WindowDefinition(List.of(), null, sessionKey, timestampCol, templateIdCol);
    }

    public boolean isSessionKeyed() {
        return sessionKey != null;
    }

    public List<String> entityCols() {
        return entityCols;
    }

    public String duration() {
        return duration;
    }

    public Optional<String> sessionKey() {
        return Optional.ofNullable(sessionKey);
    }

    public String timestampCol() {
        return timestampCol;
    }

    public String templateIdCol() {
        return templateIdCol;
    }

    /** The {@code entity_type} value of output rows: entity columns joined by '+', or the session key. */
    public String entityType() {
        return isSessionKeyed() ? sessionKey : String.join("+", entityCols);
    }

    /** Stable text form, e.g. {@code window:host/1 hour} or {@code session:block_id}. */
    public String describe() {
        return isSessionKeyed() ? "session:" + sessionKey : "window:" + entityType() + "/" + duration;
    }

    @Override
    public String toString() {
        return describe();
    }
}
