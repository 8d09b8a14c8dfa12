package io.nightshift.jobs.detect.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;

/** One change seen in several places is one finding: production-wide merging and datacenter de-duplication. */
class ScopeMergerTest {
    static SparkSession spark;
    static final StructType RUNS = StructType.fromDDL("service STRING, region STRING, datacenter STRING, check STRING, "
            + "first_seen TIMESTAMP, last_seen TIMESTAMP, hours BIGINT, value DOUBLE, expected DOUBLE, spread DOUBLE, "
            + "z DOUBLE, events DOUBLE, errors DOUBLE, value_total DOUBLE, expected_total DOUBLE");

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    private static Row run(String service, String region, String dc, int fromHour, int toHour, double value) {
        return RowFactory.create(service, region, dc, "error_rate_surge",
                Timestamp.valueOf(String.format("2026-11-20 %02d:00:00", fromHour)),
                Timestamp.valueOf(String.format("2026-11-20 %02d:00:00", toHour)), (long) (toHour - fromHour),
                value, 0.004, 0.002, value * 100, 1000.0, value * 1000, value, 0.004);
    }

    private static Dataset<Row> frame(List<Row> rows, boolean withDatacenter) {
        Dataset<Row> df = spark.createDataFrame(rows, RUNS);
        return withDatacenter ? df : df.drop("datacenter");
    }

    @Test
    void theSameServiceDegradingInTwoRegionsAtOnceIsOneProductionWideFinding() {
        Dataset<Row> regionRuns = frame(List.of(
                run("checkout", "eu-west", null, 2, 4, 0.23),
                run("checkout", "us-east", null, 3, 5, 0.31),
                run("search", "eu-west", null, 2, 3, 0.12)), false);
        ScopeMerger merger = new ScopeMerger(regionRuns);

        List<Row> wide = TrendFindings.service(merger.productionWide(), "production_wide").collectAsList();
        assertThat(wide).singleElement().satisfies(r -> {
            assertThat(r.<String>getAs("service")).isEqualTo("checkout");
            assertThat(r.<String>getAs("region")).isNull();
            assertThat(r.<String>getAs("description")).startsWith(
                    "error rate on checkout in regions eu-west, us-east rose to 31.0% between 02:00 and 05:00;"
                            + " expected 0.4% ± 0.2%");
        });
        assertThat(merger.regionalOnly().collectAsList()).extracting(r -> r.<String>getAs("service"))
                .containsExactly("search");

        Dataset<Row> dcRuns = frame(List.of(
                run("search", "eu-west", "eu-west-1", 2, 3, 0.12),
                run("checkout", "us-east", "us-east-1", 3, 5, 0.31),
                run("catalog", "eu-west", "eu-west-2", 7, 8, 0.2)), true);
        assertThat(merger.notExplainedByRegion(dcRuns).collectAsList()).extracting(r -> r.<String>getAs("service"))
                .as("datacenter findings inside a regional or production-wide finding add nothing")
                .containsExactly("catalog");
    }
}
