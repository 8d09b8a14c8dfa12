package io.nightshift.jobs.incidents;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.unix_micros;

import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF6;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Which customers an incident touches, from the logs: tenants with activity inside the incident's scope and time —
 * for operational incidents, requests to the affected services (in the affected regions); for security incidents,
 * activity of the users, source IPs and tenants involved.
 *
 * <p>One pass over the day: each row is matched against every scope at once (the scopes are an incident's few
 * services, users, addresses and tenants, held in a hash map), so a row several scopes of one incident name counts
 * once without de-duplicating the joined rows afterwards, which for a production-wide incident is the whole day.
 */
public final class AffectedCustomers {
    static final List<String> KINDS = List.of("service", "user", "src_ip", "tenant_id");

    private AffectedCustomers() {
    }

    /**
     * @param scopes {@code incident_id, kind (service|user|src_ip|tenant_id), value, region (nullable), first_seen,
     *               last_seen}; a few rows per incident, collected to build the matcher
     * @return {@code incident_id, tenant_id, first_seen, last_seen, event_count}
     */
    public static Dataset<Row> fromLogs(Dataset<Row> scopes, Dataset<Row> logs) {
        ScopeIndex index = ScopeIndex.of(scopes.collectAsList());
        UserDefinedFunction incidents = udf((UDF6<String, String, String, String, String, Long, List<String>>)
                index::incidents, DataTypes.createArrayType(DataTypes.StringType, false));
        return logs.where(col("tenant_id").isNotNull())
                .select(col("tenant_id"), col("timestamp"), explode(incidents.apply(col("service"), col("user"),
                        col("src_ip"), col("tenant_id"), col("region"), unix_micros(col("timestamp"))))
                        .as("incident_id"))
                .groupBy("incident_id", "tenant_id")
                .agg(min("timestamp").as("first_seen"), max("timestamp").as("last_seen"),
                        count(lit(1)).as("event_count"));
    }

    /** The scopes by kind and value: what a log row is looked up by. */
    static final class ScopeIndex implements Serializable {
        private static final long serialVersionUID = 1L;

        private record Scope(String incidentId, String region, long fromMicros, long untilMicros)
                implements Serializable {
            boolean covers(String rowRegion, long micros) {
                return micros >= fromMicros && micros < untilMicros && (region == null || region.equals(rowRegion));
            }
        }

        private final List<Map<String, List<Scope>>> byKind;

        private ScopeIndex(List<Map<String, List<Scope>>> byKind) {
            this.byKind = byKind;
        }

        static ScopeIndex of(List<Row> scopes) {
            List<Map<String, List<Scope>>> byKind = new ArrayList<>();
            for (String kind : KINDS) {
                Map<String, List<Scope>> byValue = new HashMap<>();
                for (Row r : scopes) {
                    // A scope without a value or a time range covers no row (as a comparison with null is false).
                    if (!kind.equals(r.getAs("kind")) || r.getAs("value") == null || r.getAs("first_seen") == null
                            || r.getAs("last_seen") == null) {
                        continue;
                    }
                    byValue.computeIfAbsent(r.getAs("value"), v -> new ArrayList<>()).add(new Scope(
                            r.getAs("incident_id"), r.getAs("region"), micros(r.getAs("first_seen")),
                            micros(r.getAs("last_seen"))));
                }
                byKind.add(byValue);
            }
            return new ScopeIndex(byKind);
        }

        private static long micros(Timestamp t) {
            Instant i = t.toInstant();
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
        }

        /** The incidents whose scopes cover a row (its service, user, address, tenant, region and time), each once. */
        List<String> incidents(String service, String user, String srcIp, String tenant, String region,
                               Long micros) {
            if (micros == null) {
                return List.of();
            }
            Set<String> out = null;
            String[] values = {service, user, srcIp, tenant};
            for (int k = 0; k < values.length; k++) {
                List<Scope> scopes = values[k] == null ? null : byKind.get(k).get(values[k]);
                if (scopes == null) {
                    continue;
                }
                for (Scope s : scopes) {
                    if (s.covers(region, micros)) {
                        if (out == null) {
                            out = new LinkedHashSet<>();
                        }
                        out.add(s.incidentId());
                    }
                }
            }
            return out == null ? List.of() : new ArrayList<>(out);
        }
    }
}
