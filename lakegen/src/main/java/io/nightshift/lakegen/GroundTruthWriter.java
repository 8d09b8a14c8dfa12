package io.nightshift.lakegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.nightshift.lakegen.scenario.GroundTruth;

/**
 * Writes {@code ground_truth.json}: a JSON array with one object per injected scenario (an empty array when none).
 * Dates and times are ISO-8601 strings ({@code 2026-11-18}, {@code 2026-11-18T14:05:00Z}).
 */
public final class GroundTruthWriter {
    public static final String FILE = "ground_truth.json";

    private GroundTruthWriter() {
    }

    public static void write(Path file, List<GroundTruth> entries) {
        List<Map<String, Object>> json = entries.stream().map(GroundTruthWriter::toJson).toList();
        try {
            Files.createDirectories(file.getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> toJson(GroundTruth g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("kind", g.kind());
        m.put("description", g.description());
        m.put("date", g.date().toString());
        m.put("start", g.start().toString());
        m.put("end", g.end().toString());
        m.put("visibility", g.visibility());
        m.put("entities", g.entities());
        m.put("marker_attribute", g.markerAttribute());
        m.put("row_count", g.rowCount());
        return m;
    }
}
