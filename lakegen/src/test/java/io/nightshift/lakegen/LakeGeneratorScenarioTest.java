package io.nightshift.lakegen;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nightshift.lakegen.scenario.ScenarioKind;

/** Every injected incident is described in ground_truth.json and visible in the lake the way it says. */
class LakeGeneratorScenarioTest {
    private static SparkSession spark;
    private static GenerationResult lake;
    private static Dataset<Row> rows;
    private static Map<String, JsonNode> byKind;

    @BeforeAll
    static void start() throws IOException {
        spark = TestSpark.session();
        lake = SampleLake.get(spark);
        rows = spark.read().parquet(lake.lakeDir().toString()).cache();
        byKind = new HashMap<>();
        for (JsonNode n : new ObjectMapper().readTree(Files.readString(lake.groundTruthFile()))) {
            byKind.put(n.get("kind").asText(), n);
        }
    }


    private static Dataset<Row> marked(JsonNode s) {
        return rows.where(col("attributes").getItem("scenario").equalTo(s.get("id").asText()));
    }

    private static Dataset<Row> window(JsonNode s) {
        return rows.where(col("timestamp").geq(ts(s, "start")).and(col("timestamp").lt(ts(s, "end"))));
    }

    private static Timestamp ts(JsonNode s, String field) {
        return Timestamp.from(Instant.parse(s.get(field).asText()));
    }

    private static String entity(JsonNode s, String key) {
        return s.get("entities").get(key).asText();
    }

    @Test
    void groundTruthListsEveryKindInTheLastSevenDays() {
        assertThat(byKind.keySet()).containsExactlyInAnyOrderElementsOf(
                List.of(ScenarioKind.values()).stream().map(ScenarioKind::label).toList());
        LocalDate firstIncidentDay = SampleLake.START.plusDays(SampleLake.DAYS - 7);
        for (JsonNode s : byKind.values()) {
            assertThat(LocalDate.parse(s.get("date").asText())).isBetween(firstIncidentDay,
                    SampleLake.START.plusDays(SampleLake.DAYS - 1));
            assertThat(Instant.parse(s.get("start").asText())).isBefore(Instant.parse(s.get("end").asText()));
            assertThat(s.get("visibility").asText()).isIn("loud", "subtle");
            assertThat(s.get("marker_attribute").asText()).isEqualTo("scenario");
            assertThat(s.get("description").asText()).isNotBlank();
        }
        assertThat(byKind.values().stream().map(s -> s.get("visibility").asText()).distinct())
                .containsExactlyInAnyOrder("loud", "subtle");
    }

