package io.nightshift.jobs.detect.rules.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.detect.rules.Condition;
import io.nightshift.jobs.detect.rules.FieldRef;
import io.nightshift.jobs.detect.rules.Operator;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleCatalog;
import io.nightshift.jobs.detect.rules.RuleStatus;
import io.nightshift.jobs.detect.rules.RuleValidationError;
import io.nightshift.jobs.detect.rules.sigma.SigmaFieldMapping;

/** Validation happens at load time, names file, line, rule and field, and never needs Spark. */
public class RuleLoaderTest {
    public static final String GOOD = """
            id: R-1
            title: t
            description: d
            severity: low
            mitre: {tactic: TA0006}
            condition: {field: action, equals: login}
            """;

    public static RuleCatalog load(Path dir) {
        return new RuleLoader(SigmaFieldMapping.defaultMapping(), Map.of()).load(dir);
    }

    static List<String> problems(Path dir, String file, String yaml) throws IOException {
        Files.writeString(dir.resolve(file), yaml);
        return load(dir).errors().stream().map(RuleValidationError::toString).toList();
    }

    @Test
    void aGoodRuleLoadsWithDefaults(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yml"), GOOD);
        RuleCatalog c = load(dir);
        assertThat(c.errors()).isEmpty();
        Rule r = c.rules().get(0);
        assertThat(r.status()).isEqualTo(RuleStatus.STABLE);
        assertThat(r.services()).isEmpty();
        assertThat(r.threshold().implicit()).isTrue();
        assertThat(r.condition()).isEqualTo(Condition.Match.of(FieldRef.column("action"), Operator.EQUALS,
                List.of("login"), false));
    }

    @Test
    void unknownKeyUnknownFieldAndBadOperatorAreReportedWithLines(@TempDir Path dir) throws IOException {
        String f = dir.resolve("bad.yml").toString();
        assertThat(problems(dir, "bad.yml", """
                id: R-2
                title: t
                description: d
                severity: low
                mitre: {tactic: TA0006}
                colour: red
                condition:
                  all:
                    - {field: usr, equals: bob}
                    - {field: user, matches: bob}
                """)).containsExactly(
                f + ":6: rule R-2: unknown key 'colour'; rule keys are [author, condition, counting, description,"
                        + " false_positives, followed_by, group_by, id, logsource, mitre, next_steps, references,"
                        + " severity, status, suppression, threshold, title, window]",
                f + ":9: rule R-2: unknown field 'usr'; use a canonical column (timestamp, service, host, message,"
                        + " level, region, datacenter, farm, tenant_id, user, src_ip, dst_ip, action, outcome,"
                        + " status_code, bytes_out, duration_ms), attributes.<key>, hour_of_day or day_of_week");
    }

    @Test
    void badOperatorIsNamed(@TempDir Path dir) throws IOException {
        assertThat(problems(dir, "op.yml", GOOD.replace("equals: login", "matches: login")))
                .singleElement().asString().endsWith(":6: rule R-1: unknown operator 'matches' on field 'action';"
                        + " operators are equals, in, contains, startswith, endswith, regex, gt, gte, lt, lte, exists"
                        + " (and ignore_case)");
    }

    @Test
    void badRegexBadWindowBadThresholdAndBadSeverity(@TempDir Path dir) throws IOException {
        List<String> p = problems(dir, "x.yml", """
                id: R-3
                title: t
                description: d
                severity: urgent
                mitre: {tactic: TA0006}
                condition: {field: message, regex: 'fail(ed'}
                group_by: [user]
                window: 10 fortnights
                threshold: {more_than: many}
                """);
        assertThat(p).hasSize(3);
        assertThat(p.get(0)).endsWith(":4: rule R-3: severity 'urgent' is not one of informational, low, medium,"
                + " high, critical");
        assertThat(p.get(1)).contains(":6: rule R-3: bad regex for field 'message': missing closing ) in 'fail(ed'");
        assertThat(p.get(2)).endsWith(":8: rule R-3: window: '10 fortnights' is not a duration; write e.g."
                + " '10 minutes', '1 hour', '90 seconds' or '1 day'");
        // The window failed first; the threshold is still reported on its own line after fixing it.
        Files.writeString(dir.resolve("x.yml"), Files.readString(dir.resolve("x.yml"))
                .replace("10 fortnights", "10 minutes").replace("fail(ed", "failed").replace("urgent", "low"));
        assertThat(load(dir).errors()).singleElement().asString()
                .endsWith(":9: rule R-3: threshold.more_than must be a number, got 'many'");
    }

