package io.nightshift.jobs.detect.rules.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.detect.rules.Correlation;
import io.nightshift.jobs.detect.rules.RuleCatalog;
import io.nightshift.jobs.detect.rules.RuleValidationError;
import io.nightshift.jobs.detect.rules.load.RuleLoader;

/**
 * Sigma correlation rules and filters as the loader reads them: a multi-document file as SigmaHQ writes one, rules
 * referred to across files, and bad ones named by file, line, rule and key.
 */
class SigmaCorrelationLoaderTest {
    static final String BASE = """
            title: Failed login
            id: 53ba33fd-3a50-4468-a5ef-c583635cfa92
            name: failed_login
            logsource: {product: windows, service: security}
            detection:
              selection: {EventID: [529, 4625]}
              condition: selection
            """;

    static RuleCatalog load(Path dir, String file, String yaml) throws IOException {
        Files.writeString(dir.resolve(file), yaml);
        return new RuleLoader(SigmaFieldMapping.defaultMapping(), Map.of()).load(dir);
    }

    static String correlation(String section) {
        return """
                title: Many failed logins
                id: many-failed
                level: high
                tags: [attack.credential-access, attack.t1110]
                correlation:
                %s""".formatted(section.indent(2));
    }

    /** A file {@code name} holding a correlation with id {@code id} and the given section. */
    static void write(Path dir, String name, String id, String section) throws IOException {
        Files.writeString(dir.resolve(name), correlation(section).replace("many-failed", id));
    }

    @Test
    void aMultiDocumentFileLoadsTheRulesAndTheirCorrelation(@TempDir Path dir) throws IOException {
        RuleCatalog c = load(dir, "mr_brute_force.yml", correlation("""
                type: event_count
                rules: [failed_login]
                group-by: [TargetUserName, IpAddress]
                timespan: 10m
                condition: {gte: 10}""") + "---\n" + BASE);

        assertThat(c.errors()).isEmpty();
        assertThat(c.skipped()).isEmpty();
        assertThat(c.rules()).extracting(r -> r.id()).containsExactly("53ba33fd-3a50-4468-a5ef-c583635cfa92");
        Correlation k = c.correlations().get(0);
        assertThat(k.id()).isEqualTo("many-failed");
        assertThat(k.line()).isEqualTo(1);
        assertThat(k.type()).isEqualTo(Correlation.Type.EVENT_COUNT);
        assertThat(k.ruleIds()).containsExactly("53ba33fd-3a50-4468-a5ef-c583635cfa92");
        assertThat(k.groupBy()).extracting(g -> g.name() + "=" + g.perRule().get(0) + "/" + g.entityColumn())
                .containsExactly("TargetUserName=user/user", "IpAddress=src_ip/src_ip");
        assertThat(k.timespan()).isEqualTo(Duration.ofMinutes(10));
        assertThat(k.conditionWords()).isEqualTo("gte 10");
        assertThat(k.severity()).isEqualTo(Severity.HIGH);
        assertThat(k.mitre().tactic()).isEqualTo("TA0006 Credential Access");
        assertThat(k.generate()).isFalse();
        assertThat(c.correlationOnly()).containsExactly("53ba33fd-3a50-4468-a5ef-c583635cfa92");
    }

    @Test
    void aCorrelationRefersToRulesOfOtherFilesAndRangesAreBothBounds(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("base.yml"), BASE);
        RuleCatalog c = load(dir, "corr.yml", correlation("""
                type: value_count
                rules: 53ba33fd-3a50-4468-a5ef-c583635cfa92
                group-by: IpAddress
                timespan: 1d
                generate: true
                condition: {gt: 100, lte: 200, field: TargetUserName}"""));

