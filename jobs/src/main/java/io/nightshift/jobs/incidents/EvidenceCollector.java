package io.nightshift.jobs.incidents;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.base64;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.is_valid_utf8;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import io.nightshift.jobs.redaction.Redactor;
import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * Picks the log rows behind each incident's findings and preserves them whole: the rows a finding names in
 * {@code evidence_row_ids}, or, for findings over aggregates (trends), the rows of its most specific entity inside
 * its time range, errors first. At most {@code perFinding} rows per finding. Each row is kept as the JSON of its
 * canonical columns with the SHA-256 of exactly that text.
 *
 * <p>JSON is text, so a value that is not valid UTF-8 shows its undecodable bytes as U+FFFD; its exact bytes are
 * kept beside it, base64-encoded, under {@code invalid_utf8}, so nothing of what the lake held is lost. With
 * redaction on, string values are masked before they are preserved (and hashed).
 */
public final class EvidenceCollector {
    /** Most specific first: a host pins a finding down better than its service does. */
    private static final List<String> ENTITY_PRIORITY = List.of("host", "user", "src_ip", "tenant_id", "service");
    /** What finds a finding's rows and orders them: the id, the entities, the scope, the time, the level. */
    private static final List<String> KEY_COLUMNS = Stream.of(List.of(CanonicalSchema.ROW_ID), ENTITY_PRIORITY,
            List.of("region", "datacenter", "timestamp", "level")).flatMap(List::stream).toList();

    private final int perFinding;
    private final Redactor redactor;

    /** @param redactor masks secrets and personal data in the preserved rows; null keeps them as logged */
    public EvidenceCollector(int perFinding, Redactor redactor) {
        this.perFinding = perFinding;
        this.redactor = redactor;
    }

    /**
     * @param members  {@code incident_id, finding_id} plus the finding columns (entities, times, evidence_row_ids)
     * @param logs     the day's canonical rows
     * @return rows in the {@code incident_evidence} shape
     */
    public Dataset<Row> collect(Dataset<Row> members, Dataset<Row> logs, LocalDate date) {
        // Rows are chosen on the few columns that find and order them; only the chosen ones are read whole, in one
        // more pass. Matching on whole rows read every cached column of the day once per kind of match.
        Dataset<Row> keys = logs.select(KEY_COLUMNS.stream().map(c -> col(quote(c))).toArray(Column[]::new));
        Dataset<Row> named = members.where(col("evidence_row_ids").isNotNull().and(size(col("evidence_row_ids")).gt(0)))
                .select(col("incident_id"), col("finding_id"), explode(col("evidence_row_ids")).as("row_id"));
        Dataset<Row> namedRows = keys.join(broadcast(named), "row_id")
                .withColumn("rank", lit(0));

        Dataset<Row> unnamed = members.where(col("evidence_row_ids").isNull().or(size(col("evidence_row_ids")).equalTo(0)));
        List<Dataset<Row>> parts = new ArrayList<>();
        for (int i = 0; i < ENTITY_PRIORITY.size(); i++) {
            String entity = ENTITY_PRIORITY.get(i);
            Column mostSpecific = col(entity).isNotNull();
            for (int j = 0; j < i; j++) {
                mostSpecific = mostSpecific.and(col(ENTITY_PRIORITY.get(j)).isNull());
            }
            Dataset<Row> f = unnamed.where(mostSpecific).select(col("incident_id"), col("finding_id"),
                    col(entity).as("f_key"), col("first_seen").as("f_first"), col("last_seen").as("f_last"),
                    col("region").as("f_region"), col("datacenter").as("f_dc"));
            Dataset<Row> hits = keys.join(broadcast(f), keys.col(quote(entity)).equalTo(f.col("f_key"))
                    .and(keys.col("timestamp").geq(f.col("f_first")))
                    .and(keys.col("timestamp").lt(f.col("f_last")))
                    .and(f.col("f_region").isNull().or(keys.col("region").equalTo(f.col("f_region"))))
                    .and(f.col("f_dc").isNull().or(keys.col("datacenter").equalTo(f.col("f_dc")))));
            parts.add(hits.drop("f_key", "f_first", "f_last", "f_region", "f_dc").withColumn("rank", lit(1)));
        }
        Dataset<Row> candidates = namedRows;
        for (Dataset<Row> p : parts) {
            candidates = candidates.unionByName(p);
        }
        Column isError = col("level").isin(CanonicalSchema.ERROR_LEVELS.toArray());
        Dataset<Row> bounded = candidates
                .withColumn("n", row_number().over(Window.partitionBy("incident_id", "finding_id")
                        .orderBy(col("rank"), when(isError, 0).otherwise(1), col("timestamp"), col("row_id"))))
                .where(col("n").leq(perFinding));
        // One row per incident and log row: the first finding (by id) that pointed at it is named.
        Dataset<Row> chosen = bounded
                .withColumn("k", row_number().over(Window.partitionBy("incident_id", "row_id").orderBy("finding_id")))
                .where(col("k").equalTo(1))
                .select(col("incident_id"), col("finding_id"), col("row_id").as("chosen_row_id"));
        Dataset<Row> evidence = logs.join(broadcast(chosen), logs.col("row_id").equalTo(chosen.col("chosen_row_id")))
                .withColumn("log_json", to_json(struct(preserved())));
        return evidence.select(col("incident_id"), col("finding_id"), col("row_id"),
                to_date(col("timestamp")).as("log_date"), col("log_json"),
                sha2(col("log_json"), 256).as("sha256"), lit(date.toString()).cast("date").as("preserved_date"));
    }

    /**
     * The manifest hash per incident over everything preserved for it: SHA-256 of the sorted
     * {@code row_id:sha256} lines. {@code evidence verify} recomputes exactly this, in plain Java
     * ({@link EvidenceManifest}).
     */
    public static Dataset<Row> manifestHashes(Dataset<Row> evidence) {
        return evidence.groupBy("incident_id")
                .agg(sha2(concat_ws("\n", array_sort(collect_list(concat(col("row_id"), lit(":"), col("sha256"))))), 256)
                        .as("evidence_sha256"));
    }

    /** The canonical columns as preserved: masked when redacting, else with the bytes of invalid UTF-8 values. */
    private Column[] preserved() {
        List<Column> columns = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        for (StructField f : CanonicalSchema.struct().fields()) {
            boolean text = f.dataType().equals(DataTypes.StringType);
            if (text) {
                strings.add(f.name());
            }
            columns.add(text && redactor != null ? redactor.column(col(quote(f.name()))).as(f.name())
                    : col(quote(f.name())));
        }
        if (redactor == null) {
            Column anyInvalid = lit(false);
            List<Column> bytes = new ArrayList<>();
            for (String s : strings) {
                Column invalid = coalesce(not(is_valid_utf8(col(quote(s)))), lit(false));
                anyInvalid = anyInvalid.or(invalid);
                bytes.add(when(invalid, base64(col(quote(s)).cast("binary"))).as(s));
            }
            // Null (and so absent from the JSON) for the ordinary row whose text is all valid.
            columns.add(when(anyInvalid, struct(bytes.toArray(Column[]::new))).as("invalid_utf8"));
        }
        return columns.toArray(Column[]::new);
    }

    private static String quote(String c) {
        return "`" + c + "`";
    }
}
