package io.nightshift.jobs.rules;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.findings.Findings;

/** The catalog's text tests evaluated together select the same rows, and give the same findings, as one by one. */
class SharedTextTestsTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    /** Every fixture of the starter pack, firing and quiet, as one day. */
    private static Dataset<Row> allFixtures() {
        LogRows all = null;
        for (StarterPackFixtures.Fixture f : StarterPackFixtures.all().values()) {
            all = all == null ? f.fires() : all.addAll(f.fires());
            all = all.addAll(f.quiet());
        }
        return all.frame(spark);
    }

    private static List<String> ids(Dataset<Row> rows) {
        return rows.select(col("row_id")).orderBy("row_id").collectAsList().stream()
                .map(r -> r.<String>getAs("row_id")).toList();
    }

    @Test
    void everyRuleSelectsTheSameRowsEitherWay() {
        Dataset<Row> logs = allFixtures().cache();
        RuleCatalog catalog = RuleStarterPackTest.pack();
        SharedTextTests shared = new SharedTextTests();
        List<Column> filters = catalog.rules().stream().map(r -> RuleExecutor.filter(r, shared)).toList();
        Dataset<Row> withTests = logs.withColumns(shared.columns());
        assertThat(shared.isEmpty()).as("the pack has text tests").isFalse();
        for (int i = 0; i < filters.size(); i++) {
            Rule rule = catalog.rules().get(i);
            List<String> alone = ids(logs.where(RuleExecutor.filter(rule, null)));
            assertThat(ids(withTests.where(filters.get(i)))).as(rule.id()).isEqualTo(alone);
        }
        logs.unpersist();
    }

    @Test
    void theStageFindsWhatEachRuleFindsAlone() {
        Dataset<Row> logs = allFixtures();
        RuleCatalog catalog = RuleStarterPackTest.pack();
        RuleExecutor executor = new RuleExecutor(50);
        List<Dataset<Row>> alone = new ArrayList<>();
        catalog.rules().forEach(r -> alone.add(executor.findings(r, logs)));
        Dataset<Row> expected = Findings.withIds(alone.stream().reduce(Dataset::unionByName).orElseThrow());
        Dataset<Row> staged = new RuleStage(catalog, 50).findings(logs);
        assertThat(json(staged)).isNotEmpty().isEqualTo(json(expected));
    }

    private static List<String> json(Dataset<Row> rows) {
        return rows.toJSON().collectAsList().stream().sorted().toList();
    }

    @Test
    void moreThanSixtyFourTestsOnAFieldSpanSeveralColumnsAndANullTextIsNull() {
        Dataset<Row> logs = spark.createDataFrame(List.of(RowFactory.create("a", "w3 and W65"),
                RowFactory.create("b", "nothing"), RowFactory.create("c", null)),
                StructType.fromDDL("row_id STRING, message STRING"));
        SharedTextTests shared = new SharedTextTests();
        List<Column> tests = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            tests.add(shared.test(FieldRef.column("message"), TextMatch.regexTest("\\bw" + i + "\\b", true)));
        }
        Dataset<Row> withTests = logs.withColumns(shared.columns());
        assertThat(shared.columns()).hasSize(2);
        for (int i = 0; i < 70; i++) {
            List<String> expected = i == 3 || i == 65 ? List.of("a") : List.of();
            assertThat(ids(withTests.where(tests.get(i)))).as("w" + i).isEqualTo(expected);
        }
        assertThat(withTests.where(tests.get(3).isNull()).select("row_id").first().<String>getAs(0)).isEqualTo("c");
    }
}
