package io.nightshift.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleCatalog;
import io.nightshift.jobs.detect.rules.RuleStatus;
import io.nightshift.jobs.detect.rules.load.RuleLoaderTest;
import io.nightshift.jobs.detect.rules.load.RuleStarterPackTest;
import io.nightshift.jobs.detect.rules.own.RulePromotion;
import io.nightshift.jobs.detect.rules.sigma.SigmaRuleLoaderTest;
import picocli.CommandLine;

/**
 * {@code nightshift rules check|list|promote}: exit codes, the one-line-per-problem contract, and promotion rewriting
 * only the status line.
 */
class RulesCommandTest {
    static final String TWO_RULES = """
            # A second rule in the same file must keep its own status.
            id: R-EXP
            title: t
            description: d
            severity: low
            status: experimental   # watch it for a week
            mitre: {tactic: TA0006}
            condition: {field: action, equals: login}
            ---
            id: R-OTHER
            title: t
            description: d
            severity: low
            status: experimental
            mitre: {tactic: TA0006}
            condition: {field: action, equals: logout}
            """;

    final StringWriter out = new StringWriter();

    int run(String... args) {
        CommandLine cli = new CommandLine(new RulesCommand());
        cli.setOut(new PrintWriter(out, true));
        return cli.execute(args);
    }

    @Test
    void checkPassesOnTheStarterPack() {
        assertThat(run("check", RuleStarterPackTest.packDir().toString())).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("0 problems, 0 Sigma rules skipped");
    }

