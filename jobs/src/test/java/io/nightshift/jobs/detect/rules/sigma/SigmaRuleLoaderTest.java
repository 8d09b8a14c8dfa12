package io.nightshift.jobs.detect.rules.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.detect.rules.ConditionCompiler;
import io.nightshift.jobs.detect.rules.LogRows;
import io.nightshift.jobs.detect.rules.Mitre;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleCatalog;
import io.nightshift.jobs.detect.rules.RuleExecutor;
import io.nightshift.jobs.detect.rules.RuleFormat;
import io.nightshift.jobs.detect.rules.RuleStatus;
import io.nightshift.jobs.detect.rules.RuleValidationError;
import io.nightshift.jobs.detect.rules.load.RuleLoader;

/** Sigma rules compile to the same conditions as Nightshift rules; unsupported ones are skipped by name. */
public class SigmaRuleLoaderTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    /** A Sigma rule with the given detection body (indented under detection) and condition. */
    public static String sigma(String selectionName, String condition) {
        return """
                title: Test rule
                id: 11111111-2222-3333-4444-555555555555
                status: stable
                level: high
                tags: [attack.credential_access, attack.t1110.001]
                logsource: {product: linux, service: sshd}
                detection:
                  %s:
                    User: root
                  condition: %s
                """.formatted(selectionName, condition);
    }

    static RuleCatalog load(Path dir, String yaml, Map<String, List<String>> logsources) throws IOException {
        Files.writeString(dir.resolve("s.yml"), yaml);
        return new RuleLoader(new SigmaFieldMapping(Map.of("Country", "attributes.country")), logsources).load(dir);
    }

    static List<String> matchingIds(Rule rule, LogRows rows) {
        return rows.frame(spark).where(ConditionCompiler.compile(rule.condition())).orderBy("row_id")
                .select("row_id").collectAsList().stream().map(r -> r.getString(0)).toList();
    }

    @Test
    void metadataMapsToRuleFields(@TempDir Path dir) throws IOException {
        RuleCatalog c = load(dir, sigma("sel", "sel"), Map.of("sshd", List.of("auth", "sso")));
        assertThat(c.errors()).isEmpty();
        Rule r = c.rules().get(0);
        assertThat(r.id()).isEqualTo("11111111-2222-3333-4444-555555555555");
        assertThat(r.format()).isEqualTo(RuleFormat.SIGMA);
        assertThat(r.severity()).isEqualTo(Severity.HIGH);
        assertThat(r.mitre()).isEqualTo(new Mitre("TA0006 Credential Access", "T1110.001"));
        assertThat(r.services()).containsExactly("auth", "sso");
        assertThat(r.description()).isEqualTo("Test rule");
    }

    @Test
    void selectionsModifiersWildcardsAndConditionsMatchAsSigmaSays(@TempDir Path dir) throws IOException {
        Rule r = load(dir, """
                title: Combined
                detection:
                  sel_login:
                    event.action: login
                    event.outcome: [failure, denied]
                  sel_msg:
                    - message|contains|all: ['invalid', 'user']
                    - message|startswith: 'PAM*fail'
                  sel_re:
                    message|re: '^Bad\\s+key'
                  filter_country:
                    Country: null
                  keywords:
                    - 'segfault'
                  condition: (sel_login and 1 of sel_m*) or sel_re or (keywords and not filter_country)
                """, Map.of()).rules().get(0);
        LogRows rows = new LogRows();
        rows.add("01", "2026-11-20T01:00:00Z").action("LOGIN").outcome("Failure").message("Invalid USER bob");
        rows.add("02", "2026-11-20T01:00:00Z").action("login").outcome("failure").message("invalid password");
        rows.add("03", "2026-11-20T01:00:00Z").action("login").outcome("denied").message("pam_unix fail x");
        rows.add("04", "2026-11-20T01:00:00Z").action("login").outcome("success").message("invalid user");
        rows.add("05", "2026-11-20T01:00:00Z").message("Bad   key from x");
        rows.add("06", "2026-11-20T01:00:00Z").message("bad key from x");
        rows.add("07", "2026-11-20T01:00:00Z").message("app segfault at 0").attr("country", "DE");
        rows.add("08", "2026-11-20T01:00:00Z").message("app SEGFAULT at 0");
        assertThat(matchingIds(r, rows)).containsExactly("01", "03", "05", "07");
        assertThat(r.status()).isEqualTo(RuleStatus.STABLE);
        assertThat(r.id()).isEqualTo("sigma-combined");
    }

    @Test
    void allOfThemAndListOfMapsAreOr(@TempDir Path dir) throws IOException {
        Rule r = load(dir, """
                title: Lists
                status: experimental
                detection:
                  a:
                    - SourceIp: 203.0.113.5
                    - DestinationIp: 203.0.113.5
                  b:
                    Hostname|endswith: '.prod'
                  _helper:
                    user.name: nobody
                  condition: all of them
                """, Map.of()).rules().get(0);
        LogRows rows = new LogRows();
        rows.add("1", "2026-11-20T01:00:00Z").src("203.0.113.5").host("web.PROD");
        rows.add("2", "2026-11-20T01:00:00Z").dst("203.0.113.5").host("db.prod");
        rows.add("3", "2026-11-20T01:00:00Z").src("203.0.113.5").host("db.dev");
        assertThat(matchingIds(r, rows)).containsExactly("1", "2");
        assertThat(r.status()).isEqualTo(RuleStatus.EXPERIMENTAL);
    }

    @Test
    void unsupportedFeaturesAreSkippedWithReasonAndTheRestLoads(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ok.yml"), sigma("sel", "sel"));
        Files.writeString(dir.resolve("count.yml"), sigma("sel", "sel | count() by src_ip > 5").replace("1111", "aaaa"));
        Files.writeString(dir.resolve("near.yml"), sigma("sel", "sel near sel").replace("1111", "bbbb"));
        Files.writeString(dir.resolve("b64.yml"), sigma("sel", "sel").replace("User: root", "User|base64offset: x")
                .replace("1111", "cccc"));
        Files.writeString(dir.resolve("tf.yml"), sigma("sel", "sel").replace("  condition: sel",
                "  timeframe: 5m\n  condition: sel").replace("1111", "dddd"));
        RuleCatalog c = new RuleLoader(SigmaFieldMapping.defaultMapping(), Map.of()).load(dir);
        assertThat(c.errors()).isEmpty();
        assertThat(c.rules()).extracting(Rule::id).containsExactly("11111111-2222-3333-4444-555555555555");
        assertThat(c.skipped()).extracting(RuleValidationError::toString).containsExactly(
                dir.resolve("b64.yml") + ":9: rule cccccccc-2222-3333-4444-555555555555: Sigma rule skipped: modifier"
                        + " 'base64offset' on field 'User' is not supported (supported: [all, contains, endswith, re,"
                        + " startswith])",
                dir.resolve("count.yml") + ":10: rule aaaaaaaa-2222-3333-4444-555555555555: Sigma rule skipped:"
                        + " aggregation '| count() by src_ip > 5' is not supported (use a Nightshift rule with"
                        + " group_by/window/threshold instead)",
                dir.resolve("near.yml") + ":10: rule bbbbbbbb-2222-3333-4444-555555555555: Sigma rule skipped: 'near'"
                        + " (temporal correlation) is not supported",
                dir.resolve("tf.yml") + ":10: rule dddddddd-2222-3333-4444-555555555555: Sigma rule skipped:"
                        + " 'timeframe' (aggregation over time) is not supported");
    }

    @Test
    void malformedSigmaIsAnError(@TempDir Path dir) throws IOException {
        RuleCatalog c = load(dir, sigma("sel", "sel and missing"), Map.of());
        assertThat(c.errors()).singleElement().asString().endsWith(":10: rule 11111111-2222-3333-4444-555555555555:"
                + " condition names selection 'missing', which detection does not define (defined: [sel])");
    }

    @Test
    void sigmaRulesRunThroughTheExecutor(@TempDir Path dir) throws IOException {
        Rule r = load(dir, sigma("sel", "sel"), Map.of()).rules().get(0);
        LogRows rows = new LogRows();
        rows.add("1", "2026-11-20T01:00:00Z").user("ROOT").src("10.0.0.1");
        rows.add("2", "2026-11-20T01:10:00Z").user("root").src("10.0.0.1");
        rows.add("3", "2026-11-20T01:10:00Z").user("alice").src("10.0.0.1");
        List<Row> f = new RuleExecutor(50).findings(r, rows.frame(spark)).collectAsList();
        assertThat(f).hasSize(2); // ROOT and root are different entity values
        assertThat(f).allSatisfy(x -> assertThat(x.<String, String>getJavaMap(x.fieldIndex("metadata")))
                .containsEntry("rule_format", "sigma"));
    }

    @Test
    void currentSigmaHqTagFormsMapToTactics() {
        assertThat(SigmaRuleLoader.mitre(List.of("attack.privilege-escalation", "attack.t1548")))
                .isEqualTo(new Mitre("TA0004 Privilege Escalation", "T1548"));
        assertThat(SigmaRuleLoader.mitre(List.of("attack.stealth"))).isEqualTo(new Mitre("TA0005 Stealth", null));
        assertThat(SigmaRuleLoader.mitre(List.of("attack.defense-impairment", "attack.t1562.008")))
                .isEqualTo(new Mitre("TA0112 Defense Impairment", "T1562.008"));
        assertThat(SigmaRuleLoader.mitre(List.of("attack.command-and-control")).tactic())
                .isEqualTo("TA0011 Command and Control");
        assertThat(SigmaRuleLoader.mitre(List.of("attack.resource-development")).tactic())
                .isEqualTo("TA0042 Resource Development");
        assertThat(SigmaRuleLoader.mitre(List.of("attack.defense_evasion")).tactic())
                .isEqualTo("TA0005 Defense Evasion");
        assertThat(SigmaRuleLoader.mitre(List.of("detection.threat-hunting", "attack.ta0010")).tactic())
                .isEqualTo("TA0010 Exfiltration");
        assertThat(SigmaRuleLoader.mitre(List.of("attack.g0007", "cve.2021-1234"))).isEqualTo(Mitre.NONE);
    }

    @Test
    void logsourcePipelinesResolveFieldsAndTheRestAreNamed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ct.yml"), """
                title: Bucket policy changed
                logsource: {product: aws, service: cloudtrail}
                detection:
                  selection:
                    eventSource: s3.amazonaws.com
                    eventName: PutBucketPolicy
                    SourceIp: 10.0.0.1
                    requestParameters.policy|contains: '*'
                  condition: selection
                """);
        SigmaFieldMapping fields = new SigmaFieldMapping(Map.of("SourceIp", "dst_ip"),
                List.of(SigmaPipeline.shipped("aws_cloudtrail")));
        Rule r = new RuleLoader(fields, Map.of()).load(dir).rules().get(0);
        assertThat(r.fields()).extracting(Object::toString).containsExactly(
                "eventSource -> attributes.eventSource (pipeline aws_cloudtrail)",
                "eventName -> action (pipeline aws_cloudtrail)",
                "SourceIp -> dst_ip (rules.sigma_field_mapping)",
                "requestParameters.policy -> attributes.requestParameters.policy (no mapping)");
        assertThat(r.unmappedFields()).containsExactly("requestParameters.policy");

        // The same rule for another log source does not use the CloudTrail mapping.
        Files.writeString(dir.resolve("ct.yml"), Files.readString(dir.resolve("ct.yml"))
                .replace("product: aws, service: cloudtrail", "product: gcp"));
        Rule other = new RuleLoader(fields, Map.of()).load(dir).rules().get(0);
        assertThat(other.unmappedFields()).containsExactly("eventSource", "eventName", "requestParameters.policy");
    }
}
