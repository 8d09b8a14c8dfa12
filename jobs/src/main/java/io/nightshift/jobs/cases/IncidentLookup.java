package io.nightshift.jobs.cases;

import static org.apache.spark.sql.functions.col;

import java.util.List;

import org.apache.iceberg.expressions.Expressions;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.store.StoredRow;
import io.nightshift.jobs.store.WarehouseTables;

/** The stored row of one incident, for commands that act on an incident an analyst names. */
public final class IncidentLookup {
    private IncidentLookup() {
    }

    /** @throws NightshiftException (bad input) naming the id and how to list the incidents, when there is none */
    public static Row require(ResultsStore store, String incidentId) {
        List<Row> found = store.read(ResultTables.INCIDENTS).where(col("incident_id").equalTo(incidentId))
                .limit(1).collectAsList();
        if (found.isEmpty()) {
            throw missing(incidentId);
        }
        return found.get(0);
    }

    /** The same, read through Iceberg without Spark: every column of the incident's row. */
    public static StoredRow require(WarehouseTables tables, String incidentId) {
        tables.require(ResultTables.INCIDENTS);
        List<StoredRow> found = tables.read(ResultTables.INCIDENTS, Expressions.equal("incident_id", incidentId),
                List.of());
        if (found.isEmpty()) {
            throw missing(incidentId);
        }
        return found.get(0);
    }

    private static NightshiftException missing(String incidentId) {
        return NightshiftException.badInput("no incident with id '" + incidentId + "' (list them with: "
                + "scripts/nightshift incident list)");
    }
}
