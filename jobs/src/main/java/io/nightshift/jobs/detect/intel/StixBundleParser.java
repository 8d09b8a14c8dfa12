package io.nightshift.jobs.detect.intel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.hadoop.conf.Configuration;

import io.nightshift.jobs.base.DataFiles;
import io.nightshift.jobs.base.Location;

/**
 * Reads the {@code indicator} objects of a STIX 2.1 bundle. Supported patterns are single comparisons:
 * {@code [ipv4-addr:value = '…']}, {@code [ipv6-addr:value = '…']}, {@code [domain-name:value = '…']},
 * {@code [url:value = '…']} and {@code [file:hashes.'SHA-256' = '…']}. Anything else (compound patterns,
 * {@code network-traffic}, other object types) is reported with its line and skipped. {@code revoked} indicators
 * are dropped; {@code valid_from}/{@code valid_until} become the indicator's validity days. The source is the
 * {@code name} of the identity in {@code created_by_ref} when the bundle holds it, else the file name.
 */
public final class StixBundleParser {
    private static final Pattern SIMPLE = Pattern.compile(
            "\\[\\s*([a-z0-9-]+):([A-Za-z0-9_.'-]+)\\s*=\\s*'((?:[^'\\\\]|\\\\.)*)'\\s*]");
    private static final ObjectMapper JSON = new ObjectMapper();

    private StixBundleParser() {
    }

    /** Adds the bundle's usable indicators to {@code out} and every skipped object to {@code problems}. */
    public static void parse(Location file, List<Indicator> out, List<FeedProblem> problems, Configuration hadoop) {
        String name = file.toString();
        List<Located> objects = new ArrayList<>();
        try (JsonParser p = new JsonFactory(JSON).createParser(DataFiles.readString(file, hadoop))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                problems.add(new FeedProblem(name, 1, "not a STIX bundle (expected a JSON object); file skipped"));
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals("objects") && t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        int line = p.currentTokenLocation().getLineNr();
                        objects.add(new Located(line, p.readValueAsTree()));
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            problems.add(new FeedProblem(name, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "not valid JSON: " + e.getOriginalMessage() + "; rest of file skipped"));
        } catch (IOException | UncheckedIOException e) {
            problems.add(new FeedProblem(name, 0, "cannot read: " + e.getMessage()));
            return;
        }
        Map<String, String> identities = new HashMap<>();
        for (Located o : objects) {
            if ("identity".equals(o.node().path("type").asText()) && o.node().hasNonNull("name")) {
                identities.put(o.node().path("id").asText(), o.node().path("name").asText());
            }
        }
        String fallbackSource = file.name().replaceAll("\\.json$", "");
        for (Located o : objects) {
            if (!"indicator".equals(o.node().path("type").asText())) {
                continue;
            }
            try {
                Indicator i = indicator(o.node(), identities, fallbackSource, name + ":" + o.line());
                if (i != null) {
                    out.add(i);
                }
            } catch (IllegalArgumentException e) {
                problems.add(new FeedProblem(name, o.line(), "indicator " + o.node().path("id").asText("?") + ": "
                        + e.getMessage() + "; skipped"));
            }
        }
    }

    private record Located(int line, JsonNode node) {
    }

    /** The indicator, or null when it is revoked. */
    private static Indicator indicator(JsonNode n, Map<String, String> identities, String fallbackSource,
                                       String origin) {
        if (n.path("revoked").asBoolean(false)) {
            return null;
        }
        String id = n.path("id").asText("");
        if (!id.startsWith("indicator--")) {
            throw new IllegalArgumentException("missing or bad id '" + id + "'");
        }
        String patternType = n.path("pattern_type").asText("stix");
        if (!patternType.equals("stix")) {
            throw new IllegalArgumentException("pattern_type '" + patternType + "' is not supported (only stix)");
        }
        String pattern = n.path("pattern").asText("").trim();
        Matcher m = SIMPLE.matcher(pattern);
        if (!m.matches()) {
            throw new IllegalArgumentException("pattern " + pattern + " is not a single supported comparison");
        }
        IndicatorType type = type(m.group(1), m.group(2), pattern);
        String value = type.normalize(m.group(3).replace("\\'", "'").replace("\\\\", "\\"));
        if (!type.isValid(value)) {
            throw new IllegalArgumentException("'" + value + "' is not a valid " + type.word());
        }
        int confidence = n.has("confidence") ? n.path("confidence").asInt(-1) : IndicatorFeedLoader.DEFAULT_CONFIDENCE;
        if (confidence < 0 || confidence > 100) {
            throw new IllegalArgumentException("confidence " + n.path("confidence") + " is outside 0-100");
        }
        String source = identities.getOrDefault(n.path("created_by_ref").asText(""), fallbackSource);
        LocalDate from = IndicatorFeedLoader.date(n.path("valid_from").asText(""));
        LocalDate until = until(n.path("valid_until").asText(""));
        return new Indicator(id, type, value, source, confidence, from, until, origin);
    }

    /** STIX valid_until is exclusive: an indicator valid until midnight of day D last applies on D-1. */
    private static LocalDate until(String text) {
        if (text.isBlank()) {
            return null;
        }
        java.time.ZonedDateTime t;
        try {
            t = java.time.OffsetDateTime.parse(text).atZoneSameInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("valid_until '" + text + "' is not an RFC 3339 timestamp");
        }
        LocalDate d = t.toLocalDate();
        return t.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? d.minusDays(1) : d;
    }

    private static IndicatorType type(String object, String property, String pattern) {
        String key = object + ":" + property;
        return switch (key) {
            case "ipv4-addr:value", "ipv6-addr:value" -> IndicatorType.IP;
            case "domain-name:value" -> IndicatorType.DOMAIN;
            case "url:value" -> IndicatorType.URL;
            case "file:hashes.'SHA-256'", "file:hashes.'sha256'", "file:hashes.SHA256" -> IndicatorType.SHA256;
            default -> throw new IllegalArgumentException("pattern " + pattern + " uses " + key
                    + ", which is not supported (ipv4-addr, ipv6-addr, domain-name, url, file SHA-256)");
        };
    }
}
