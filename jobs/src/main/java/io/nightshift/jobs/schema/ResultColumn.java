package io.nightshift.jobs.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One column of a {@link ResultTable} as its definition declares it, read without Spark: {@code nightshift tables}
 * and the warehouse's Spark-free readers need the names, types and comments, and loading Spark's SQL parser for them
 * cost a second of start-up. Spark still parses the same definition into {@link ResultTable#schema()} for writing;
 * a test holds the two readings equal for every table.
 *
 * @param type     the type as Spark prints it ({@code DataType.simpleString()}): {@code bigint}, {@code array<string>},
 *                 {@code map<int,bigint>}, {@code struct<type:string,value:string>}
 * @param comment  the column's comment, empty when it has none
 */
public record ResultColumn(String name, String type, boolean nullable, String comment) {

    /** Spark's names of the primitive types the definitions use, by their DDL spelling. */
    private static final Map<String, String> PRIMITIVES = Map.ofEntries(Map.entry("STRING", "string"),
            Map.entry("BIGINT", "bigint"), Map.entry("LONG", "bigint"), Map.entry("INT", "int"),
            Map.entry("INTEGER", "int"), Map.entry("SMALLINT", "smallint"), Map.entry("TINYINT", "tinyint"),
            Map.entry("DOUBLE", "double"), Map.entry("FLOAT", "float"), Map.entry("BOOLEAN", "boolean"),
            Map.entry("DATE", "date"), Map.entry("TIMESTAMP", "timestamp"), Map.entry("BINARY", "binary"));

    /**
     * The columns of a Spark DDL column list ({@code name TYPE [NOT NULL] [COMMENT 'text'], ...}) in the subset the
     * result tables use: primitive types, {@code ARRAY<T>}, {@code MAP<K, V>} and {@code STRUCT<name: T, ...>}.
     *
     * @throws IllegalArgumentException naming the position and what was expected, for anything outside that subset
     */
    public static List<ResultColumn> parse(String ddl) {
        Ddl in = new Ddl(ddl);
        List<ResultColumn> columns = new ArrayList<>();
        do {
            String name = in.identifier();
            String type = in.type();
            boolean nullable = true;
            if (in.keyword("NOT")) {
                in.expectKeyword("NULL");
                nullable = false;
            }
            String comment = in.keyword("COMMENT") ? in.quoted() : "";
            columns.add(new ResultColumn(name, type, nullable, comment));
        } while (in.symbol(','));
        in.expectEnd();
        return columns;
    }

    /** A cursor over the DDL text. */
    private static final class Ddl {
        private final String text;
        private int at;

        Ddl(String text) {
            this.text = text;
        }

        String identifier() {
            skipSpaces();
            if (at < text.length() && text.charAt(at) == '`') {
                int end = text.indexOf('`', at + 1);
                if (end < 0) {
                    throw error("a closing `");
                }
                String name = text.substring(at + 1, end);
                at = end + 1;
                return name;
            }
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            if (start == at) {
                throw error("a name");
            }
            return text.substring(start, at);
        }

        String type() {
            String word = identifier().toUpperCase(Locale.ROOT);
            switch (word) {
                case "ARRAY" -> {
                    expectSymbol('<');
                    String element = type();
                    expectSymbol('>');
                    return "array<" + element + ">";
                }
                case "MAP" -> {
                    expectSymbol('<');
                    String key = type();
                    expectSymbol(',');
                    String value = type();
                    expectSymbol('>');
                    return "map<" + key + "," + value + ">";
                }
                case "STRUCT" -> {
                    expectSymbol('<');
                    List<String> fields = new ArrayList<>();
                    do {
                        String field = identifier();
                        symbol(':');
                        fields.add(field + ":" + type());
                    } while (symbol(','));
                    expectSymbol('>');
                    return "struct<" + String.join(",", fields) + ">";
                }
                default -> {
                    String primitive = PRIMITIVES.get(word);
                    if (primitive == null) {
                        at -= word.length();
                        throw error("one of the types " + PRIMITIVES.keySet() + ", ARRAY, MAP or STRUCT");
                    }
                    return primitive;
                }
            }
        }

        /** A single-quoted literal; a quote inside is written twice or escaped with a backslash. */
        String quoted() {
            expectSymbol('\'');
            StringBuilder b = new StringBuilder();
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '\\' && at < text.length()) {
                    b.append(text.charAt(at++));
                } else if (c == '\'' && at < text.length() && text.charAt(at) == '\'') {
                    b.append('\'');
                    at++;
                } else if (c == '\'') {
                    return b.toString();
                } else {
                    b.append(c);
                }
            }
            throw error("a closing '");
        }

        boolean keyword(String word) {
            skipSpaces();
            int end = at + word.length();
            if (text.regionMatches(true, at, word, 0, word.length())
                    && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
                at = end;
                return true;
            }
            return false;
        }

        void expectKeyword(String word) {
            if (!keyword(word)) {
                throw error(word);
            }
        }

        boolean symbol(char c) {
            skipSpaces();
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        void expectSymbol(char c) {
            if (!symbol(c)) {
                throw error("'" + c + "'");
            }
        }

        void expectEnd() {
            skipSpaces();
            if (at < text.length()) {
                throw error("',' or the end");
            }
        }

        private void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private IllegalArgumentException error(String expected) {
            String near = text.substring(at, Math.min(text.length(), at + 30));
            return new IllegalArgumentException("column definitions: expected " + expected + " at position " + at
                    + " (near '" + near + "') in: " + text);
        }
    }
}
