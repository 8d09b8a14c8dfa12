package io.nightshift.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.nightshift.jobs.EndToEnd;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.cli.NightshiftCli;

/**
 * Quality bar, slow: the nightly job over the scenario week of the shipped sample lake, checked against the
 * generator's ground truth. Every scenario a detector can see must produce findings on the right entities and
 * hours, end in exactly one incident, and the clean day must stay quiet.
 */
@EndToEnd
class SampleLakeScenariosTest {
    static SparkSession spark;
    static WarmNight week;
    static String ns;
    static Path config;

    @BeforeAll
    static void theScenarioWeek() {
        spark = TestSpark.session();
        week = WarmNight.get();
        ns = week.namespace();
        config = week.config();
    }

    private static JsonNode scenario(String kind) {
        return week.scenario(kind);
    }

    private static String entity(String kind, String name) {
        return week.entity(kind, name);
    }

    /** Findings of a detector whose check matches and whose time range overlaps the scenario's (± 1 hour). */
    private static List<Row> findings(String kind, String detector, String detectorIdPrefix, String column,
                                      String value) {
        JsonNode s = scenario(kind);
        Timestamp start = Timestamp.from(Instant.parse(s.get("start").asText()).minusSeconds(3600));
        Timestamp end = Timestamp.from(Instant.parse(s.get("end").asText()).plusSeconds(3600));
        return spark.table("nightshift." + ns + ".findings")
                .where(org.apache.spark.sql.functions.col("detector").equalTo(detector)
                        .and(org.apache.spark.sql.functions.col("detector_id").startsWith(detectorIdPrefix))
                        .and(org.apache.spark.sql.functions.col(column).equalTo(value))
                        .and(org.apache.spark.sql.functions.col("first_seen").lt(end))
                        .and(org.apache.spark.sql.functions.col("last_seen").gt(start)))
                .collectAsList();
    }

    /** The README's first command is this backfill: a newcomer sees the week's incidents listed, most urgent first. */
    @Test
    void theBackfillEndsByListingTheWeeksIncidentsMostUrgentFirst() {
        String out = week.backfillOutput();
        long incidents = spark.sql("SELECT count(*) FROM " + week.table("incidents")).first().getLong(0);
        assertThat(incidents).isGreaterThanOrEqualTo(5);
        assertThat(out).contains(incidents + " candidate incidents for 2026-11-15..2026-11-21, most urgent first:",
                "The whole case record of one: scripts/nightshift incident show INC-");
        List<String> priorities = out.lines().filter(l -> l.matches("  INC-\\S+\\s+P[1-4] .*"))
                .map(l -> l.trim().split("\\s+")[1]).toList();
        assertThat(priorities).hasSize((int) Math.min(incidents, 12)).isSorted();
    }

    @Test
    void trendsSeeTheErrorStormTheSilentHostTheBulkExportAndTheAuthFailureSpike() {
        assertThat(findings("error_storm", "trend", "error_rate_surge", "service", entity("error_storm", "service")))
                .isNotEmpty().allSatisfy(r -> assertThat(r.<String>getAs("region")).isIn(entity("error_storm", "region"), null));
        assertThat(findings("silent_host", "trend", "silence:host", "host", entity("silent_host", "host"))).isNotEmpty();
        assertThat(findings("bulk_export", "trend", "bytes_out_spike", "user", entity("bulk_export", "user"))).isNotEmpty();
        assertThat(findings("brute_force", "trend", "auth_failure_spike", "tenant_id", entity("brute_force", "tenant_id")))
                .isNotEmpty();
    }

