package io.nightshift.jobs.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * How complete each canonical column was on a date, compared with earlier dates: a column that is null in every row
 * of a day although it had values before is schema drift (a producer renamed or stopped filling it) that would
 * otherwise pass silently, since optional columns may be null. With it, how the lake's values were converted to the
 * column's type, and how many of them no conversion rule could use ({@link ValueConversion}): a boolean mapped to
 * {@code status_code} is counted here rather than stored as a status.
 *
 * @param rowsRead   rows read for the date
 * @param rowsUsable rows that passed validation (before de-duplication)
 * @param columns    one profile per canonical column, in schema order
 */
public record LakeProfile(long rowsRead, long rowsUsable, List<ColumnProfile> columns) {
    public static final String OK = "ok";
    public static final String NO_ROWS = "no_rows";
    public static final String EMPTY = "empty";
    public static final String BECAME_NULL = "became_null";

    private static final String ROWS = "__rows";
    private static final String USABLE = "__usable";
    private static final StructType SCHEMA = StructType.fromDDL("column_name STRING, lake_column STRING, rows BIGINT, "
            + "non_null BIGINT, status STRING, last_seen_date DATE, type_warnings BIGINT, conversion STRING");

    /**
     * One column on one date.
     *
     * @param typeWarnings rows whose lake value was there but of a type no conversion rule turns into this column's
     * @param conversion   how the lake's values were converted ({@link SchemaMapper#CONVERSION}), or null
     */
    public record ColumnProfile(String column, String lakeColumn, long rows, long nonNull, String status,
                                LocalDate lastSeen, long typeWarnings, String conversion) {
        public String describe(LocalDate date) {
            return "column '" + column + "'" + lake() + " is null in all " + rows + " rows of " + date
                    + "; it had values on " + lastSeen;
        }

        /** The type warnings in a sentence. */
        public String describeTypeWarnings() {
            return "column '" + column + "'" + lake() + ": " + typeWarnings + " of " + rows + " values could not be"
                    + " converted (" + conversion + ") and were left null";
        }

        private String lake() {
            return column.equals(lakeColumn) ? "" : " (lake column '" + lakeColumn + "')";
        }
    }

    /**
     * @param rows     the date's rows as {@link LakeInput#checked()} has them: all rows read, quarantined ones too
     *                 (a required column gone null quarantines every row, and the profile says why). One pass
     *                 counts them all.
     * @param history  {@code lake_profile} rows of the earlier dates to compare with
     * @param mapping  canonical column → lake column, for the columns whose names differ
     */
    public static LakeProfile of(Dataset<Row> rows, Dataset<Row> history, Map<String, String> mapping) {
        List<Column> counts = counts();
        return of(rows.agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new)).first(), history,
                mapping, SchemaMapper.conversions(rows.schema()));
    }

    /**
     * The aggregates a profile is made of, over the rows of {@link LakeInput#checked()}: to be computed in a pass
     * over the day that happens anyway ({@link LakeInput#cachedRows(List)} observes them while filling its cache).
     */
    public static List<Column> counts() {
        List<Column> counts = new ArrayList<>();
        counts.add(count(lit(1)).as(ROWS));
        counts.add(count(when(col(RowValidator.REASON).isNull(), lit(1))).as(USABLE));
        for (String c : CanonicalSchema.COLUMNS.keySet()) {
            counts.add(count(col("`" + c + "`")).as(c));
        }
        for (String c : CanonicalSchema.COLUMNS.keySet()) {
            counts.add(count(when(col(SchemaMapper.TYPE_WARNING + c), lit(1))).as(SchemaMapper.TYPE_WARNING + c));
        }
        return counts;
    }

    /**
     * @param r           the values of {@link #counts()}, in their order
     * @param conversions canonical column → how its values were converted ({@link LakeInput#conversions()})
     */
    public static LakeProfile of(Row r, Dataset<Row> history, Map<String, String> mapping,
                                 Map<String, String> conversions) {
        Map<String, LocalDate> lastSeen = new HashMap<>();
        history.where(col("non_null").gt(0)).groupBy("column_name").agg(max("date")).collectAsList()
                .forEach(h -> lastSeen.put(h.getString(0), h.getDate(1).toLocalDate()));
        long total = r.getLong(0);
        List<ColumnProfile> out = new ArrayList<>();
        int field = 2;
        int warnings = 2 + CanonicalSchema.COLUMNS.size();
        for (String c : CanonicalSchema.COLUMNS.keySet()) {
            long nonNull = r.getLong(field++);
            LocalDate seen = lastSeen.get(c);
            String status = total == 0 ? NO_ROWS : nonNull > 0 ? OK : seen != null ? BECAME_NULL : EMPTY;
            out.add(new ColumnProfile(c, mapping.getOrDefault(c, c), total, nonNull, status, seen,
                    r.getLong(warnings++), conversions.get(c)));
        }
        return new LakeProfile(total, r.getLong(1), out);
    }

    public List<ColumnProfile> becameNull() {
        return columns.stream().filter(c -> BECAME_NULL.equals(c.status())).toList();
    }

    /** The columns some of whose lake values no conversion rule could use. */
    public List<ColumnProfile> withTypeWarnings() {
        return columns.stream().filter(c -> c.typeWarnings() > 0).toList();
    }

    /** The profile in the {@code lake_profile} table's shape (without its date column). */
    public Dataset<Row> toRows(SparkSession spark) {
        List<Row> rows = columns.stream().map(c -> RowFactory.create(c.column(), c.lakeColumn(), c.rows(), c.nonNull(),
                c.status(), c.lastSeen() == null ? null : Date.valueOf(c.lastSeen()), c.typeWarnings(), c.conversion()))
                .toList();
        return spark.createDataFrame(rows, SCHEMA);
    }
}