    @Test
    void checkFailsWithOneLinePerProblem(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bad.yml"), RuleLoaderTest.GOOD.replace("field: action", "field: nope")
                .replace("severity: low", "severity: huge"));
        assertThat(run("check", dir.toString())).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(out.toString().lines().toList()).containsExactly(
                dir.resolve("bad.yml") + ":4: rule R-1: severity 'huge' is not one of informational, low, medium,"
                        + " high, critical",
                dir.resolve("bad.yml") + ":6: rule R-1: unknown field 'nope'; use a canonical column (timestamp,"
                        + " service, host, message, level, region, datacenter, farm, tenant_id, user, src_ip, dst_ip,"
                        + " action, outcome, status_code, bytes_out, duration_ms), attributes.<key>, hour_of_day or"
                        + " day_of_week",
                dir + ": 0 rules valid (0 Sigma), 2 problems, 0 Sigma rules skipped");
    }

    @Test
    void unsupportedSigmaIsAWarningUnlessStrict(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("agg.yml"), SigmaRuleLoaderTest.sigma("sel", "sel | count() by src_ip > 5"));
        assertThat(run("check", dir.toString())).as(out.toString()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("Sigma rule skipped: aggregation '| count() by src_ip > 5'");
        assertThat(run("check", "--strict", dir.toString())).isEqualTo(ExitCodes.CHECK_FAILED);
    }

    @Test
    void listPrintsIdSeverityMitreTitleAndFile() {
        assertThat(run("list", RuleStarterPackTest.packDir().toString())).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).containsPattern("NS-AUTH-001 +high +TA0006 +T1110\\.001 +Brute force against one"
                + " account +\\S*auth-brute-force\\.yml:2");
        assertThat(out.toString()).contains("18 rules (* experimental)");
    }

    @Test
    void aSubcommandIsRequired() {
        assertThat(run()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void promoteRewritesOnlyTheRulesStatusLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("r.yml"), TWO_RULES);
        assertThat(run("promote", "R-EXP", dir.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("promoted R-EXP in " + file + " to stable");
        assertThat(Files.readString(file)).isEqualTo(TWO_RULES.replace("status: experimental   # watch it for a week",
                "status: stable"));
        RuleCatalog after = RuleLoaderTest.load(dir);
        assertThat(after.rules()).extracting(Rule::id, Rule::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("R-EXP", RuleStatus.STABLE),
                org.assertj.core.groups.Tuple.tuple("R-OTHER", RuleStatus.EXPERIMENTAL));

        assertThat(run("promote", "R-EXP", dir.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("R-EXP is already stable");
    }

    @Test
    void refusesAnUnknownRuleAndAFolderWithInvalidRules(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("r.yml"), TWO_RULES);
        assertThatThrownBy(() -> RulePromotion.promote(RuleLoaderTest.load(dir), "R-NONE"))
                .isInstanceOfSatisfying(NightshiftException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.BAD_INPUT))
                .hasMessage("no valid rule with id 'R-NONE' in the catalog (see rules list and rules check)");
        Files.writeString(dir.resolve("bad.yml"), RuleLoaderTest.GOOD.replace("severity: low", "severity: huge"));
        assertThat(run("promote", "R-EXP", dir.toString())).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(out.toString()).contains("has 1 invalid rules; fix them (rules check) before promoting");
        assertThat(Files.readString(dir.resolve("r.yml"))).isEqualTo(TWO_RULES);
    }

    static final String CLOUDTRAIL_RULE = """
            title: Console login without MFA
            id: ct-console-no-mfa
            logsource: {product: aws, service: cloudtrail}
            detection:
              selection:
                eventName: ConsoleLogin
                errorCode: [Success, null]
                additionalEventData.MFAUsed: 'No'
                responseElements.customField|contains: 'x*y'
              condition: selection
            tags: [attack.initial-access, attack.t1078.004]
            level: high
            """;

    @Test
    void checkWithConfigUsesItsPipelinesAndNamesUnmappedFields(@TempDir Path dir) throws IOException {
        Path rules = Files.createDirectories(dir.resolve("my-rules"));
        Files.writeString(rules.resolve("ct.yml"), CLOUDTRAIL_RULE);
        Path config = Files.writeString(dir.resolve("nightshift.yaml"), """
                rules:
                  directory: my-rules
                  sigma_pipelines:
                    - shipped: aws_cloudtrail
                    - {logsource: {product: aws}, fields: {responseElements.customField: attributes.custom}}
                """);
        assertThat(run("check", "--config", config.toString())).as(out.toString()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString().lines().toList()).containsExactly(
                rules + ": 1 rules valid (1 Sigma), 0 problems, 0 Sigma rules skipped");

        out.getBuffer().setLength(0);
        assertThat(run("check", rules.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out.toString().lines().toList()).containsExactly(
                rules.resolve("ct.yml") + ":1: rule ct-console-no-mfa: warning: Sigma field 'eventName' has no mapping"
                        + " and is read from attributes['eventName']; map it in rules.sigma_field_mapping or"
                        + " rules.sigma_pipelines (and pass --config)",
                rules.resolve("ct.yml") + ":1: rule ct-console-no-mfa: warning: Sigma field 'errorCode' has no mapping"
                        + " and is read from attributes['errorCode']; map it in rules.sigma_field_mapping or"
                        + " rules.sigma_pipelines (and pass --config)",
                rules.resolve("ct.yml") + ":1: rule ct-console-no-mfa: warning: Sigma field"
                        + " 'additionalEventData.MFAUsed' has no mapping and is read from"
                        + " attributes['additionalEventData.MFAUsed']; map it in rules.sigma_field_mapping or"
                        + " rules.sigma_pipelines (and pass --config)",
                rules.resolve("ct.yml") + ":1: rule ct-console-no-mfa: warning: Sigma field"
                        + " 'responseElements.customField' has no mapping and is read from"
                        + " attributes['responseElements.customField']; map it in rules.sigma_field_mapping or"
                        + " rules.sigma_pipelines (and pass --config)",
                rules + ": 1 rules valid (1 Sigma), 0 problems, 0 Sigma rules skipped, 4 unmapped Sigma fields");
    }

    @Test
    void checkRefusesAnUnknownShippedPipelineByName(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("nightshift.yaml"), """
                rules:
                  sigma_pipelines: [{shipped: aws_cloudtrial}]
                """);
        assertThat(NightshiftCli.execute("rules", "check", "--config", config.toString(), dir.toString()))
                .isEqualTo(ExitCodes.BAD_CONFIG);
        assertThatThrownBy(() -> io.nightshift.jobs.detect.rules.load.RuleLoader.fromConfig(
                io.nightshift.jobs.config.ConfigLoader.load(config, dir).rules()))
                .hasMessage("rules.sigma_pipelines[0]: no shipped Sigma pipeline 'aws_cloudtrial' (shipped:"
                        + " aws_cloudtrail, linux_auditd, canonical)");
    }

    @Test
    void showPrintsTheCompiledConditionThePredicateAndEachFieldsResolution(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ct.yml"), CLOUDTRAIL_RULE);
        Path config = Files.writeString(dir.resolve("nightshift.yaml"), """
                rules:
                  sigma_pipelines: [{shipped: aws_cloudtrail}]
                """);
        assertThat(run("show", "ct-console-no-mfa", dir.toString(), "--config", config.toString()))
                .as(out.toString()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains(
                "ct-console-no-mfa  Console login without MFA",
                "  file:       " + dir.resolve("ct.yml") + ":1 (sigma rule)",
                "  mitre:      TA0001 Initial Access / T1078.004",
                "  condition:  (action = 'ConsoleLogin' [any case] AND (attributes.errorCode = 'Success' [any case]"
                        + " OR attributes.errorCode is missing) AND attributes.additionalEventData.MFAUsed = 'No'"
                        + " [any case] AND attributes.responseElements.customField matches regex '(?s)\\\\Qx\\\\E.*"
                        + "\\\\Qy\\\\E' [any case])",
                "  threshold:  every matching row (one finding per entity per 1 hour)",
                "    eventName -> action (pipeline aws_cloudtrail)",
                "    errorCode -> attributes.errorCode (pipeline aws_cloudtrail)",
                "    responseElements.customField -> attributes.responseElements.customField (no mapping)",
                "  unmapped:   responseElements.customField");
        assertThat(out.toString()).containsPattern("  spark: +coalesce\\(.*=\\(lower\\(action\\), 'consolelogin'\\)"
                + ".*isNull\\(attributes\\['errorCode'\\]\\).*UDF\\(attributes\\['responseElements.customField'\\]\\)"
                + ".*isNotNull\\(timestamp\\)");

        assertThat(NightshiftCli.execute("rules", "show", "nope", dir.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    }

    static final Path CORRELATION_SAMPLE = io.nightshift.jobs.TestSpark.repoRoot()
            .resolve("data-samples/sigma-correlation");

    @Test
    void checkCountsCorrelationsAndListShowsThem() {
        assertThat(run("check", CORRELATION_SAMPLE.toString())).as(out.toString()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString().lines().toList()).containsExactly(CORRELATION_SAMPLE + ": 2 rules valid (2 Sigma),"
                + " 2 Sigma correlations, 0 problems, 0 Sigma rules skipped");

        out.getBuffer().setLength(0);
        assertThat(run("list", CORRELATION_SAMPLE.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).containsPattern("5d0f4a3e-9c41-4f55-8f0e-2b7d6c1a9e01 +high\\* +TA0006 +T1110 +Many"
                + " failed logins from one source \\[event_count\\] +.*mr_brute_force_from_one_source.yml:8")
                .contains("2 rules and 2 Sigma correlations [type] (* experimental)");
    }

    @Test
    void showPrintsACorrelationsWindowRulesAndFieldsPerRule() {
        assertThat(run("show", "5d0f4a3e-9c41-4f55-8f0e-2b7d6c1a9e01", CORRELATION_SAMPLE.toString()))
                .as(out.toString()).isEqualTo(ExitCodes.OK);
        Path file = CORRELATION_SAMPLE.resolve("mr_brute_force_from_one_source.yml");
        assertThat(out.toString().lines().toList()).containsExactly(
                "5d0f4a3e-9c41-4f55-8f0e-2b7d6c1a9e01  Many failed logins from one source",
                "  file:       " + file + ":8 (sigma correlation rule)",
                "  severity:   high, experimental",
                "  mitre:      TA0006 Credential Access / T1110",
                "  type:       event_count: events per window",
                "  window:     30 minutes, sliding: the window ending at each matching event (both ends included)",
                "  condition:  gt 10",
                "  rules:      8a1e6f0d-2c3b-4d59-b7a4-1f9e0c6d3a03",
                "  generate:   false: the rules' own matches are not findings",
                "  group-by:",
                "    source.ip: src_ip",
                "  fields:",
                "    source.ip -> src_ip (built-in Sigma mapping)",
                "  8a1e6f0d-2c3b-4d59-b7a4-1f9e0c6d3a03: ((action = 'login' [any case] AND outcome = 'failure' [any"
                        + " case]) AND NOT user startswith 'healthcheck-' [any case])");

        out.getBuffer().setLength(0);
        assertThat(run("show", "8a1e6f0d-2c3b-4d59-b7a4-1f9e0c6d3a03", CORRELATION_SAMPLE.toString()))
                .isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("  reported:   no: it feeds Sigma correlation rules without 'generate:"
                + " true'; its own matches are not findings");
    }

    @Test
    void aBrokenCorrelationFailsCheckAndAnUnsupportedOneFailsOnlyStrict(@TempDir Path dir) throws IOException {
        Files.copy(CORRELATION_SAMPLE.resolve("mr_brute_force_from_one_source.yml"), dir.resolve("mr.yml"));
        Files.writeString(dir.resolve("chained.yml"), """
                title: Success after many failures
                id: chained
                correlation:
                  type: temporal_ordered
                  rules: [5d0f4a3e-9c41-4f55-8f0e-2b7d6c1a9e01, successful_login]
                  group-by: [source.ip]
                  timespan: 30m
                """);
        assertThat(run("check", dir.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains(dir.resolve("chained.yml") + ":5: rule chained: Sigma correlation rule"
                + " skipped: 'correlation.rules' names '5d0f4a3e-9c41-4f55-8f0e-2b7d6c1a9e01', another correlation"
                + " rule: chained correlations are not supported yet");
        assertThat(run("check", "--strict", dir.toString())).isEqualTo(ExitCodes.CHECK_FAILED);

        out.getBuffer().setLength(0);
        Files.writeString(dir.resolve("chained.yml"), """
                title: Success after many failures
                id: chained
                correlation: {type: temporal, rules: [failed_login, succesful_login], timespan: 30m}
                """);
        assertThat(run("check", dir.toString())).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(out.toString()).contains(dir.resolve("chained.yml") + ":3: rule chained: 'correlation.rules'"
                + " names 'succesful_login', but no Sigma rule under the folder has that id or name");
    }
}
