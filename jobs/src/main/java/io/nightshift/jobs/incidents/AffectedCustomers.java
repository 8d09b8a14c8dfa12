package io.nightshift.jobs.incidents;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Which customers an incident touches, from the logs: tenants with activity inside the incident's scope and time —
 * for operational incidents, requests to the affected services (in the affected regions); for security incidents,
 * activity of the users, source IPs and tenants involved.
 */
public final class AffectedCustomers {
    private AffectedCustomers() {
    }

    /**
     * @param scopes {@code incident_id, kind (service|user|src_ip|tenant_id), value, region (nullable), first_seen,
     *               last_seen}
     * @return {@code incident_id, tenant_id, first_seen, last_seen, event_count}
     */
    public static Dataset<Row> fromLogs(Dataset<Row> scopes, Dataset<Row> logs) {
        List<Dataset<Row>> parts = new ArrayList<>();
        for (String kind : List.of("service", "user", "src_ip", "tenant_id")) {
            Dataset<Row> s = scopes.where(col("kind").equalTo(kind)).select(col("incident_id"), col("value"),
                    col("region").as("s_region"), col("first_seen").as("s_first"), col("last_seen").as("s_last"));
            Column on = logs.col("`" + kind + "`").equalTo(s.col("value"))
                    .and(logs.col("timestamp").geq(s.col("s_first"))).and(logs.col("timestamp").lt(s.col("s_last")))
                    .and(s.col("s_region").isNull().or(logs.col("region").equalTo(s.col("s_region"))));
            parts.add(logs.where(col("tenant_id").isNotNull()).join(broadcast(s), on)
                    .select(col("incident_id"), col("tenant_id"), col("timestamp"), col("row_id")));
        }
        // A row's tenant and time follow from its id, so distinct() drops the same rows as dropDuplicates on
        // (incident_id, row_id), by hash aggregation: dropDuplicates keeps first() of the other columns, and first()
        // over a string makes Spark sort every joined row.
        Dataset<Row> all = parts.stream().reduce(Dataset::union).orElseThrow().distinct();
        return all.groupBy("incident_id", "tenant_id")
                .agg(min("timestamp").as("first_seen"), max("timestamp").as("last_seen"),
                        count(lit(1)).as("event_count"));
    }
}
