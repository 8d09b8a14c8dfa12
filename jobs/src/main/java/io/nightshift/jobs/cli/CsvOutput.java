package io.nightshift.jobs.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Query results as RFC 4180 CSV (Commons CSV): a cell holding the separator, a quote or a line break is quoted, so a
 * stack trace stays one cell. With neutralising on, a text cell that a spreadsheet would run as a formula (it starts
 * with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return; OWASP's CSV injection list) gets a
 * leading {@code '}, which spreadsheets show and do not evaluate. Numbers are never changed: {@code -5} is a number.
 */
final class CsvOutput {
    private final PrintStream out;
    private final boolean neutraliseFormulas;

    CsvOutput(PrintStream out, boolean neutraliseFormulas) {
        this.out = out;
        this.neutraliseFormulas = neutraliseFormulas;
    }

    void write(StructType schema, List<Row> rows) {
        try {
            CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180);
            printer.printRecord((Object[]) schema.fieldNames());
            StructField[] fields = schema.fields();
            for (Row r : rows) {
                List<Object> cells = new ArrayList<>(r.length());
                for (int i = 0; i < r.length(); i++) {
                    cells.add(cell(r.get(i), fields[i].dataType() instanceof StringType));
                }
                printer.printRecord(cells);
            }
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object cell(Object value, boolean text) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        return text && neutraliseFormulas && looksLikeFormula(s) ? "'" + s : s;
    }

    static boolean looksLikeFormula(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char c = s.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }
}
