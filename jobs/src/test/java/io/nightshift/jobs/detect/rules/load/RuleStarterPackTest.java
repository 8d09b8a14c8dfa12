package io.nightshift.jobs.detect.rules.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.config.RulesConfig;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleCatalog;
import io.nightshift.jobs.detect.rules.RuleExecutor;
import io.nightshift.jobs.detect.rules.RuleFormat;
import io.nightshift.jobs.detect.rules.StarterPackFixtures;

/** Every rule of the shipped starter pack fires on its fixture and stays quiet on its near miss. */
public class RuleStarterPackTest {
    static SparkSession spark;
    static final Map<String, StarterPackFixtures.Fixture> FIXTURES = StarterPackFixtures.all();
    static final RuleExecutor EXECUTOR = new RuleExecutor(50);

    public static Path packDir() {
        return Path.of(System.getProperty("nightshift.repo.root", "..")).resolve("rules");
    }

    public static RuleCatalog pack() {
        return RuleLoader.fromConfig(RulesConfig.defaults(packDir().getParent())).load(packDir());
    }

    static Stream<Rule> rules() {
        return pack().rules().stream();
    }

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    @Test
    void packIsValidLargeEnoughAndEveryRuleHasFixturesAndNextSteps() {
        RuleCatalog catalog = pack();
        assertThat(catalog.errors()).isEmpty();
        assertThat(catalog.skipped()).isEmpty();
        assertThat(catalog.rules().stream().filter(r -> r.format() == RuleFormat.NIGHTSHIFT)).hasSizeGreaterThanOrEqualTo(12);
        assertThat(catalog.rules().stream().filter(r -> r.format() == RuleFormat.SIGMA)).hasSizeBetween(2, 3);
        assertThat(FIXTURES.keySet()).containsExactlyInAnyOrderElementsOf(
                catalog.rules().stream().map(Rule::id).toList());
        for (Rule r : catalog.rules()) {
            assertThat(r.nextSteps()).as(r.id()).isNotEmpty();
            assertThat(r.mitre().tactic()).as(r.id()).isNotNull();
            assertThat(r.description()).as(r.id()).isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void firesOnItsFixture(Rule rule) {
        List<Row> hits = EXECUTOR.findings(rule, FIXTURES.get(rule.id()).fires().frame(spark)).collectAsList();
        assertThat(hits).as(rule.id()).isNotEmpty();
        for (Row f : hits) {
            assertThat(f.<String>getAs("detector_id")).isEqualTo(rule.id());
            assertThat(f.<Boolean>getAs("suppressed")).as(rule.id()).isFalse();
            assertThat(f.getList(f.fieldIndex("evidence_row_ids"))).as(rule.id()).isNotEmpty();
            assertThat(f.<String>getAs("description")).as(rule.id()).isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void staysQuietOnItsNearMiss(Rule rule) {
        List<Row> hits = EXECUTOR.findings(rule, FIXTURES.get(rule.id()).quiet().frame(spark)).collectAsList();
        assertThat(hits).as(rule.id() + ": " + hits).isEmpty();
    }
}