    @Test
    void windowOutOfRangeTextOnNumericFieldAndAllowlistOnNonEntity(@TempDir Path dir) throws IOException {
        List<String> p = problems(dir, "y.yml", """
                id: R-4
                title: t
                description: d
                severity: low
                mitre: {tactic: TA0006}
                condition: {field: status_code, contains: '40'}
                window: 2 days
                threshold: {at_least: 0}
                suppression:
                  allowlist: {action: [login]}
                """);
        assertThat(p).containsExactly(
                dir.resolve("y.yml") + ":6: rule R-4: operator 'contains' is for text, but field 'status_code' is"
                        + " numeric; use equals, in, gt, gte, lt or lte",
                dir.resolve("y.yml") + ":7: rule R-4: window '2 days' must be between 2 seconds and 1 day (a nightly"
                        + " run sees one day)",
                dir.resolve("y.yml") + ":10: rule R-4: suppression.allowlist key 'action' is not an entity column;"
                        + " use one of [tenant_id, user, host, src_ip, service, region, datacenter, farm]");
    }

    @Test
    void duplicateIdsYamlSyntaxAndMissingKeys(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yml"), GOOD);
        Files.writeString(dir.resolve("b.yml"), GOOD);
        Files.writeString(dir.resolve("c.yaml"), "id: R-9\ntitle: [unclosed\n");
        Files.writeString(dir.resolve("d.yml"), "id: R-10\ntitle: t\n");
        Files.writeString(dir.resolve("notes.txt"), "not a rule");
        List<String> p = load(dir).errors().stream().map(RuleValidationError::toString).toList();
        assertThat(p).hasSize(6);
        assertThat(p).anySatisfy(s -> assertThat(s).startsWith(dir.resolve("c.yaml") + ":3: rule ?: not valid YAML"));
        assertThat(p).contains(dir.resolve("d.yml") + ":1: rule R-10: missing required key 'description'",
                dir.resolve("d.yml") + ":1: rule R-10: missing required key 'severity'",
                dir.resolve("d.yml") + ":1: rule R-10: missing required key 'mitre'",
                dir.resolve("d.yml") + ":1: rule R-10: missing required key 'condition'",
                dir.resolve("b.yml") + ":1: rule R-1: duplicate rule id; also defined at " + dir.resolve("a.yml") + ":1");
    }

    @Test
    void severalRulesInOneFileAndMissingDirectory(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("two.yml"), GOOD + "---\n" + GOOD.replace("R-1", "R-2"));
        RuleCatalog c = load(dir);
        assertThat(c.rules()).extracting(Rule::id).containsExactly("R-1", "R-2");
        assertThat(c.rules().get(1).line()).isEqualTo(8);
        assertThat(load(dir.resolve("nope")).errors()).singleElement().asString()
                .contains("rules directory does not exist");
    }

    /** What needs backtracking is refused when the rule loads, with the reason and what to do. */
    @Test
    void patternsNeedingBacktrackingAreRefusedWithTheReason(@TempDir Path dir) throws IOException {
        for (String pattern : List.of("(a)\\1", "fail(?=ed)", "(?<!not )failed")) {
            List<String> p = problems(dir, "bt.yml", GOOD.replace("{field: action, equals: login}",
                    "{field: message, regex: '" + pattern + "'}"));
            assertThat(p).as(pattern).singleElement().asString().contains("bad regex for field 'message'")
                    .contains("rules run on RE2, a linear-time engine without back-references, look-around");
        }
    }
}
