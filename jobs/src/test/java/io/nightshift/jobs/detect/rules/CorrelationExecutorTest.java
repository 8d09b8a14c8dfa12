package io.nightshift.jobs.detect.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.TestNights;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.detect.rules.load.RuleLoader;
import io.nightshift.jobs.detect.rules.sigma.SigmaFieldMapping;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.stage.StageOutputs;

/**
 * Sigma correlation rules and filters through the rules stage (loaded from YAML, run by real Spark over tiny
 * frames): thresholds at their boundary, group-by, the sliding window's edges, temporal in and out of order, aliases,
 * {@code generate}, and filters taking rows out of what the rules and correlations see.
 */
class CorrelationExecutorTest {
    static SparkSession spark;

    /** Two base rules over sshd logins, by name: failed_login and successful_login. */
    static final String BASE = """
            title: Failed login
            id: base-failed
            name: failed_login
            logsource: {product: linux, service: sshd}
            detection:
              selection: {EventID: login, event.outcome: failure}
              condition: selection
            ---
            title: Successful login
            id: base-success
            name: successful_login
            logsource: {product: linux, service: sshd}
            detection:
              selection: {EventID: login, event.outcome: success}
              condition: selection
            """;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    static RuleCatalog catalog(Path dir, String... docs) throws IOException {
        Files.writeString(dir.resolve("rules.yml"), BASE + "---\n" + String.join("---\n", docs));
        RuleCatalog c = new RuleLoader(SigmaFieldMapping.defaultMapping(), Map.of()).load(dir);
        assertThat(c.errors()).isEmpty();
        assertThat(c.skipped()).isEmpty();
        return c;
    }

    static List<Row> findings(RuleCatalog catalog, LogRows rows) {
        Dataset<Row> f = new RuleStage(catalog, 3).findings(rows.frame(spark));
        return f == null ? List.of() : f.orderBy("detector_id", "first_seen", "user", "src_ip").collectAsList();
    }

    static String correlation(String id, String type, String rules, String groupBy, String timespan,
                              String condition) {
        return """
                title: Correlation %s
                id: %s
                level: high
                correlation:
                  type: %s
                  rules: %s
                  group-by: %s
                  timespan: %s
                %s""".formatted(id, id, type, rules, groupBy, timespan,
                condition == null ? "" : "  condition: " + condition + "\n");
    }

    /** A failed login: what failed_login matches. */
    static LogRows.LogRow failure(LogRows rows, String id, String ts) {
        return rows.add(id, ts).action("login").outcome("failure");
    }

    static void fail(LogRows rows, String id, String ts, String user) {
        failure(rows, id, ts).user(user).src("10.0.0.1");
    }

    static void success(LogRows rows, String id, String ts, String user) {
        rows.add(id, ts).action("login").outcome("success").user(user).src("10.0.0.1");
    }

    static Map<String, String> metadata(Row r) {
        return r.getJavaMap(r.fieldIndex("metadata"));
    }

