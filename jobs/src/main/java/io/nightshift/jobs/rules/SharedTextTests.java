package io.nightshift.jobs.rules;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * The text tests of a whole catalog, evaluated together: per field, one Java function per row decodes the text once
 * and runs every rule's tests on it, giving a bit mask (64 tests a column); a rule's condition reads its bits. Each
 * test used alone decoded the message again: about nine times a row across the shipped catalog.
 */
final class SharedTextTests {
    private final Map<String, FieldRef> fields = new LinkedHashMap<>();
    private final Map<String, List<TextMatch>> tests = new LinkedHashMap<>();

    /** The test's result for a row, as a boolean column (null where the field is null). */
    Column test(FieldRef field, TextMatch test) {
        String key = field.toString();
        fields.putIfAbsent(key, field);
        List<TextMatch> list = tests.computeIfAbsent(key, k -> new ArrayList<>());
        int i = list.size();
        list.add(test);
        return col(columnName(key, i / 64)).bitwiseAND(lit(1L << (i % 64))).notEqual(lit(0L));
    }

    private String columnName(String key, int chunk) {
        return "_text_tests_" + new ArrayList<>(fields.keySet()).indexOf(key) + "_" + chunk;
    }

    /** The columns the conditions read, to add to the rows before filtering them. */
    Map<String, Column> columns() {
        Map<String, Column> out = new LinkedHashMap<>();
        for (var e : tests.entrySet()) {
            List<TextMatch> all = e.getValue();
            for (int chunk = 0; chunk * 64 < all.size(); chunk++) {
                TextMatch[] part = all.subList(chunk * 64, Math.min(all.size(), chunk * 64 + 64))
                        .toArray(TextMatch[]::new);
                // Non-deterministic for the optimizer only: a deterministic function would be copied into the filter
                // that reads it, once per bit read.
                out.put(columnName(e.getKey(), chunk), udf(new Mask(part), DataTypes.LongType).asNondeterministic()
                        .apply(fields.get(e.getKey()).column()));
            }
        }
        return out;
    }

    boolean isEmpty() {
        return tests.isEmpty();
    }

    /** The bits of one row's text: bit i set when test i holds; null for a null text. */
    private record Mask(TextMatch[] tests) implements UDF1<String, Long>, Serializable {
        @Override
        public Long call(String text) {
            if (text == null) {
                return null;
            }
            long bits = 0;
            for (int i = 0; i < tests.length; i++) {
                if (Boolean.TRUE.equals(tests[i].call(text))) {
                    bits |= 1L << i;
                }
            }
            return bits;
        }
    }
}
