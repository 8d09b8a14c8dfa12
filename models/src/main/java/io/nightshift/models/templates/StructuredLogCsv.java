package io.nightshift.models.templates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a loghub {@code *_structured.csv} file (RFC 4180: comma-separated, fields optionally double-quoted, a quote
 * inside a quoted field doubled; quoted fields contain commas in most systems) into its {@code Content} and
 * {@code EventId} columns, in file order.
 */
public final class StructuredLogCsv {

    /** One labelled line: the message text and its ground-truth event id. */
    public record LabelledLine(String content, String eventId) {
    }

    private StructuredLogCsv() {
    }

    /**
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException naming the file when the header lacks Content or EventId, or a row is short
     */
    public static List<LabelledLine> read(Path file) throws IOException {
        List<List<String>> records = parse(Files.readString(file, StandardCharsets.UTF_8));
        if (records.isEmpty()) {
            throw new IllegalArgumentException("CSV file " + file + " is empty; expected a header row");
        }
        List<String> header = records.get(0);
        int content = header.indexOf("Content");
        int eventId = header.indexOf("EventId");
        if (content < 0 || eventId < 0) {
            throw new IllegalArgumentException(String.format(
                    "CSV file %s needs columns Content and EventId; header is %s", file, header));
        }
        List<LabelledLine> lines = new ArrayList<>(records.size() - 1);
        for (int i = 1; i < records.size(); i++) {
            List<String> record = records.get(i);
            if (record.size() <= Math.max(content, eventId)) {
                throw new IllegalArgumentException(String.format(
                        "CSV file %s record %d has %d fields, fewer than the header's %d", file, i, record.size(),
                        header.size()));
            }
            lines.add(new LabelledLine(record.get(content), record.get(eventId)));
        }
        return lines;
    }

    /** Splits CSV text into records of fields; CR LF and LF both end a record outside quotes. */
    static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                field.setLength(0);
                records.add(fields);
                fields = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            records.add(fields);
        }
        return records;
    }
}
