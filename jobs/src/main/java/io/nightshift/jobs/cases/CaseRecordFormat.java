package io.nightshift.jobs.cases;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Prints a {@link CaseRecord}. Much of a case comes from the logs, which attackers write: the text form replaces
 * control characters (a log line must not move a terminal's cursor or recolour it), the Markdown form escapes every
 * character Markdown or HTML would interpret, and JSON escapes by construction.
 */
public enum CaseRecordFormat {
    TEXT, JSON, MARKDOWN;

    private static final ObjectMapper JSON_MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static CaseRecordFormat parse(String word) {
        for (CaseRecordFormat f : values()) {
            if (f.name().toLowerCase(Locale.ROOT).equals(word)) {
                return f;
            }
        }
        throw io.nightshift.jobs.base.NightshiftException.usage("unknown format '" + word
                + "'; formats are text, json, markdown");
    }

    public String render(CaseRecord record) {
        return switch (this) {
            case JSON -> json(record.sections());
            case TEXT -> text(record.sections());
            case MARKDOWN -> markdown(record.sections());
        };
    }

    private static String json(Map<String, Object> sections) {
        try {
            return JSON_MAPPER.writeValueAsString(sections) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(Map<String, Object> sections) {
        StringBuilder sb = new StringBuilder();
        for (var e : sections.entrySet()) {
            sb.append("== ").append(e.getKey().toUpperCase(Locale.ROOT)).append(" ==\n");
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                m.forEach((k, x) -> textValue(sb, "  " + k + ": ", x));
            } else if (v instanceof List<?> l) {
                if (l.isEmpty()) {
                    sb.append("  (none)\n");
                }
                for (Object item : l) {
                    if (item instanceof Map<?, ?> m) {
                        String sep = "  - ";
                        for (var f : m.entrySet()) {
                            textValue(sb, sep + f.getKey() + ": ", f.getValue());
                            sep = "    ";
                        }
                    } else {
                        sb.append("  - ").append(plain(item)).append('\n');
                    }
                }
            } else {
                sb.append("  ").append(v == null || String.valueOf(v).isEmpty() ? "(none)" : plain(v)).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void textValue(StringBuilder sb, String label, Object v) {
        if (v instanceof List<?> l && !l.isEmpty()) {
            sb.append(label.stripTrailing()).append('\n');
            String indent = " ".repeat(label.length() - label.stripLeading().length() + 2);
            l.forEach(x -> sb.append(indent).append("- ").append(plain(x)).append('\n'));
        } else {
            sb.append(label).append(v == null || (v instanceof List<?> l2 && l2.isEmpty()) ? "-" : plain(v))
                    .append('\n');
        }
    }

    /** Control characters (ESC, CR, BEL...) shown as visible escapes instead of being sent to the terminal. */
    public static String plain(Object v) {
        String s = String.valueOf(v);
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E)
                    || (cp >= 0x2066 && cp <= 0x2069)) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    private static String markdown(Map<String, Object> sections) {
        StringBuilder sb = new StringBuilder();
        Object incident = sections.get("incident");
        String title = incident instanceof Map<?, ?> m ? m.get("incident_id") + ": " + m.get("title") : "Incident";
        sb.append("# ").append(md(title)).append("\n\n");
        for (var e : sections.entrySet()) {
            sb.append("## ").append(capitalise(e.getKey())).append("\n\n");
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                m.forEach((k, x) -> {
                    if (x instanceof List<?> l && !l.isEmpty()) {
                        sb.append("- **").append(md(k)).append("**:\n");
                        l.forEach(item -> sb.append("  - ").append(md(item)).append('\n'));
                    } else {
                        sb.append("- **").append(md(k)).append("**: ").append(x == null ? "—" : md(x)).append('\n');
                    }
                });
            } else if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> first) {
                List<?> keys = List.copyOf(first.keySet());
                sb.append('|');
                keys.forEach(k -> sb.append(' ').append(md(k)).append(" |"));
                sb.append("\n|");
                keys.forEach(k -> sb.append(" --- |"));
                sb.append('\n');
                for (Object row : l) {
                    Map<?, ?> r = (Map<?, ?>) row;
                    sb.append('|');
                    keys.forEach(k -> sb.append(' ').append(r.get(k) == null ? "" : md(r.get(k))).append(" |"));
                    sb.append('\n');
                }
            } else if (v instanceof List<?> l) {
                if (l.isEmpty()) {
                    sb.append("_none_\n");
                }
                l.forEach(item -> sb.append("- ").append(md(item)).append('\n'));
            } else {
                sb.append(v == null || String.valueOf(v).isEmpty() ? "_none_" : md(v)).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Markdown-inert text on one line: emphasis, code, links, table pipes and inline HTML are escaped. Values never
     * start a line (they follow a bullet's label or sit in a table cell), so line-start syntax needs no escaping.
     */
    static String md(Object v) {
        String s = plain(v instanceof List<?> l ? String.join(", ", l.stream().map(String::valueOf).toList()) : v);
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '\\', '`', '*', '_', '{', '}', '[', ']', '|', '~' ->
                        sb.append('\\').append(c);
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