    @Test
    void eventCountFiresAtItsThresholdWithinTheTimespanBothEndsIncluded(@TempDir Path dir) throws IOException {
        RuleCatalog c = catalog(dir,
                correlation("c-gte", "event_count", "[failed_login]", "[User]", "5m", "{gte: 3}"),
                correlation("c-gt", "event_count", "[failed_login]", "[User]", "5m", "{gt: 3}"));
        LogRows rows = new LogRows();
        // alice: 3 failures exactly 5 minutes apart end to end (in); bob: 5 minutes and 1 second (out); carol: 2.
        fail(rows, "a1", "2026-11-18T02:00:00Z", "alice");
        fail(rows, "a2", "2026-11-18T02:02:00Z", "alice");
        fail(rows, "a3", "2026-11-18T02:05:00Z", "alice");
        fail(rows, "b1", "2026-11-18T02:00:00Z", "bob");
        fail(rows, "b2", "2026-11-18T02:02:00Z", "bob");
        fail(rows, "b3", "2026-11-18T02:05:01Z", "bob");
        fail(rows, "c1", "2026-11-18T02:00:00Z", "carol");
        fail(rows, "c2", "2026-11-18T02:01:00Z", "carol");
        success(rows, "a4", "2026-11-18T02:03:00Z", "alice");

        List<Row> f = findings(c, rows);

        // failed_login feeds the correlations only (no generate): no finding of its own, while successful_login,
        // which no correlation names, reports as any rule; gt 3 is not met by 3.
        assertThat(f).extracting(r -> r.<String>getAs("detector_id")).containsExactly("base-success", "c-gte");
        Row hit = f.get(1);
        assertThat(hit.<String>getAs("detector")).isEqualTo("rule");
        assertThat(hit.<String>getAs("detector_id")).isEqualTo("c-gte");
        assertThat(hit.<String>getAs("user")).isEqualTo("alice");
        assertThat(hit.<String>getAs("src_ip")).isEqualTo("10.0.0.1");
        assertThat(hit.<Double>getAs("observed")).isEqualTo(3.0);
        assertThat(hit.<Double>getAs("expected")).isEqualTo(3.0);
        assertThat(hit.getList(hit.fieldIndex("evidence_row_ids"))).containsExactly("a1", "a2", "a3");
        assertThat(hit.getTimestamp(hit.fieldIndex("first_seen")).toInstant().toString())
                .isEqualTo("2026-11-18T02:00:00Z");
        assertThat(hit.getTimestamp(hit.fieldIndex("last_seen")).toInstant().toString())
                .isEqualTo("2026-11-18T02:05:00Z");
        assertThat(metadata(hit)).containsEntry("correlation_type", "event_count")
                .containsEntry("correlation_rules", "base-failed").containsEntry("group.User", "alice")
                .containsEntry("window_start", "2026-11-18T02:00:00").containsEntry("window_end", "2026-11-18T02:05:00")
                .containsEntry("window", "5 minutes").containsEntry("rule_format", "sigma");
        assertThat(hit.<String>getAs("description")).isEqualTo("3 events of base-failed for User=alice between"
                + " 02:00 and 02:05 UTC; condition: gte 3 in 5 minutes");
        assertThat(hit.<Boolean>getAs("suppressed")).isFalse();
        assertThat(hit.<String>getAs("finding_id")).isNotNull();
    }

    @Test
    void aBurstIsOneFindingByItsStrongestWindowAndEvidenceIsBounded(@TempDir Path dir) throws IOException {
        RuleCatalog c = catalog(dir, correlation("c", "event_count", "[failed_login]", "[User]", "5m", "{gte: 3}"));
        LogRows rows = new LogRows();
        for (int i = 0; i < 6; i++) {
            fail(rows, "d" + i, "2026-11-18T02:0" + i + ":00Z", "dave");
        }
        // A second burst two hours later is a second episode.
        for (int i = 0; i < 4; i++) {
            fail(rows, "e" + i, "2026-11-18T04:0" + i + ":30Z", "dave");
        }

        List<Row> f = findings(c, rows);

        // Windows of 5 minutes ending at each event: 02:00..02:05 holds all six (both ends included).
        assertThat(f).extracting(r -> r.<Double>getAs("observed")).containsExactly(6.0, 4.0);
        assertThat(f.get(0).getList(f.get(0).fieldIndex("evidence_row_ids"))).containsExactly("d0", "d1", "d2");
        assertThat(metadata(f.get(0))).containsEntry("windows_over_threshold", "4");
        assertThat(metadata(f.get(1))).containsEntry("window_end", "2026-11-18T04:03:30");
    }

