package io.nightshift.jobs.after.report;

/**
 * HTML escaping for the report. Everything that comes from the logs or the tables (messages, templates, service
 * names, incident summaries) is attacker-controlled, so every piece of data goes through {@link #text} (element
 * content) or {@link #attr} (a double-quoted attribute value) before it reaches the page, and no data ever lands in
 * a script, a style, a URL or an unquoted attribute.
 */
final class Html {
    private Html() {
    }

    /** Escapes {@code value} for element content (also inside SVG {@code <text>} and {@code <title>}). */
    static String text(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    // Control characters other than tab and line breaks are not allowed in HTML text; show that
                    // something was there instead of passing them on.
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                        sb.append('\uFFFD');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Escapes {@code value} for a double-quoted attribute value (the writer always quotes with {@code "}). */
    static String attr(String value) {
        return text(value);
    }
}
