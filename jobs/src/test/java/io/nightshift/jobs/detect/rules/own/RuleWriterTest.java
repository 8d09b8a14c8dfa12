package io.nightshift.jobs.detect.rules.own;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleCatalog;
import io.nightshift.jobs.detect.rules.load.RuleLoaderTest;
import io.nightshift.jobs.detect.rules.load.RuleStarterPackTest;

/** A rule written by {@link RuleWriter} reads back as the same rule: every rule of the starter pack, Sigma included. */
class RuleWriterTest {

    @Test
    void everyStarterPackRuleRoundTrips(@TempDir Path dir) throws IOException {
        List<Rule> pack = RuleStarterPackTest.pack().rules();
        for (Rule r : pack) {
            Files.writeString(dir.resolve(r.id() + ".yml"), RuleWriter.write(r, List.of("written back")));
        }
        RuleCatalog back = RuleLoaderTest.load(dir);
        assertThat(back.errors()).isEmpty();
        assertThat(back.rules()).hasSameSizeAs(pack);
        for (Rule r : pack) {
            Rule b = back.rules().stream().filter(x -> x.id().equals(r.id())).findFirst().orElseThrow();
            // A Sigma rule written back is a Nightshift rule on canonical fields: no Sigma field resolutions.
            assertThat(b).as(r.id()).usingRecursiveComparison()
                    .ignoringFields("sourceFile", "line", "format", "fields").isEqualTo(r);
        }
    }

    @Test
    void writesTheLayoutOfTheShippedRules(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("r.yml"), """
                id: R-1
                title: Success after failures
                description: More than 10 failed logins from one source IP followed, within 30 minutes, by a successful login from that IP. The likely outcome of a spray that found a password.
                severity: critical
                status: experimental
                mitre: {tactic: TA0006 Credential Access, technique: T1110 Brute Force}
                logsource: {services: [auth]}
                condition:
                  all:
                    - {field: action, equals: login}
                    - any: [{field: outcome, in: [failure, success]}, {field: status_code, gte: 400}]
                group_by: [src_ip]
                window: 30 minutes
                threshold: {more_than: 10, where: {field: outcome, equals: failure}}
                followed_by: {where: {field: outcome, equals: success}, label: a successful login}
                suppression: {allowlist: {user: [svc-backup]}, cooldown: 1 hour}
                next_steps: [Revoke its sessions, 'Reset the password: out of band']
                """);
        Rule r = RuleLoaderTest.load(dir).rules().get(0);
        assertThat(RuleWriter.write(r, List.of("a comment"))).isEqualTo("""
                # a comment
                id: R-1
                title: Success after failures
                description: >-
                  More than 10 failed logins from one source IP followed, within 30 minutes, by a successful login from that IP.
                  The likely outcome of a spray that found a password.
                severity: critical
                status: experimental
                mitre: {tactic: TA0006 Credential Access, technique: T1110 Brute Force}
                logsource: {services: [auth]}
                condition:
                  all:
                    - {field: action, equals: login}
                    - any:
                        - {field: outcome, in: [failure, success]}
                        - {field: status_code, gte: 400}
                group_by: [src_ip]
                window: 30 minutes
                threshold:
                  more_than: 10
                  where: {field: outcome, equals: failure}
                followed_by:
                  where: {field: outcome, equals: success}
                  label: a successful login
                suppression:
                  allowlist:
                    user: [svc-backup]
                  cooldown: 1 hour
                next_steps:
                  - Revoke its sessions
                  - 'Reset the password: out of band'
                """);
    }

    @Test
    void textIsQuotedOnlyWhenYamlWouldReadItAsSomethingElse() {
        assertThat(RuleWriter.scalar("failed logins")).isEqualTo("failed logins");
        assertThat(RuleWriter.scalar("TA0006 Credential Access")).isEqualTo("TA0006 Credential Access");
        assertThat(RuleWriter.scalar("yes")).isEqualTo("'yes'");
        assertThat(RuleWriter.scalar("10.0.0.1")).isEqualTo("'10.0.0.1'");
        assertThat(RuleWriter.scalar("it's: odd # really")).isEqualTo("'it''s: odd # really'");
        assertThat(RuleWriter.scalar("two\nlines")).isEqualTo("\"two\\nlines\"");
    }
}