        assertThat(c.errors()).isEmpty();
        Correlation k = c.correlations().get(0);
        assertThat(k.conditionWords()).isEqualTo("gt 100 and lte 200");
        assertThat(k.valueFields()).extracting(Object::toString).containsExactly("user");
        assertThat(k.timespan()).isEqualTo(Duration.ofDays(1));
        assertThat(c.correlationOnly()).isEmpty();
    }

    @Test
    void badCorrelationsAreErrorsNamingTheFileLineAndKey(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("base.yml"), BASE);
        write(dir, "a.yml", "many-failed", """
                type: event_count
                rules: [no_such_rule]
                group-by: [User]
                timespan: 5m
                condition: {gte: 3}""");
        write(dir, "b.yml", "no-timespan", """
                type: event_count
                rules: [failed_login]
                group-by: [User]
                condition: {gte: 3}""");
        write(dir, "c.yml", "bad-number", """
                type: event_count
                rules: [failed_login]
                timespan: 5m
                condition: {gte: many}""");
        write(dir, "d.yml", "bad-op", """
                type: event_count
                rules: [failed_login]
                timespan: 5m
                condition: {between: 3}""");
        write(dir, "e.yml", "bad-timespan", """
                type: value_count
                rules: [failed_login]
                timespan: 5 minutes
                condition: {gte: 3, field: User}""");
        write(dir, "f.yml", "no-field", """
                type: value_count
                rules: [failed_login]
                timespan: 5m
                condition: {gte: 3}""");
        write(dir, "g.yml", "bad-type", """
                type: event_sum
                rules: [failed_login]
                timespan: 5m""");
        write(dir, "h.yml", "bad-alias", """
                type: temporal
                rules: [failed_login, failed_login]
                group-by: [User]
                timespan: 5m
                aliases:
                  who: {successful_login: User}""");

        RuleCatalog c = new RuleLoader(SigmaFieldMapping.defaultMapping(), Map.of()).load(dir);

        assertThat(c.correlations()).isEmpty();
        assertThat(c.errors()).extracting(RuleValidationError::toString).containsExactlyInAnyOrder(
                dir.resolve("a.yml") + ":7: rule many-failed: 'correlation.rules' names 'no_such_rule', but no Sigma"
                        + " rule under the folder has that id or name",
                dir.resolve("b.yml") + ":5: rule no-timespan: 'correlation.timespan' is missing (e.g. 5m, 1h or 1d)",
                dir.resolve("c.yml") + ":9: rule bad-number: 'correlation.condition.gte' must be a number of events"
                        + " or values, got 'many'",
                dir.resolve("d.yml") + ":9: rule bad-op: unknown key 'correlation.condition.between' (known: gt, gte,"
                        + " lt, lte, eq, neq, field)",
                dir.resolve("e.yml") + ":8: rule bad-timespan: 'correlation.timespan' '5 minutes' is not a timespan;"
                        + " write a positive number and a unit: s, m, h or d (e.g. 5m, 1h, 1d)",
                dir.resolve("f.yml") + ":9: rule no-field: 'correlation.condition.field' is missing: a value_count"
                        + " correlation counts the distinct values of a field",
                dir.resolve("g.yml") + ":6: rule bad-type: 'correlation.type' 'event_sum' is not one of event_count,"
                        + " value_count, temporal, temporal_ordered",
                dir.resolve("h.yml") + ":10: rule bad-alias: 'correlation.aliases.who' names rule 'successful_login',"
                        + " which is not one of correlation.rules [failed_login, failed_login]");
    }

    @Test
    void chainedCorrelationsLongTimespansAndExpressionsAreSkippedByName(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("base.yml"), BASE);
        Files.writeString(dir.resolve("inner.yml"), correlation("""
                type: event_count
                rules: [failed_login]
                timespan: 5m
                condition: {gte: 3}""") + "name: many_failed\n");
        write(dir, "outer.yml", "outer", """
                type: temporal_ordered
                rules: [many_failed, failed_login]
                timespan: 1h""");
        write(dir, "week.yml", "week", """
                type: event_count
                rules: [failed_login]
                timespan: 1w
                condition: {gte: 3}""");
        write(dir, "expr.yml", "expr", """
                type: temporal
                rules: [failed_login, failed_login]
                timespan: 1h
                condition: failed_login and not failed_login""");

        RuleCatalog c = new RuleLoader(SigmaFieldMapping.defaultMapping(), Map.of()).load(dir);

        assertThat(c.errors()).isEmpty();
        assertThat(c.correlations()).extracting(Correlation::id).containsExactly("many-failed");
        assertThat(c.skipped()).extracting(RuleValidationError::toString).containsExactlyInAnyOrder(
                dir.resolve("outer.yml") + ":7: rule outer: Sigma correlation rule skipped: 'correlation.rules' names"
                        + " 'many_failed', another correlation rule: chained correlations are not supported yet",
                dir.resolve("week.yml") + ":8: rule week: Sigma correlation rule skipped: 'correlation.timespan' '1w'"
                        + " is longer than the one day a night reads (at most 1d)",
                dir.resolve("expr.yml") + ":9: rule expr: Sigma correlation rule skipped: a correlation condition"
                        + " written as an expression ('failed_login and not failed_login', a pySigma extension) is"
                        + " not supported; give a map such as {gte: 2}");
    }

    @Test
    void aFilterNamingNoRuleOrARuleOfAnotherLogSourceIsAnError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("base.yml"), BASE);
        Files.writeString(dir.resolve("f1.yml"), """
                title: Not the domain controllers
                logsource: {product: windows}
                filter:
                  rules: [6f3e2987-db24-4c78-a860-b4f4095a7095]
                  selection:
                    ComputerName|startswith: 'DC-'
                  condition: not selection
                """);
        Files.writeString(dir.resolve("f2.yml"), """
                title: Linux only
                id: linux-only
                logsource: {product: linux}
                filter:
                  rules: [failed_login]
                  selection: {User: root}
                  condition: not selection
                """);
        Files.writeString(dir.resolve("f3.yml"), """
                title: No condition
                id: no-condition
                logsource: {product: windows}
                filter:
                  rules: [failed_login]
                  selection: {User: root}
                """);

        RuleCatalog c = new RuleLoader(SigmaFieldMapping.defaultMapping(), Map.of()).load(dir);

        assertThat(c.errors()).extracting(RuleValidationError::toString).containsExactly(
                dir.resolve("f3.yml") + ":4: rule no-condition: 'filter.condition' must be one condition, e.g. 'not"
                        + " selection'",
                dir.resolve("f1.yml") + ":4: rule sigma-not-the-domain-controllers: 'filter.rules' names"
                        + " '6f3e2987-db24-4c78-a860-b4f4095a7095', but no Sigma rule under the folder has that id"
                        + " or name",
                dir.resolve("f2.yml") + ":5: rule linux-only: 'filter.rules' names"
                        + " '53ba33fd-3a50-4468-a5ef-c583635cfa92', whose logsource {product=windows,"
                        + " service=security} the filter's logsource {product=linux} does not cover");
    }
}