    @Test
    void trendsSeeTheLatencyDegradationAndTheSlowDependencyWithItsOrigin() {
        String slowed = entity("latency_degradation", "service");
        assertThat(findings("latency_degradation", "trend", "latency_p95", "service", slowed)).isNotEmpty()
                .allSatisfy(r -> assertThat(r.<String>getAs("region"))
                        .isIn(entity("latency_degradation", "region"), null));
        // The origin and its callers are one finding that names the origin.
        List<Row> dependent = findings("slow_dependency", "trend", "dependent_slowdown", "service",
                entity("slow_dependency", "origin_service"));
        assertThat(dependent).isNotEmpty();
        assertThat(dependent.get(0).<String>getAs("description")).contains("is the likely origin");
        // Days without a latency scenario: how many latency findings (false positives), for the README.
        for (String day : List.of("2026-11-15", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21")) {
            System.out.println("latency findings on " + day + " (no latency scenario): " + spark.sql("SELECT count(*) FROM "
                    + "nightshift." + ns + ".findings WHERE date = DATE'" + day + "' AND (detector_id LIKE "
                    + "'latency%' OR detector_id = 'dependent_slowdown')").first().getLong(0));
        }
    }

    @Test
    void theClusterDetectorAloneFindsTheNewTemplateAndTheErrorStorm() {
        assertThat(findings("new_template", "cluster", "cluster:", "service", entity("new_template", "service"))
                .size() + findings("new_template", "cluster", "cluster:", "region", entity("new_template", "region")).size())
                .isPositive();
        assertThat(findings("error_storm", "cluster", "cluster:", "service", entity("error_storm", "service")).size()
                + findings("error_storm", "cluster", "cluster:", "region", entity("error_storm", "region")).size())
                .isPositive();
    }

    @Test
    void rulesAndThreatIntelCatchTheSecurityScenarios() {
        assertThat(findings("privilege_escalation", "rule", "NS-PRIV-001", "user", entity("privilege_escalation", "user")))
                .isNotEmpty();
        assertThat(findings("privilege_escalation", "rule", "NS-IMPACT-001", "user", entity("privilege_escalation", "user")))
                .isNotEmpty();
        assertThat(findings("brute_force", "rule", "NS-AUTH-", "src_ip", entity("brute_force", "src_ip"))).isNotEmpty();
        assertThat(findings("bulk_export", "rule", "NS-EXFIL-", "user", entity("bulk_export", "user"))).isNotEmpty();
        assertThat(findings("known_bad_ip", "threat_intel", "", "src_ip", entity("known_bad_ip", "src_ip"))).isNotEmpty();
    }

    /** The incidents whose indicators name the value and whose time range overlaps the scenario. */
    private static List<Row> incidents(String kind, String type, String value) {
        JsonNode s = scenario(kind);
        Timestamp start = Timestamp.from(Instant.parse(s.get("start").asText()).minusSeconds(3600));
        Timestamp end = Timestamp.from(Instant.parse(s.get("end").asText()).plusSeconds(3600));
        List<Row> out = new ArrayList<>();
        for (Row r : spark.table("nightshift." + ns + ".incidents").collectAsList()) {
            boolean named = r.getList(r.fieldIndex("indicators")).stream()
                    .anyMatch(o -> ((Row) o).getString(0).equals(type) && ((Row) o).getString(1).equals(value));
            boolean overlaps = r.<Timestamp>getAs("first_seen").before(end) && r.<Timestamp>getAs("last_seen").after(start);
            if (named && overlaps) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void everySecurityAndOperationalScenarioEndsInExactlyOneIncident() {
        assertThat(incidents("brute_force", "ip", entity("brute_force", "src_ip"))).hasSize(1);
        assertThat(incidents("known_bad_ip", "ip", entity("known_bad_ip", "src_ip"))).hasSize(1);
        assertThat(incidents("privilege_escalation", "user", entity("privilege_escalation", "user"))).hasSize(1);
        assertThat(incidents("error_storm", "service", entity("error_storm", "service"))).hasSize(1);
        assertThat(incidents("silent_host", "host", entity("silent_host", "host"))).hasSize(1);
        List<Row> export = incidents("bulk_export", "user", entity("bulk_export", "user"));
        assertThat(export).hasSize(1);
        Row e = export.get(0);
        assertThat(e.getList(e.fieldIndex("tenants"))).contains(entity("bulk_export", "tenant_id"));
        assertThat(e.<String>getAs("information_impact")).isEqualTo("privacy");
        double exportSeverity = e.<Double>getAs("severity_score");
        for (String kind : List.of("brute_force", "known_bad_ip", "privilege_escalation", "silent_host")) {
            String type = kind.equals("silent_host") ? "host" : kind.endsWith("ip") || kind.startsWith("brute") ? "ip" : "user";
            String key = type.equals("ip") ? "src_ip" : type;
            for (Row other : incidents(kind, type, entity(kind, key))) {
                assertThat(other.<Double>getAs("severity_score")).as("severity of the %s incident", kind)
                        .isLessThan(exportSeverity);
            }
        }
        Row affected = spark.sql("SELECT * FROM nightshift." + ns + ".affected_customers WHERE incident_id = '"
                + e.<String>getAs("incident_id") + "' AND tenant_id = '" + entity("bulk_export", "tenant_id") + "'").first();
        assertThat(affected.getList(affected.fieldIndex("regulations"))).contains("HIPAA");
    }

    @Test
    void everyIncidentHasACatalogOwnerAndRegulatedTenantsEscalateToComplianceAndCommunications() throws Exception {
        Set<String> catalogTeams = new java.util.HashSet<>();
        List<String> catalog = Files.readAllLines(TestSpark.repoRoot().resolve(
                "data-samples/reference/service_catalog.csv"));
        for (String line : catalog.subList(1, catalog.size())) {
            catalogTeams.add(line.split(",")[1]);
        }
        List<Row> all = spark.table("nightshift." + ns + ".incidents").collectAsList();
        assertThat(all).isNotEmpty().allSatisfy(r -> assertThat(catalogTeams).as("owner of %s",
                r.<String>getAs("incident_id")).contains(r.<String>getAs("owner_team")));
        Row export = incidents("bulk_export", "user", entity("bulk_export", "user")).get(0);
        assertThat(export.getList(export.fieldIndex("escalation_teams")))
                .contains("legal-compliance", "customer-communications");
        assertThat(export.<Integer>getAs("incident_version")).isGreaterThanOrEqualTo(1);

        // The whole case record of that incident, as an analyst prints it.
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new NightshiftCli());
        cli.setOut(new java.io.PrintWriter(out));
        assertThat(cli.execute("incident", "show", export.getAs("incident_id"), "--config", config.toString()))
                .isEqualTo(ExitCodes.OK);
        for (String section : io.nightshift.jobs.cases.CaseRecord.SECTIONS) {
            assertThat(out.toString()).contains("== " + section.toUpperCase(java.util.Locale.ROOT) + " ==");
        }
        assertThat(out.toString()).contains("intact: every row matches its SHA-256", "legal-compliance",
                entity("bulk_export", "tenant_id"));
    }

    @Test
    void theCleanDayStaysQuiet() {
        long strong = spark.sql("SELECT * FROM nightshift." + ns + ".findings WHERE date = DATE'2026-11-20' AND score >= 40")
                .count();
        long opened = spark.sql("SELECT * FROM nightshift." + ns + ".incidents WHERE created_date = DATE'2026-11-20'")
                .count();
        System.out.println("clean day 2026-11-20: " + strong + " findings scoring 40 or more, " + opened + " incidents");
        assertThat(strong).isLessThanOrEqualTo(5);
        assertThat(opened).isLessThanOrEqualTo(3);
    }

    /** The silent host's incident points at no log rows: verifying it says so and succeeds (no false tamper alarm). */
    @Test
    void evidenceVerifyOnAnIncidentWithoutEvidenceSucceedsAndSaysSo() {
        String id = incidents("silent_host", "host", entity("silent_host", "host")).get(0).getAs("incident_id");
        assertThat(spark.sql("SELECT count(*) FROM nightshift." + ns + ".incident_evidence WHERE incident_id = '"
                + id + "'").first().getLong(0)).isZero();
        io.nightshift.jobs.CapturedRun verify = io.nightshift.jobs.CapturedRun.of("evidence", "verify", "--incident",
                id, "--config", config.toString());
        assertThat(verify.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(verify.out())
                .contains(id + ": no evidence rows were preserved for this incident").doesNotContain("FAILED");
    }
}