    @Test
    void valueCountCountsDistinctValuesPerGroupAndLeavesOutRowsWithoutTheKey(@TempDir Path dir)
            throws IOException {
        RuleCatalog c = catalog(dir, correlation("spray", "value_count", "failed_login", "SourceIp", "10m",
                "{gte: 3, field: User}"));
        LogRows rows = new LogRows();
        failure(rows, "p1", "2026-11-18T03:00:00Z").user("a").src("198.51.100.7");
        failure(rows, "p2", "2026-11-18T03:01:00Z").user("b").src("198.51.100.7");
        failure(rows, "p3", "2026-11-18T03:02:00Z").user("a").src("198.51.100.7");
        failure(rows, "p4", "2026-11-18T03:09:00Z").user("c").src("198.51.100.7");
        // Two distinct users only (one repeated), and a third user with no source address: no group.
        failure(rows, "q1", "2026-11-18T03:00:00Z").user("a").src("203.0.113.9");
        failure(rows, "q2", "2026-11-18T03:01:00Z").user("b").src("203.0.113.9");
        failure(rows, "q3", "2026-11-18T03:02:00Z").user("b").src("203.0.113.9");
        failure(rows, "q4", "2026-11-18T03:03:00Z").user("c");

        List<Row> f = findings(c, rows);

        assertThat(f).hasSize(1);
        assertThat(f.get(0).<String>getAs("src_ip")).isEqualTo("198.51.100.7");
        assertThat(f.get(0).<String>getAs("user")).isNull();
        assertThat(f.get(0).<Double>getAs("observed")).isEqualTo(3.0);
        assertThat(f.get(0).<String>getAs("description")).startsWith("3 distinct user in events of base-failed for"
                + " SourceIp=198.51.100.7 between 03:00 and 03:09");
    }

    @Test
    void temporalNeedsEveryRuleWithinTheTimespanInAnyOrder(@TempDir Path dir) throws IOException {
        RuleCatalog c = catalog(dir, correlation("t", "temporal", "[failed_login, successful_login]", "[User]",
                "10m", null));
        LogRows rows = new LogRows();
        success(rows, "a1", "2026-11-18T05:00:00Z", "alice");
        fail(rows, "a2", "2026-11-18T05:10:00Z", "alice");
        fail(rows, "b1", "2026-11-18T05:00:00Z", "bob");
        success(rows, "b2", "2026-11-18T05:10:01Z", "bob");
        fail(rows, "c1", "2026-11-18T05:00:00Z", "carol");
        fail(rows, "c2", "2026-11-18T05:01:00Z", "carol");

        List<Row> f = findings(c, rows);

        assertThat(f).extracting(r -> r.<String>getAs("user")).containsExactly("alice");
        assertThat(f.get(0).<Double>getAs("observed")).isEqualTo(2.0);
        assertThat(f.get(0).<String>getAs("description")).startsWith("2 of 2 rules matched (base-failed,"
                + " base-success) for User=alice");
    }

    @Test
    void temporalOrderedNeedsTheRulesInTheirOrder(@TempDir Path dir) throws IOException {
        RuleCatalog c = catalog(dir, correlation("o", "temporal_ordered", "[failed_login, successful_login]",
                "[User]", "10m", null));
        LogRows rows = new LogRows();
        success(rows, "a1", "2026-11-18T05:00:00Z", "alice"); // success first: out of order
        fail(rows, "a2", "2026-11-18T05:05:00Z", "alice");
        fail(rows, "b1", "2026-11-18T05:00:00Z", "bob");
        fail(rows, "b2", "2026-11-18T05:01:00Z", "bob");
        success(rows, "b3", "2026-11-18T05:09:00Z", "bob");
        success(rows, "c1", "2026-11-18T05:00:00Z", "carol"); // the same second: counted as in order
        fail(rows, "c2", "2026-11-18T05:00:00Z", "carol");
        fail(rows, "d1", "2026-11-18T05:00:00Z", "dan"); // in order, but 10 minutes and 1 second apart
        success(rows, "d2", "2026-11-18T05:10:01Z", "dan");

        List<Row> f = findings(c, rows);

        assertThat(f).extracting(r -> r.<String>getAs("user")).containsExactly("bob", "carol");
        assertThat(f.get(0).getList(f.get(0).fieldIndex("evidence_row_ids"))).containsExactly("b1", "b2", "b3");
        assertThat(metadata(f.get(0))).containsEntry("correlation_type", "temporal_ordered");
    }

