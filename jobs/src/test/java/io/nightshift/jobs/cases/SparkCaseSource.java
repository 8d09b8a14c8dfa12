package io.nightshift.jobs.cases;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sha2;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.incidents.EvidenceCollector;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.store.StoredRow;

/**
 * A case record's rows as Spark reads them: the queries {@code incident show} and {@code evidence verify} ran before
 * they read the warehouse without Spark. The reference the Iceberg reads are compared with.
 */
record SparkCaseSource(ResultsStore store) implements CaseRecord.Source {

    @Override
    public StoredRow incident(String incidentId) {
        return plain(IncidentLookup.require(store, incidentId));
    }

    @Override
    public List<StoredRow> rows(ResultTable table, String column, Collection<String> values, List<String> orderBy,
                                List<String> columns) {
        Dataset<Row> df = store.read(table).where(col(column).isin(values.toArray()))
                .orderBy(orderBy.stream().map(c -> col(c)).toArray(Column[]::new));
        return df.collectAsList().stream().map(SparkCaseSource::plain).toList();
    }

    /** The Spark verification: {@code sha2} per row, {@link EvidenceCollector#manifestHashes} over the recomputed rows. */
    @Override
    public EvidenceVerifier.Result evidence(String incidentId) {
        List<Row> incident = store.read(ResultTables.INCIDENTS).where(col("incident_id").equalTo(incidentId))
                .select("evidence_sha256").collectAsList();
        if (incident.isEmpty()) {
            throw NightshiftException.badInput("no incident with id '" + incidentId + "'");
        }
        Dataset<Row> evidence = store.read(ResultTables.INCIDENT_EVIDENCE)
                .where(col("incident_id").equalTo(incidentId));
        List<String> tampered = evidence.where(sha2(col("log_json"), 256).notEqual(col("sha256")))
                .select("row_id").orderBy("row_id").as(Encoders.STRING()).collectAsList();
        Dataset<Row> recomputed = evidence.withColumn("sha256", sha2(col("log_json"), 256));
        List<Row> manifest = EvidenceCollector.manifestHashes(recomputed).collectAsList();
        String actual = manifest.isEmpty() ? null : manifest.get(0).getAs("evidence_sha256");
        return new EvidenceVerifier.Result(incidentId, evidence.count(), tampered,
                incident.get(0).getAs("evidence_sha256"), actual);
    }

    /** A Spark row as the plain values {@link StoredRow} holds. */
    static StoredRow plain(Row row) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : row.schema().fieldNames()) {
            values.put(name, plain(row.get(row.fieldIndex(name))));
        }
        return StoredRow.of(values);
    }

    private static Object plain(Object v) {
        if (v instanceof Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (v instanceof Row r) {
            return plain(r);
        }
        if (v instanceof scala.collection.Seq<?> seq) {
            List<Object> out = new ArrayList<>();
            scala.jdk.javaapi.CollectionConverters.asJava(seq).forEach(x -> out.add(plain(x)));
            return out;
        }
        if (v instanceof scala.collection.Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            scala.jdk.javaapi.CollectionConverters.asJava(m).forEach((k, x) -> out.put(plain(k), plain(x)));
            return out;
        }
        return v;
    }
}
