package io.nightshift.jobs.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;

/** Which tenants each incident touches: scope, region and time matched per row, each row counted once. */
class AffectedCustomersTest {
    static SparkSession spark;
    static final StructType LOGS = StructType.fromDDL(
            "row_id STRING, timestamp TIMESTAMP, service STRING, user STRING, src_ip STRING, tenant_id STRING, "
                    + "region STRING");
    static final StructType SCOPES = StructType.fromDDL(
            "incident_id STRING, kind STRING, value STRING, region STRING, first_seen TIMESTAMP, last_seen TIMESTAMP");

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    private static Timestamp at(String hhmm) {
        return Timestamp.from(Instant.parse("2026-11-20T" + hhmm + ":00Z"));
    }

    private static Dataset<Row> logs() {
        return spark.createDataFrame(List.of(
                RowFactory.create("r1", at("01:00"), "pay", "ann", "10.0.0.1", "t1", "eu"),
                RowFactory.create("r2", at("01:30"), "pay", "bob", "10.0.0.2", "t2", "us"),
                RowFactory.create("r3", at("02:00"), "pay", "ann", "10.0.0.1", "t1", "eu"),
                RowFactory.create("r4", at("01:10"), "mail", "ann", "10.0.0.9", "t1", "eu"),
                RowFactory.create("r5", at("01:20"), "pay", "cy", "10.0.0.3", null, "eu"),
                RowFactory.create("r6", at("01:40"), "mail", "dee", "10.0.0.1", "t3", "us")), LOGS);
    }

    private static Row scope(String incident, String kind, String value, String region, String from, String to) {
        return RowFactory.create(incident, kind, value, region, at(from), at(to));
    }

    private static List<Row> affected(List<Row> scopes) {
        return AffectedCustomers.fromLogs(spark.createDataFrame(scopes, SCOPES), logs())
                .orderBy("incident_id", "tenant_id").collectAsList();
    }

    @Test
    void aRowSeveralScopesOfOneIncidentNameCountsOnce() {
        // inc-a: service pay in eu, 01:00-02:00 (r1; r3 is at the exclusive end; r2 is in us; r5 has no tenant);
        // user ann over the same hours names r1 again and r4; address 10.0.0.1 all night names r1 a third time,
        // r3 and r6 (no region limit). inc-b names r2 twice.
        List<Row> rows = affected(List.of(
                scope("inc-a", "service", "pay", "eu", "01:00", "02:00"),
                scope("inc-a", "user", "ann", null, "01:00", "02:00"),
                scope("inc-a", "src_ip", "10.0.0.1", null, "00:00", "03:00"),
                scope("inc-b", "tenant_id", "t2", null, "00:00", "03:00"),
                scope("inc-b", "service", "pay", "us", "00:00", "03:00")));
        assertThat(rows).extracting(r -> r.getAs("incident_id") + "/" + r.getAs("tenant_id") + " "
                        + r.getAs("event_count") + " " + r.<Timestamp>getAs("first_seen").toInstant() + ".."
                        + r.<Timestamp>getAs("last_seen").toInstant())
                .containsExactly(
                        "inc-a/t1 3 2026-11-20T01:00:00Z..2026-11-20T02:00:00Z",
                        "inc-a/t3 1 2026-11-20T01:40:00Z..2026-11-20T01:40:00Z",
                        "inc-b/t2 1 2026-11-20T01:30:00Z..2026-11-20T01:30:00Z");
    }

    @Test
    void scopesWithoutAValueOrATimeRangeCoverNothing() {
        List<Row> scopes = List.of(
                RowFactory.create("inc-c", "service", null, null, at("00:00"), at("03:00")),
                RowFactory.create("inc-c", "user", "ann", null, null, at("03:00")),
                RowFactory.create("inc-c", "host", "h1", null, at("00:00"), at("03:00")));
        assertThat(affected(scopes)).isEmpty();
    }
}
