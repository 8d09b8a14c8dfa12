package io.nightshift.jobs.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Severity;

/**
 * The {@code notifications:} section: where incidents are delivered after each night. No sinks (the default) means
 * no notifications.
 *
 * @param sinks           each named destination
 * @param attemptsPerRun  delivery attempts per notification within one run (with backoff) before leaving it pending
 * @param maxAttempts     attempts over all runs after which a notification is marked failed and no longer retried
 * @param backoffMillis   wait before the second attempt in a run; doubles after each failure
 * @param timeoutSeconds  connect and request timeout of a webhook call: a hung endpoint never holds up the night
 */
public record NotificationsConfig(List<Sink> sinks, int attemptsPerRun, int maxAttempts, long backoffMillis,
                                  int timeoutSeconds) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    /** Headers Nightshift sets itself, or that Java's HTTP client refuses to take from a caller. */
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "idempotency-key", "content-length",
            "host", "connection", "expect", "upgrade");

    /** The kinds of sink. */
    public enum SinkType { WEBHOOK, DIRECTORY }

    /**
     * One destination.
     *
     * @param name        identifies the sink in the notifications table (part of the notification id)
     * @param type        webhook (HTTP POST of the JSON body) or directory (one JSON file per notification)
     * @param url         webhook URL
     * @param path        directory for JSON files (relative paths resolve against the config file's folder)
     * @param minSeverity incidents below this severity are not sent to this sink
     * @param headers     extra HTTP headers of a webhook (an Authorization token, say)
     */
    public record Sink(String name, SinkType type, URI url, Location path, Severity minSeverity,
                       Map<String, String> headers) {
        public Sink {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }

    /** The section as YAML gives it. */
    public record Raw(List<RawSink> sinks, Integer attemptsPerRun, Integer maxAttempts, Long backoffMillis,
                      Integer timeoutSeconds) {
    }

    /** A sink as YAML gives it. */
    public record RawSink(String name, String type, String url, String path, String minSeverity,
                          Map<String, String> headers) {
    }

    public NotificationsConfig {
        sinks = List.copyOf(sinks);
    }

    public static NotificationsConfig defaults() {
        return resolve(null, Path.of("."), "built-in defaults");
    }

    public static NotificationsConfig resolve(Raw raw, Path base, String origin) {
        Raw r = raw == null ? new Raw(null, null, null, null, null) : raw;
        List<Sink> sinks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<RawSink> rawSinks = r.sinks() == null ? List.of() : r.sinks();
        for (int i = 0; i < rawSinks.size(); i++) {
            RawSink s = rawSinks.get(i);
            String where = origin + ": notifications.sinks[" + i + "]";
            if (s == null || s.name() == null || !NAME.matcher(s.name()).matches() || !names.add(s.name())) {
                throw NightshiftException.badConfig(where + ": name must be unique and made of letters, digits, "
                        + "'.', '_' or '-'");
            }
            where = where + " (" + s.name() + ")";
            SinkType type;
            if ("webhook".equals(s.type())) {
                type = SinkType.WEBHOOK;
            } else if ("directory".equals(s.type())) {
                type = SinkType.DIRECTORY;
            } else {
                throw NightshiftException.badConfig(where + ": type must be webhook or directory, got '" + s.type() + "'");
            }
            URI url = null;
            Location path = null;
            if (type == SinkType.WEBHOOK) {
                try {
                    url = s.url() == null ? null : URI.create(s.url());
                } catch (IllegalArgumentException e) {
                    throw NightshiftException.badConfig(where + ": url '" + s.url() + "' is not a URL");
                }
                if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                    throw NightshiftException.badConfig(where + ": a webhook needs an http or https url");
                }
            } else {
                if (s.path() == null || s.path().isBlank()) {
                    throw NightshiftException.badConfig(where + ": a directory sink needs a path");
                }
                path = ConfigValues.location(where, "path", base, s.path());
            }
            Severity min = Severity.INFORMATIONAL;
            if (s.minSeverity() != null) {
                min = Severity.parse(s.minSeverity());
                if (min == null) {
                    throw NightshiftException.badConfig(where + ": min_severity '" + s.minSeverity()
                            + "' is not one of " + Severity.words());
                }
            }
            if (s.headers() != null) {
                for (String header : s.headers().keySet()) {
                    if (RESERVED_HEADERS.contains(header.toLowerCase(java.util.Locale.ROOT))) {
                        throw NightshiftException.badConfig(where + ": header '" + header + "' cannot be configured; "
                                + "Nightshift sets Content-Type and Idempotency-Key itself, and the HTTP client the "
                                + "others");
                    }
                }
            }
            sinks.add(new Sink(s.name(), type, url, path, min, s.headers()));
        }
        int perRun = ConfigValues.atLeast(origin, "notifications.attempts_per_run", r.attemptsPerRun(), 3, 1);
        int max = ConfigValues.atLeast(origin, "notifications.max_attempts", r.maxAttempts(), 20, perRun);
        long backoff = r.backoffMillis() == null ? 500 : r.backoffMillis();
        if (backoff < 0) {
            throw NightshiftException.badConfig(origin + ": notifications.backoff_millis must be 0 or more, got "
                    + backoff);
        }
        return new NotificationsConfig(sinks, perRun, max, backoff,
                ConfigValues.atLeast(origin, "notifications.timeout_seconds", r.timeoutSeconds(), 10, 1));
    }
}
