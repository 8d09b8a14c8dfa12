package io.nightshift.jobs.detect.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;

class DependentSlowdownsTest {
    static SparkSession spark;
    static final StructType FINDINGS = StructType.fromDDL("detector_id STRING, title STRING, description STRING, "
            + "first_seen TIMESTAMP, last_seen TIMESTAMP, service STRING, region STRING, datacenter STRING, "
            + "observed DOUBLE, expected DOUBLE, expected_spread DOUBLE, z DOUBLE, metadata MAP<STRING, STRING>");

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    private static Row finding(String detector, String service, String region, int from, int to, double z) {
        return RowFactory.create(detector, "t", "d", Timestamp.valueOf("2026-11-16 " + from + ":00:00"),
                Timestamp.valueOf("2026-11-16 " + to + ":00:00"), service, region, null, 400.0, 100.0, 10.0, z,
                scala.jdk.javaapi.CollectionConverters.asScala(Map.of("check", detector)));
    }

    @Test
    void servicesSlowingInTheSameHoursOfARegionBecomeOneFindingNamingTheFirst() {
        List<Row> rows = List.of(
                finding("latency_p95:service_region", "checkout", "us-east", 16, 18, 9),
                finding("latency_p95:service_region", "storage", "us-east", 15, 18, 30),
                finding("latency_p95:service_region", "reports", "us-east", 16, 17, 7),
                finding("latency_p95:service_region", "search", "eu-west", 16, 17, 8),
                finding("volume_spike:service_region", "checkout", "us-east", 16, 17, 12));

        List<Row> out = DependentSlowdowns.group(spark.createDataFrame(rows, FINDINGS)).orderBy("detector_id")
                .collectAsList();

        assertThat(out).extracting(r -> r.<String>getAs("detector_id") + ":" + r.<String>getAs("service"))
                .containsExactly("dependent_slowdown:storage", "latency_p95:service_region:search",
                        "volume_spike:service_region:checkout");
        Row merged = out.get(0);
        assertThat(merged.<Timestamp>getAs("first_seen")).isEqualTo(Timestamp.valueOf("2026-11-16 15:00:00"));
        assertThat(merged.<Timestamp>getAs("last_seen")).isEqualTo(Timestamp.valueOf("2026-11-16 18:00:00"));
        assertThat(merged.<Double>getAs("z")).isEqualTo(30.0);
        assertThat(merged.<scala.collection.Map<String, String>>getAs("metadata").get("affected_services").get())
                .isEqualTo("checkout,reports");
        assertThat(merged.<String>getAs("description")).startsWith("p95 latency rose in 3 services between 15:00 "
                + "and 18:00: storage in us-east from 15:00").contains("storage slowed first and is the likely origin; "
                + "checkout, reports slowed after it");
    }

    @Test
    void oneSlowServiceStaysAsItIs() {
        List<Row> rows = List.of(finding("latency_p95:service_region", "checkout", "us-west", 19, 23, 9),
                finding("latency_p95:service_region", "checkout", "us-east", 19, 22, 8));
        assertThat(DependentSlowdowns.group(spark.createDataFrame(rows, FINDINGS)).count()).isEqualTo(2);
    }
}
