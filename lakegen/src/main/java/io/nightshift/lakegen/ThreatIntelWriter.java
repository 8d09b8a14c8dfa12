package io.nightshift.lakegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Writes the feed twice, as the two formats the intel stage reads: {@code indicators.csv}
 * ({@code type,value,source,confidence,expiry}) with every indicator, and {@code feed.stix.json}, a STIX 2.1
 * bundle with the unexpired network indicators and one file hash.
 */
public final class ThreatIntelWriter {
    public static final String CSV = "indicators.csv";
    public static final String STIX = "feed.stix.json";

    private ThreatIntelWriter() {
    }

    public static void write(Path dir, GeneratorSpec spec) {
        List<ThreatIntel.Indicator> indicators = ThreatIntel.indicators(spec);
        List<String> lines = new ArrayList<>();
        lines.add("type,value,source,confidence,expiry");
        indicators.forEach(i -> lines.add(CsvLines.line(i.type(), i.value(), i.source(), i.confidence(), i.expiry())));
        CsvLines.write(dir.resolve(CSV), lines);
        writeStix(dir.resolve(STIX), spec, indicators);
    }

    private static void writeStix(Path file, GeneratorSpec spec, List<ThreatIntel.Indicator> indicators) {
        Instant created = spec.startDate().minusDays(10).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant now = spec.startDate().atStartOfDay().toInstant(ZoneOffset.UTC);
        List<Map<String, Object>> objects = new ArrayList<>();
        for (ThreatIntel.Indicator i : indicators) {
            boolean live = i.expiry().isAfter(now);
            if (live && (!i.type().equals("sha256") || objects.stream().noneMatch(o -> o.get("pattern").toString()
                    .startsWith("[file")))) {
                objects.add(stixIndicator(i, created));
            }
        }
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--" + UUID.nameUUIDFromBytes(("nightshift-" + spec.seed()).getBytes(StandardCharsets.UTF_8)));
        bundle.put("objects", objects);
        try {
            Files.createDirectories(file.getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), bundle);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> stixIndicator(ThreatIntel.Indicator i, Instant created) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("type", "indicator");
        o.put("spec_version", "2.1");
        o.put("id", "indicator--" + UUID.nameUUIDFromBytes((i.type() + ":" + i.value()).getBytes(StandardCharsets.UTF_8)));
        o.put("created", created.toString());
        o.put("modified", created.toString());
        o.put("name", i.type() + " " + i.value() + " (" + i.source() + ")");
        o.put("indicator_types", List.of("malicious-activity"));
        o.put("pattern", pattern(i));
        o.put("pattern_type", "stix");
        o.put("valid_from", created.toString());
        o.put("valid_until", i.expiry().toString());
        o.put("confidence", i.confidence());
        return o;
    }

    private static String pattern(ThreatIntel.Indicator i) {
        return switch (i.type()) {
            case "ip" -> "[ipv4-addr:value = '" + i.value() + "']";
            case "domain" -> "[domain-name:value = '" + i.value() + "']";
            case "url" -> "[url:value = '" + i.value() + "']";
            default -> "[file:hashes.'SHA-256' = '" + i.value() + "']";
        };
    }
}
