package io.nightshift.jobs.cases;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.SparkOrdering;
import io.nightshift.jobs.incidents.EvidenceManifest;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.StoredRow;
import io.nightshift.jobs.store.WarehouseTables;

/**
 * Recomputes an incident's evidence hashes: every row's SHA-256 and the manifest hash on the incident. The rows are
 * read through Iceberg and hashed in plain Java ({@link EvidenceManifest}), exactly as the nightly run's Spark
 * expressions hashed them; an incident's evidence is at most a few thousand rows.
 */
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
            return tamperedRows.isEmpty() && Objects.equals(expectedManifest, actualManifest);
        }

        /** Whether the incident has no evidence at all: nothing was preserved, so there is nothing to verify. */
        public boolean noEvidence() {
            return rows == 0 && expectedManifest == null;
        }
    }

    private final WarehouseTables tables;

    public EvidenceVerifier(WarehouseTables tables) {
        this.tables = tables;
    }

    public Result verify(String incidentId) {
        tables.require(ResultTables.INCIDENTS);
        tables.require(ResultTables.INCIDENT_EVIDENCE);
        Expression ofIncident = Expressions.equal("incident_id", incidentId);
        List<StoredRow> incident = tables.read(ResultTables.INCIDENTS, ofIncident, List.of("evidence_sha256"));
        if (incident.isEmpty()) {
            throw NightshiftException.badInput("no incident with id '" + incidentId + "'");
        }
        List<StoredRow> evidence = tables.read(ResultTables.INCIDENT_EVIDENCE, ofIncident,
                List.of("row_id", "log_json", "sha256"));
        List<String> tampered = new ArrayList<>();
        List<EvidenceManifest.Entry> recomputed = new ArrayList<>();
        for (StoredRow row : evidence) {
            String hash = EvidenceManifest.sha256(row.string("log_json"));
            String stored = row.string("sha256");
            // As in SQL, a null on either side is no mismatch; the manifest still shows a row whose text is gone.
            if (hash != null && stored != null && !hash.equals(stored)) {
                tampered.add(row.string("row_id"));
            }
            // The manifest is recomputed from the rows' content, so an edited row or an edited stored hash both show.
            recomputed.add(new EvidenceManifest.Entry(row.string("row_id"), hash));
        }
        tampered.sort(SparkOrdering.ASCENDING);
        return new Result(incidentId, evidence.size(), tampered, incident.get(0).string("evidence_sha256"),
                EvidenceManifest.manifest(recomputed));
    }
}
