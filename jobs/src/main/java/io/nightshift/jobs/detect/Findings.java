package io.nightshift.jobs.detect;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The contract every detector writes to the shared {@code findings} table (see {@code ResultTables.FINDINGS}).
 * A detector produces rows with at least {@code detector}, {@code detector_id}, {@code title}, {@code description},
 * {@code score} (0–100), {@code first_seen}, {@code last_seen} and whichever entity columns apply; {@link #withIds}
 * then adds the deterministic {@code finding_id} and {@code fingerprint}.
 */
public final class Findings {
    /** Entity columns, in the order they enter ids and fingerprints. */
    public static final List<String> ENTITY_COLUMNS =
            List.of("tenant_id", "user", "host", "src_ip", "service", "region", "datacenter", "farm");

    private Findings() {
    }

    /**
     * The fingerprint names what was detected on which entities, without time: the same check on the same entities
     * on another night has the same fingerprint (what a false-positive verdict suppresses).
     */
    public static Column fingerprint() {
        List<Column> parts = new ArrayList<>();
        parts.add(col("detector"));
        parts.add(col("detector_id"));
        for (String e : ENTITY_COLUMNS) {
            parts.add(coalesce(col("`" + e + "`"), lit("")));
        }
        return substring(sha2(concat_ws("|", parts.toArray(Column[]::new)), 256), 1, 24);
    }

    /** Adds {@code fingerprint} and {@code finding_id} (fingerprint + first_seen): same input, same id. */
    public static Dataset<Row> withIds(Dataset<Row> findings) {
        Dataset<Row> complete = findings;
        for (String e : ENTITY_COLUMNS) {
            if (!java.util.Arrays.asList(complete.columns()).contains(e)) {
                complete = complete.withColumn(e, lit(null).cast("string"));
            }
        }
        return complete
                .withColumn("fingerprint", fingerprint())
                .withColumn("finding_id", substring(sha2(concat_ws("|", col("fingerprint"),
                        date_format(col("first_seen"), "yyyy-MM-dd'T'HH:mm:ss")), 256), 1, 24));
    }

    /** Severity word for a 0–100 score, shared by every detector so scores and words agree. */
    public static Column severityOf(Column score) {
        return org.apache.spark.sql.functions.when(score.geq(90), lit("critical"))
                .when(score.geq(70), lit("high"))
                .when(score.geq(40), lit("medium"))
                .when(score.geq(15), lit("low"))
                .otherwise(lit("informational"));
    }
}
