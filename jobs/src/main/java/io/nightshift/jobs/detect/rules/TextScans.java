package io.nightshift.jobs.detect.rules;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * Gathers the text tests of many conditions per field while they are compiled, each test becoming a bit of one
 * {@link TextScan} column of its field; {@link #columns()} are then added to the rows before the conditions read
 * them. Used by {@link RuleStage} for its one pass over the day with every rule's condition.
 *
 * <p>The scan columns are marked non-deterministic: Spark would otherwise inline a scan into every condition that
 * reads one of its bits (collapsing the projections, or pushing the rules' filter below them), and each test would
 * scan the text again.
 */
final class TextScans implements ConditionCompiler.TextTests {
    private static final String PREFIX = "_text_scan_";

    private final Map<String, FieldTests> byField = new LinkedHashMap<>();

    private record FieldTests(Column field, int index, List<TextMatch> tests) {
    }

    @Override
    public Column test(Column field, TextMatch match) {
        FieldTests f = byField.computeIfAbsent(field.toString(),
                k -> new FieldTests(field, byField.size(), new ArrayList<>()));
        int i = f.tests().size();
        f.tests().add(match);
        String column = name(f.index(), i / TextScan.MAX_TESTS);
        return col(column).bitwiseAND(lit(1L << (i % TextScan.MAX_TESTS))).notEqual(lit(0L));
    }

    /** The scan columns by name, for every test compiled so far. */
    Map<String, Column> columns() {
        Map<String, Column> out = new LinkedHashMap<>();
        for (FieldTests f : byField.values()) {
            for (int from = 0, chunk = 0; from < f.tests().size(); from += TextScan.MAX_TESTS, chunk++) {
                List<TextMatch> part = f.tests().subList(from, Math.min(f.tests().size(), from + TextScan.MAX_TESTS));
                out.put(name(f.index(), chunk), udf(new TextScan(List.copyOf(part)), DataTypes.LongType)
                        .asNondeterministic().apply(f.field()));
            }
        }
        return out;
    }

    private static String name(int field, int chunk) {
        return PREFIX + field + "_" + chunk;
    }
}
