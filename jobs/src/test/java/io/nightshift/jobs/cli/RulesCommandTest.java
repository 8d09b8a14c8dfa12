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
}
