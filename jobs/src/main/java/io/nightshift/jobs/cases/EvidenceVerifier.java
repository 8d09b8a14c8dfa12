package io.nightshift.jobs.cases;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sha2;

import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.incidents.EvidenceCollector;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;

/** Recomputes an incident's evidence hashes: every row's SHA-256 and the manifest hash on the incident. */
public final class EvidenceVerifier {
    /** What verification found. */
    public record Result(String incidentId, long rows, List<String> tamperedRows, String expectedManifest,
                         String actualManifest) {
        /**
         * True when every row matches its hash and the rows' manifest is the incident's. An incident that never had
         * evidence (a silent host has no log rows to keep) has neither rows nor a manifest, and that is intact too;
         * rows without a manifest, or a manifest without its rows, are not.
         */
        public boolean ok() {
            return tamperedRows.isEmpty() && java.util.Objects.equals(expectedManifest, actualManifest);
        }

        /** Whether the incident has no evidence at all: nothing was preserved, so there is nothing to verify. */
        public boolean noEvidence() {
            return rows == 0 && expectedManifest == null;
        }
    }

    private final ResultsStore store;

    public EvidenceVerifier(ResultsStore store) {
        this.store = store;
    }

    public Result verify(String incidentId) {
        List<Row> incident = store.read(ResultTables.INCIDENTS).where(col("incident_id").equalTo(incidentId))
                .select("evidence_sha256").collectAsList();
        if (incident.isEmpty()) {
            throw NightshiftException.badInput("no incident with id '" + incidentId + "'");
        }
        Dataset<Row> evidence = store.read(ResultTables.INCIDENT_EVIDENCE).where(col("incident_id").equalTo(incidentId));
        List<String> tampered = evidence.where(sha2(col("log_json"), 256).notEqual(col("sha256")))
                .select("row_id").orderBy("row_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        // The manifest is recomputed from the rows' content, so an edited row or an edited stored hash both show.
        Dataset<Row> recomputed = evidence.withColumn("sha256", sha2(col("log_json"), 256));
        List<Row> manifest = EvidenceCollector.manifestHashes(recomputed).collectAsList();
        String actual = manifest.isEmpty() ? null : manifest.get(0).getAs("evidence_sha256");
        return new Result(incidentId, evidence.count(), tampered, incident.get(0).getAs("evidence_sha256"), actual);
    }
}