    @Test
    void aliasesGroupEachRuleByItsOwnField(@TempDir Path dir) throws IOException {
        RuleCatalog c = catalog(dir, """
                title: Web error
                id: web-error
                name: internal_error
                logsource: {product: nightshift}
                detection:
                  selection: {sc-status: 500}
                  condition: selection
                ---
                title: New connection
                id: new-conn
                name: new_network_connection
                logsource: {product: nightshift}
                detection:
                  selection: {EventID: connect}
                  condition: selection
                ---
                """ + correlation("alias", "temporal", "[internal_error, new_network_connection]", "[address]",
                "10s", null) + """
                  aliases:
                    address:
                      internal_error: SourceIp
                      new_network_connection: DestinationIp
                """);
        LogRows rows = new LogRows();
        rows.add("w1", "2026-11-18T06:00:00Z").status(500).src("10.1.1.1");
        rows.add("n1", "2026-11-18T06:00:05Z").action("connect").src("10.9.9.9").dst("10.1.1.1");
        // The same address as the connection's source, not its destination: no pair.
        rows.add("w2", "2026-11-18T07:00:00Z").status(500).src("10.2.2.2");
        rows.add("n2", "2026-11-18T07:00:05Z").action("connect").src("10.2.2.2").dst("10.3.3.3");

        List<Row> f = findings(c, rows);

        assertThat(f).hasSize(1);
        assertThat(metadata(f.get(0))).containsEntry("group.address", "10.1.1.1");
        assertThat(f.get(0).getList(f.get(0).fieldIndex("evidence_row_ids"))).containsExactly("w1", "n1");
        // The key is src_ip for one rule and dst_ip for the other: no one entity column; the rows disagree on src_ip.
        assertThat(f.get(0).<String>getAs("src_ip")).isNull();
        assertThat(c.correlations().get(0).groupBy().get(0).perRule()).extracting(FieldRef::toString)
                .containsExactly("src_ip", "dst_ip");
    }

    @Test
    void generateTrueKeepsTheBaseRulesFindings(@TempDir Path dir) throws IOException {
        RuleCatalog c = catalog(dir, correlation("g", "event_count", "[failed_login]", "[User]", "5m", "{gte: 2}")
                + "  generate: true\n");
        LogRows rows = new LogRows();
        fail(rows, "a1", "2026-11-18T02:00:00Z", "alice");
        fail(rows, "a2", "2026-11-18T02:01:00Z", "alice");
        success(rows, "a3", "2026-11-18T02:02:00Z", "alice");

        assertThat(findings(c, rows)).extracting(r -> r.<String>getAs("detector_id"))
                .containsExactly("base-failed", "base-success", "g");
        assertThat(c.correlationOnly()).isEmpty();
    }

    @Test
    void aFilterTakesRowsOutOfTheRuleAndOfTheCorrelationsOverIt(@TempDir Path dir) throws IOException {
        RuleCatalog c = catalog(dir, correlation("c", "event_count", "[failed_login]", "[SourceIp]", "5m",
                "{gte: 3}"), """
                title: Service accounts fail by design
                logsource: {product: linux}
                filter:
                  rules: [failed_login]
                  svc:
                    User|startswith: 'svc-'
                  condition: not svc
                ---
                title: Not the jump host
                logsource: {product: linux, service: sshd}
                filter:
                  rules: any
                  jump:
                    Hostname: jump-1
                  condition: not jump
                """);
        LogRows rows = new LogRows();
        fail(rows, "f1", "2026-11-18T02:00:00Z", "svc-backup");
        fail(rows, "f2", "2026-11-18T02:01:00Z", "svc-backup");
        fail(rows, "f3", "2026-11-18T02:02:00Z", "alice");
        failure(rows, "f4", "2026-11-18T02:03:00Z").user("bob").src("10.0.0.1")
                .host("jump-1");
        fail(rows, "g1", "2026-11-18T03:00:00Z", "svc-backup");
        fail(rows, "g2", "2026-11-18T03:01:00Z", "alice");
        fail(rows, "g3", "2026-11-18T03:02:00Z", "bob");

        // Without the filters the 02:00 burst would count 4; with them it counts 1 (alice), the 03:00 one 2.
        assertThat(findings(c, rows)).isEmpty();
        fail(rows, "g4", "2026-11-18T03:03:00Z", "carol");
        List<Row> f = findings(c, rows);
        assertThat(f).hasSize(1);
        assertThat(f.get(0).getList(f.get(0).fieldIndex("evidence_row_ids"))).containsExactly("g2", "g3", "g4");
        assertThat(ConditionText.of(c.rules().get(0).condition())).contains("user", "svc-").contains("jump-1");
        assertThat(ConditionText.of(c.rules().get(1).condition())).doesNotContain("svc-").contains("jump-1");
    }

