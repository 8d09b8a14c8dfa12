package io.nightshift.jobs.detect.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.detect.rules.own.RuleParser;

class RuleExecutorTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    static Rule rule(String yaml) {
        List<RuleValidationError> errors = new ArrayList<>();
        Rule r = new RuleParser("test.yml", errors).parse(YamlNode.documents(new StringReader(yaml)).get(0));
        assertThat(errors).isEmpty();
        return r;
    }

    static final String BRUTE = """
            id: T-BRUTE
            title: Brute force
            description: many failed logins
            severity: high
            mitre: {tactic: TA0006 Credential Access, technique: T1110.001 Password Guessing}
            condition:
              all:
                - {field: action, equals: login}
                - {field: outcome, equals: failure}
            group_by: [user]
            window: 10 minutes
            threshold: {more_than: 5}
            counting: failed logins
            next_steps: [Lock the account]
            """;

    private static LogRows failures(String user, String startIso, int n, int secondsApart) {
        LogRows rows = new LogRows();
        java.time.Instant t0 = java.time.Instant.parse(startIso);
        for (int i = 0; i < n; i++) {
            rows.add(user + "-" + startIso + "-" + i, t0.plusSeconds((long) i * secondsApart).toString())
                    .user(user).tenant("t-07").src("203.0.113.5").action("login").outcome("failure");
        }
        return rows;
    }

    @Test
    void burstAcrossATumblingBoundaryIsOneFindingWithWords() {
        // 4 failures before 02:10 and 4 after: no tumbling 10-minute window holds more than 5, a sliding one does.
        LogRows rows = failures("alice", "2026-11-20T02:07:00Z", 8, 45);
        rows.addAll(failures("bob", "2026-11-20T02:07:00Z", 3, 45));
        List<Row> out = new RuleExecutor(50).findings(rule(BRUTE), rows.frame(spark)).collectAsList();
        assertThat(out).hasSize(1);
        Row f = out.get(0);
        assertThat(f.<String>getAs("user")).isEqualTo("alice");
        assertThat(f.<String>getAs("tenant_id")).isEqualTo("t-07");
        assertThat(f.<String>getAs("src_ip")).isEqualTo("203.0.113.5");
        assertThat(f.<Double>getAs("observed")).isEqualTo(8.0);
        assertThat(f.<Double>getAs("expected")).isEqualTo(5.0);
        assertThat(f.<String>getAs("description")).isEqualTo("8 failed logins for user alice (tenant t-07) from "
                + "203.0.113.5 on host h1 between 02:07 and 02:12 UTC; threshold: more than 5 in 10 minutes");
        assertThat(f.getList(f.fieldIndex("evidence_row_ids"))).hasSize(8);
        assertThat(f.<Double>getAs("score")).isBetween(75.0, 85.0);
        assertThat(f.<String>getAs("severity")).isEqualTo("high");
        assertThat(f.<String>getAs("mitre_technique")).isEqualTo("T1110.001 Password Guessing");
        assertThat(f.getList(f.fieldIndex("recommended_actions"))).containsExactly("Lock the account");
        assertThat(f.<Boolean>getAs("suppressed")).isFalse();
    }

    static final String EXPORTS = """
            id: T-EXPORT
            title: Large export
            description: d
            severity: medium
            mitre: {tactic: TA0010 Exfiltration, technique: T1567}
            condition: {field: action, equals: export}
            next_steps: [Ask why]
            """;

    /** Exports of two users (one without a source address, one changing service), and a read. */
    static LogRows exports() {
        LogRows rows = new LogRows();
        rows.add("a1", "2026-11-20T02:10:00Z").tenant("t-01").user("ann").host("h1").action("export");
        rows.add("a2", "2026-11-20T02:20:00Z").tenant("t-01").user("ann").host("h1").action("export");
        rows.add("b1", "2026-11-20T02:15:00Z").tenant("t-02").user("bob").src("198.51.100.7").host("h2")
                .action("export");
        rows.add("b2", "2026-11-20T03:15:00Z").tenant("t-02").user("bob").src("198.51.100.7").host("h2")
                .service("billing").action("export");
        rows.add("x1", "2026-11-20T02:30:00Z").tenant("t-01").user("ann").host("h1").action("read");
        return rows;
    }

    @Test
    void reportedWindowsGetTheirOwnEvidenceAndEntitiesEvenWhereAGroupKeyIsNull() {
        // No threshold: grouped by tenant, user, source address and host per hour, nulls a group of their own.
        LogRows rows = exports();
        List<Row> out = new RuleExecutor(50).findings(rule(EXPORTS), rows.frame(spark))
                .orderBy("user", "first_seen").collectAsList();

        assertThat(out).hasSize(3);
        assertThat(out.get(0).<String>getAs("user")).isEqualTo("ann");
        assertThat(out.get(0).<String>getAs("src_ip")).isNull();
        assertThat(out.get(0).getList(out.get(0).fieldIndex("evidence_row_ids"))).containsExactly("a1", "a2");
        assertThat(out.get(0).<Double>getAs("observed")).isEqualTo(2.0);
        assertThat(out.get(1).getList(out.get(1).fieldIndex("evidence_row_ids"))).containsExactly("b1");
        assertThat(out.get(2).getList(out.get(2).fieldIndex("evidence_row_ids"))).containsExactly("b2");
        // One service in the window names it; the rows' own value, not another window's.
        assertThat(out.get(2).<String>getAs("service")).isEqualTo("billing");
        assertThat(out.get(1).<String>getAs("service")).isNotEqualTo("billing");
    }

    /**
     * A classic catastrophic pattern over a 100,000-character message: Java's backtracking engine takes seconds on 24
     * characters and would not finish this in a lifetime; RE2/J is linear in the text.
     */
    @Test
    void aCatastrophicPatternOverAHugeMessageFinishesInBoundedTime() {
        Rule rule = rule("""
                id: T-REDOS
                title: Catastrophic
                description: d
                severity: low
                mitre: {tactic: TA0007 Discovery}
                condition: {field: message, regex: '(.*a){12}$'}
                next_steps: [Rewrite the pattern]
                """);
        LogRows rows = new LogRows();
        rows.add("huge", "2026-11-20T02:10:00Z").message("a".repeat(100_000) + "b");
        rows.add("hit", "2026-11-20T02:11:00Z").message("a".repeat(30));
        rows.add("short", "2026-11-20T02:12:00Z").message("aaaaaaaaaaaaaaaaaaaaaaab");
        List<Row> out = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(120),
                () -> new RuleExecutor(50).findings(rule, rows.frame(spark)).collectAsList());
        assertThat(out).singleElement().satisfies(f -> assertThat(f.getList(f.fieldIndex("evidence_row_ids")))
                .containsExactly("hit"));
    }

    /** RE2 semantics where they differ from Java's: $ is the end of the text, and (?i) folds beyond ASCII. */
    @Test
    void patternsMatchAsRe2Does() {
        LogRows rows = new LogRows();
        rows.add("newline", "2026-11-20T02:10:00Z").message("login by root\n");
        rows.add("end", "2026-11-20T02:11:00Z").message("login by root");
        rows.add("unicode", "2026-11-20T02:12:00Z").message("ÅSA.K logged in");
        Rule anchored = rule(EXPORTS.replace("condition: {field: action, equals: export}",
                "condition: {field: message, regex: 'by root$'}"));
        assertThat(new RuleExecutor(50).findings(anchored, rows.frame(spark)).collectAsList())
                .flatExtracting(f -> f.getList(f.fieldIndex("evidence_row_ids"))).containsExactly("end");
        Rule folded = rule(EXPORTS.replace("condition: {field: action, equals: export}",
                "condition: {field: message, regex: 'åsa\\.k', ignore_case: true}"));
        assertThat(new RuleExecutor(50).findings(folded, rows.frame(spark)).collectAsList())
                .flatExtracting(f -> f.getList(f.fieldIndex("evidence_row_ids"))).containsExactly("unicode");
    }
}