    @Test
    void markedRowsLieInTheirWindowOnTheirEntities() {
        for (JsonNode s : byKind.values()) {
            if (s.get("kind").asText().equals("silent_host")) {
                continue;
            }
            Dataset<Row> m = marked(s);
            long count = m.count();
            assertThat(count).as(s.get("id").asText()).isPositive().isEqualTo(s.get("row_count").asLong());
            assertThat(m.where(col("timestamp").lt(ts(s, "start")).or(col("timestamp").geq(ts(s, "end"))))
                    .count()).as(s.get("id") + " rows outside the window").isZero();
            List<String> keys = new ArrayList<>();
            s.get("entities").fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                if (List.of("tenant_id", "region", "datacenter").contains(key)) {
                    assertThat(m.where(col(key).notEqual(entity(s, key))).count())
                            .as(s.get("id") + " rows off " + key).isZero();
                }
            }
        }
    }

    @Test
    void silentHostWritesNothingInItsWindowButLogsBeforeIt() {
        JsonNode s = byKind.get("silent_host");
        String host = entity(s, "host");
        assertThat(window(s).where(col("host").equalTo(host)).count()).isZero();
        assertThat(rows.where(col("host").equalTo(host)).where(col("date").equalTo(s.get("date").asText()))
                .count()).isPositive();
        assertThat(s.get("row_count").asLong()).isZero();
    }

    @Test
    void bruteForceIsManyFailuresFromOneAddressThenASuccess() {
        JsonNode s = byKind.get("brute_force");
        Dataset<Row> m = marked(s).where(col("src_ip").equalTo(entity(s, "src_ip")));
        assertThat(m.where("action = 'login' and outcome = 'failure'").count()).isGreaterThanOrEqualTo(90);
        assertThat(m.where("action = 'login' and outcome = 'failure' and user is not null")
                .select("user").distinct().count()).isGreaterThanOrEqualTo(9);
        Row success = m.where("action = 'login' and outcome = 'success'").first();
        assertThat(success.<String>getAs("user")).isEqualTo(entity(s, "user"));
        assertThat(m.where(col("outcome").equalTo("failure")
                .and(col("timestamp").gt(success.<Timestamp>getAs("timestamp")))).count()).isZero();
        assertThat(success.<String>getAs("message")).startsWith("Accepted password for user " + entity(s, "user"));
    }

    @Test
    void errorStormFollowsADeployAndMultipliesTheErrorRate() {
        JsonNode s = byKind.get("error_storm");
        Dataset<Row> scope = rows.where(col("service").equalTo(entity(s, "service"))
                .and(col("region").equalTo(entity(s, "region"))));
        double inside = errorRate(window(s).where(col("service").equalTo(entity(s, "service"))
                .and(col("region").equalTo(entity(s, "region")))));
        double outside = errorRate(scope.where(col("timestamp").lt(ts(s, "start"))));
        assertThat(inside).isGreaterThan(Math.max(0.15, outside * 5));
        Row first = marked(s).orderBy("timestamp").first();
        assertThat(first.<String>getAs("message")).startsWith("Deploy of " + entity(s, "service") + " version ")
                .contains("started by ci-bot");
    }

    private static double errorRate(Dataset<Row> df) {
        return df.agg(expr("avg(cast(level in ('ERROR', 'FATAL') as double))")).first().getDouble(0);
    }

    @Test
    void newTemplateNeverAppearsOutsideTheScenario() {
        JsonNode s = byKind.get("new_template");
        List<String> messages = marked(s).select("message").as(Encoders.STRING()).collectAsList();
        assertThat(messages).hasSizeBetween(40, 300);
        String prefix = messages.get(0).substring(0, 20);
        assertThat(rows.where(col("message").startsWith(prefix)).count()).isEqualTo(messages.size());
        assertThat(marked(s).where(col("service").notEqual(entity(s, "service"))).count()).isZero();
    }

    @Test
    void bulkExportDwarfsTheUsersBaselineAndTheTenantIsHipaaRegulated() throws IOException {
        JsonNode s = byKind.get("bulk_export");
        String user = entity(s, "user");
        long bulk = marked(s).where("action = 'export'").agg(expr("max(bytes_out)")).first().getLong(0);
        Row baseline = rows.where(col("action").equalTo("export").and(col("attributes").getItem("scenario").isNull()))
                .agg(expr("max(bytes_out)")).first();
        assertThat(bulk).isGreaterThan(100 * baseline.getLong(0));
        assertThat(marked(s).where(col("user").notEqual(user)).count()).isZero();
        String tenant = entity(s, "tenant_id");
        assertThat(Files.readAllLines(lake.referenceDir().resolve(ReferenceDataWriter.TENANTS)))
                .anyMatch(l -> l.startsWith(tenant + ",") && l.contains("HIPAA"));
    }

    @Test
    void privilegeEscalationGrantsAdminThenDeletesInBulk() {
        JsonNode s = byKind.get("privilege_escalation");
        Dataset<Row> m = marked(s).where(col("user").equalTo(entity(s, "user")));
        Row grant = m.where("action = 'privilege_change'").first();
        assertThat(grant.<String>getAs("message")).startsWith("Role admin granted to user " + entity(s, "user"));
        Dataset<Row> deletes = m.where("action = 'delete'");
        assertThat(deletes.count()).isGreaterThanOrEqualTo(120);
        assertThat(deletes.where(col("timestamp").leq(grant.<Timestamp>getAs("timestamp"))).count()).isZero();
    }

    @Test
    void knownBadAddressIsAnUnexpiredIndicator() throws IOException {
        JsonNode s = byKind.get("known_bad_ip");
        String ip = entity(s, "src_ip");
        assertThat(marked(s).where(col("src_ip").notEqual(ip)).count()).isZero();
        assertThat(marked(s).where("action = 'login' and outcome = 'success'").count()).isEqualTo(1);
        String line = Files.readAllLines(lake.threatIntelDir().resolve(ThreatIntelWriter.CSV)).stream()
                .filter(l -> l.startsWith("ip," + ip + ",")).findFirst().orElseThrow();
        assertThat(Instant.parse(line.substring(line.lastIndexOf(',') + 1))).isAfter(ts(s, "end").toInstant());
        // Ordinary traffic never comes from the address.
        assertThat(rows.where(col("src_ip").equalTo(ip)).count()).isEqualTo(s.get("row_count").asLong());
    }

    @Test
    void latencyDegradationDoublesLatencyWithoutErrors() {
        JsonNode s = byKind.get("latency_degradation");
        Dataset<Row> scope = rows.where(col("service").equalTo(entity(s, "service"))
                .and(col("datacenter").equalTo(entity(s, "datacenter"))).and(col("action").isNotNull())
                .and(col("date").equalTo(s.get("date").asText())));
        double slowed = median(marked(s).where("action <> 'deploy'"));
        double usual = median(scope.where(col("attributes").getItem("scenario").isNull()));
        assertThat(slowed).isGreaterThan(usual * 1.6);
        // Lines keep their level: the error rate stays at the service's usual few percent.
        assertThat(errorRate(marked(s))).isLessThan(0.05);
    }

    @Test
    void slowDependencySlowsTheOriginAndItsCallersInTheSameHours() {
        JsonNode s = byKind.get("slow_dependency");
        assertThat(marked(s).select("service").distinct().as(Encoders.STRING()).collectAsList())
                .containsExactlyInAnyOrder("storage", "checkout", "reports");
        assertThat(s.get("entities").get("origin_service").asText()).isEqualTo("storage");
        assertThat(s.get("entities").get("affected_services").toString()).contains("checkout", "reports");
        Dataset<Row> storageThatDay = rows.where(col("service").equalTo("storage")
                .and(col("region").equalTo(entity(s, "region"))).and(col("action").isNotNull())
                .and(col("date").equalTo(s.get("date").asText())));
        assertThat(median(marked(s).where("service = 'storage'")))
                .isGreaterThan(2.5 * median(storageThatDay.where(col("attributes").getItem("scenario").isNull())));
    }

    private static double median(Dataset<Row> df) {
        return df.agg(expr("percentile(duration_ms, 0.5)")).first().getDouble(0);
    }
}