    /** The shipped example: more than 10 failures from one source in 30 minutes; health checks filtered out. */
    @Test
    void theShippedBruteForceCorrelationFiresOnTheEleventhFailure() {
        RuleCatalog c = new RuleLoader(SigmaFieldMapping.defaultMapping(), Map.of()).load(TestSpark.repoRoot()
                .resolve("data-samples/sigma-correlation"));
        assertThat(c.errors()).isEmpty();
        LogRows rows = new LogRows();
        for (int i = 0; i < 11; i++) {
            // 10 failures from 198.51.100.7 and an 11th 29 minutes later; the same from 198.51.100.8, whose 11th
            // is a health check.
            String ts = i < 10 ? "2026-11-18T02:0" + i + ":00Z" : "2026-11-18T02:29:00Z";
            failure(rows, "x" + i, ts).user("u" + i).src("198.51.100.7");
            failure(rows, "y" + i, ts).user(i < 10 ? "u" + i : "healthcheck-lb1")
                    .src("198.51.100.8");
        }
        // u3 failed from .7 at 02:03 and logs in from there 27 minutes later: the ordered correlation.
        rows.add("s1", "2026-11-18T02:30:00Z").action("login").outcome("success").user("u3").src("198.51.100.7");

        List<Row> f = findings(c, rows);

        assertThat(f).extracting(r -> r.<String>getAs("detector_id") + " " + r.<String>getAs("src_ip") + " "
                + r.<Double>getAs("observed")).containsExactly(
                        "0b3c2a7e-51d4-4c1e-a9f6-7e2d8c4b1f02 198.51.100.7 2.0",
                        "5d0f4a3e-9c41-4f55-8f0e-2b7d6c1a9e01 198.51.100.7 11.0");
    }

    @Test
    void theStageCountsCorrelationsAndLeavesOutOneItsDayCannotGroupUnlessStrict(@TempDir Path dir)
            throws IOException {
        RuleCatalog c = catalog(dir, correlation("by-ip", "event_count", "[failed_login]", "[sc-status]", "5m",
                "{gte: 2}"));
        LogRows rows = new LogRows();
        failure(rows, "a1", "2026-11-18T02:00:00Z").user("alice").status(401);
        failure(rows, "a2", "2026-11-18T02:01:00Z").user("alice").status(401);

        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        StageOutputs out = new RuleStage(c, 3, false).run(TestNights.of(spark, LocalDate.parse("2026-11-18"),
                rows.frame(spark), new Progress(new PrintStream(progress, true, StandardCharsets.UTF_8), "test")));
        assertThat(out.get(ResultTables.FINDINGS).select("detector_id").as(Encoders.STRING()).collectAsList())
                .containsExactly("by-ip");
        assertThat(progress.toString(StandardCharsets.UTF_8))
                .contains("2 rules and 1 correlations (0 left out), 2 rows matched by some rule");

        // A day without status_code: the correlation cannot group, so it is left out and its rule reports on its own.
        Dataset<Row> noSrc = rows.frame(spark).drop("status_code");
        progress.reset();
        out = new RuleStage(c, 3, false).run(TestNights.of(spark, LocalDate.parse("2026-11-18"), noSrc,
                new Progress(new PrintStream(progress, true, StandardCharsets.UTF_8), "test")));
        assertThat(out.get(ResultTables.FINDINGS).select("detector_id").as(Encoders.STRING()).collectAsList())
                .containsExactly("base-failed");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains(dir.resolve("rules.yml") + ":17: rule by-ip:"
                + " cannot run over the day's columns: ").contains("2 rules (1 left out)");
        assertThatThrownBy(() -> new RuleStage(c, 3, true).findings(noSrc)).isInstanceOf(NightshiftException.class)
                .hasMessageStartingWith(dir.resolve("rules.yml") + ":17: rule by-ip: cannot run over the day's"
                        + " columns: ");
    }
}
