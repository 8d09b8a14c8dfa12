package io.nightshift.jobs.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * Decides which canonical rows are unusable and why. Pure: appends {@link #REASON} (null for a good row, otherwise
 * a short reason a person reads). The first failing check wins, in the order below.
 */
public final class RowValidator {
    public static final String REASON = "_quarantine_reason";

    private RowValidator() {
    }

    /**
     * @param rows         output of {@link SchemaMapper#toCanonical}
     * @param logicalDate  the run's date; a row whose timestamp falls on another day is unusable for it
     */
    public static Dataset<Row> withReason(Dataset<Row> rows, LocalDate logicalDate) {
        Column ts = col(CanonicalSchema.TIMESTAMP);
        Column raw = col(SchemaMapper.RAW_TIMESTAMP);
        Column rawText = raw.cast("string");
        // ts first: the raw value is only turned into text for the rows without a parsed timestamp.
        Column reason = when(ts.isNull().and(raw.isNull().or(trim(rawText).equalTo(""))), lit("missing timestamp"))
                .when(ts.isNull(), concat(lit("unparsable timestamp '"), rawText, lit("'")));
        for (String required : CanonicalSchema.REQUIRED) {
            if (!required.equals(CanonicalSchema.TIMESTAMP)) {
                Column c = col(required);
                reason = reason.when(c.isNull().or(trim(c).equalTo("")), lit("missing required value: " + required));
            }
        }
        reason = reason.when(to_date(ts).notEqual(lit(logicalDate.toString()).cast("date")),
                concat(lit("timestamp "), date_format(ts, "yyyy-MM-dd'T'HH:mm:ss'Z'"),
                        lit(" is outside the logical date " + logicalDate)));
        return rows.withColumn(REASON, reason.otherwise(lit(null).cast("string")));
    }
}
