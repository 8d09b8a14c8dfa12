package io.nightshift.jobs.cases;

import static org.apache.spark.sql.functions.col;

import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.detect.Findings;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Reads one incident, its findings and the text of the log templates it names from the warehouse into an
 * {@link IncidentCase}. Bounded reads: one incident row, the findings listed in it and one row per template id.
 */
public final class IncidentCaseReader {
    private final ResultsStore store;

    public IncidentCaseReader(ResultsStore store) {
        this.store = store;
    }

    /** @throws NightshiftException (bad input) naming the incident when there is none with that id */
    public IncidentCase read(String incidentId) {
        Row incident = IncidentLookup.require(store, incidentId);
        List<IncidentCase.Indicator> indicators = new ArrayList<>();
        for (Row i : IncidentCaseReader.<Row>list(incident, "indicators")) {
            indicators.add(new IncidentCase.Indicator(i.getString(0), i.getString(1)));
        }
        Date created = incident.getAs("created_date");
        return new IncidentCase(incidentId, incident.getAs("title"), created == null ? null : created.toLocalDate(),
                indicators, findings(list(incident, "finding_ids")), templates(indicators));
    }

    private List<IncidentCase.Finding> findings(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        // No date filter: an incident that stays open collects findings of later nights, and correlation may
        // reach back before its creation; the id filter reads only the finding_id column of the other rows.
        var rows = store.read(ResultTables.FINDINGS).where(col("finding_id").isin(ids.toArray()));
        List<IncidentCase.Finding> out = new ArrayList<>();
        for (Row r : rows.collectAsList()) {
            Map<String, String> entities = new LinkedHashMap<>();
            for (String e : Findings.ENTITY_COLUMNS) {
                String v = r.getAs(e);
                if (v != null) {
                    entities.put(e, v);
                }
            }
            Double score = r.getAs("score");
            out.add(new IncidentCase.Finding(r.getAs("finding_id"), r.getAs("detector"), r.getAs("detector_id"),
                    score == null ? 0 : score, r.getAs("observed"), r.getAs("mitre_tactic"),
                    r.getAs("mitre_technique"), entities));
        }
        return out;
    }

    private Map<String, String> templates(List<IncidentCase.Indicator> indicators) {
        List<String> ids = indicators.stream().filter(i -> i.type().equals("template")).map(IncidentCase.Indicator::value)
                .toList();
        Map<String, String> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        for (Row r : store.read(ResultTables.LOG_TEMPLATES).where(col("template_id").isin(ids.toArray()))
                .groupBy("template_id").agg(org.apache.spark.sql.functions.max("template").as("template"))
                .collectAsList()) {
            if (r.getString(1) != null) {
                out.put(r.getString(0), r.getString(1));
            }
        }
        return out;
    }

    private static <T> List<T> list(Row r, String column) {
        return r.isNullAt(r.fieldIndex(column)) ? List.of() : r.getList(r.fieldIndex(column));
    }
}
