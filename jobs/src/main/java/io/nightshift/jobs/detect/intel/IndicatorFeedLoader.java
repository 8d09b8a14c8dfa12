package io.nightshift.jobs.detect.intel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.hadoop.conf.Configuration;

import io.nightshift.jobs.base.DataFiles;
import io.nightshift.jobs.base.Location;
/**
 * Reads every feed file of a directory (recursively, in path order): {@code *.csv} with the header
 * {@code type,value,source,confidence,expiry} and {@code *.json} STIX 2.1 bundles ({@link StixBundleParser}).
 * A bad line is reported with file and line and skipped; the rest of the feed still loads, because one malformed
 * entry in a vendor feed must not blind the whole night.
 *
 * <p>CSV: {@code type} is ip, domain, url, sha256 or user_agent; {@code confidence} 0–100 (empty: 50);
 * {@code expiry} an ISO date or date-time (empty: none), the last day the indicator applies. Fields may be quoted
 * ({@code "Mozilla/5.0 (compatible, x)"}); lines starting with {@code #} are comments.
 */
public final class IndicatorFeedLoader {
    static final List<String> HEADER = List.of("type", "value", "source", "confidence", "expiry");
    static final int DEFAULT_CONFIDENCE = 50;

    private IndicatorFeedLoader() {
    }

    /** Loads a local {@code dir}; a missing directory is a problem in the result, not an exception. */
    public static IndicatorFeed load(Path dir) {
        return load(Location.local(dir), new Configuration());
    }

    /**
     * Loads {@code dir} (local, HDFS or an object store) through {@code hadoop}'s file systems; a missing directory
     * is a problem in the result, not an exception. Hidden files ({@code .x}, {@code _x}) are not feeds.
     */
    public static IndicatorFeed load(Location dir, Configuration hadoop) {
        List<Indicator> indicators = new ArrayList<>();
        List<FeedProblem> problems = new ArrayList<>();
        if (!DataFiles.isDirectory(dir, hadoop)) {
            problems.add(new FeedProblem(dir.toString(), 0, "feed directory does not exist; set intel.directory"
                    + " in the configuration"));
            return new IndicatorFeed(indicators, problems);
        }
        for (Location file : DataFiles.filesUnder(dir, hadoop)) {
            String name = file.name().toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv")) {
                readCsv(file, indicators, problems, hadoop);
            } else if (name.endsWith(".json")) {
                StixBundleParser.parse(file, indicators, problems, hadoop);
            }
        }
        return new IndicatorFeed(indicators, problems);
    }

    static void readCsv(Location file, List<Indicator> out, List<FeedProblem> problems, Configuration hadoop) {
        String name = file.toString();
        try (BufferedReader r = new BufferedReader(new StringReader(DataFiles.readString(file, hadoop)))) {
            String line;
            int n = 0;
            boolean header = false;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                List<String> fields;
                try {
                    fields = CsvLine.split(line);
                } catch (IllegalArgumentException e) {
                    problems.add(new FeedProblem(name, n, e.getMessage()));
                    continue;
                }
                if (!header) {
                    List<String> got = fields.stream().map(f -> f.trim().toLowerCase(Locale.ROOT)).toList();
                    if (!got.equals(HEADER)) {
                        problems.add(new FeedProblem(name, n, "header must be " + String.join(",", HEADER) + ", got "
                                + line + "; file skipped"));
                        return;
                    }
                    header = true;
                    continue;
                }
                try {
                    out.add(indicator(fields, name + ":" + n));
                } catch (IllegalArgumentException e) {
                    problems.add(new FeedProblem(name, n, e.getMessage() + "; line skipped"));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            problems.add(new FeedProblem(name, 0, "cannot read: " + e.getMessage()));
        }
    }

    private static Indicator indicator(List<String> f, String origin) {
        if (f.size() != HEADER.size()) {
            throw new IllegalArgumentException("expected " + HEADER.size() + " fields (" + String.join(",", HEADER)
                    + "), got " + f.size());
        }
        IndicatorType type = IndicatorType.parse(f.get(0));
        if (type == null) {
            throw new IllegalArgumentException("unknown type '" + f.get(0).trim() + "' (types: ip, domain, url, sha256,"
                    + " user_agent)");
        }
        String value = type.normalize(f.get(1));
        if (!type.isValid(value)) {
            throw new IllegalArgumentException("'" + f.get(1).trim() + "' is not a valid " + type.word());
        }
        String source = f.get(2).trim().isEmpty() ? "unknown" : f.get(2).trim();
        return new Indicator(Indicator.derivedId(type, value), type, value, source, confidence(f.get(3)), null,
                date(f.get(4)), origin);
    }

    static int confidence(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return DEFAULT_CONFIDENCE;
        }
        int c;
        try {
            c = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("confidence '" + t + "' is not a whole number 0-100");
        }
        if (c < 0 || c > 100) {
            throw new IllegalArgumentException("confidence " + c + " is outside 0-100");
        }
        return c;
    }

    /** An ISO date or date-time (its UTC date); empty means none. */
    static LocalDate date(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return t.length() <= 10 ? LocalDate.parse(t)
                    : OffsetDateTime.parse(t).atZoneSameInstant(java.time.ZoneOffset.UTC).toLocalDate();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + t + "' is not an ISO date (YYYY-MM-DD) or date-time");
        }
    }
}
