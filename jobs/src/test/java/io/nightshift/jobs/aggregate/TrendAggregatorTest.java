package io.nightshift.jobs.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.TestLogs;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.config.NightshiftConfig.LakeConfig;
import io.nightshift.jobs.lake.LakeReader;

class TrendAggregatorTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    private static Dataset<Row> logs(Path root) {
        new TestLogs()
                .add("1", "2026-11-20T01:05:00Z", "auth", "h1", "a", "INFO", "eu", "eu-1", "t1", "u1", "login", "failure", 10L)
                .add("2", "2026-11-20T01:10:00Z", "auth", "h2", "b", "INFO", "eu", "eu-1", "t1", "u2", "login", "failure", 20L)
                .add("3", "2026-11-20T01:20:00Z", "auth", "h2", "c", "ERROR", "eu", "eu-1", "t2", "u2", "login", "success", null)
                .add("4", "2026-11-20T02:00:00Z", "auth", "h1", "d", "INFO", "eu", "eu-1", "t1", "u1", "http_request", "success", 5L)
                .add("5", "2026-11-20T02:30:00Z", "auth", "h3", "e", "FATAL", "eu", "eu-1", "t3", "u3", null, null, 1L)
                .writePartition(spark, root, "2026-11-20");
        return new LakeReader(spark, new LakeConfig(Location.local(root), "date", Map.of(), null, null, false))
                .read(LocalDate.parse("2026-11-20")).rows();
    }

    @Test
    void hourlyCountsEventsErrorsAuthFailuresBytesAndDistincts(@TempDir Path root) {
        List<Row> hourly = TrendAggregator.hourly(logs(root)).orderBy("hour", "level").collectAsList();
        assertThat(hourly).hasSize(4);
        Row oneInfo = hourly.get(1);
        assertThat(oneInfo.<String>getAs("level")).isEqualTo("INFO");
        assertThat(oneInfo.<Long>getAs("event_count")).isEqualTo(2L);
        assertThat(oneInfo.<Long>getAs("auth_failures")).isEqualTo(2L);
        assertThat(oneInfo.<Long>getAs("bytes_out")).isEqualTo(30L);
        assertThat(oneInfo.<Long>getAs("distinct_hosts")).isEqualTo(2L);
        assertThat(oneInfo.<Long>getAs("distinct_users")).isEqualTo(2L);
        assertThat(oneInfo.<Long>getAs("distinct_tenants")).isEqualTo(1L);
        Row oneError = hourly.get(0);
        assertThat(oneError.<String>getAs("level")).isEqualTo("ERROR");
        assertThat(oneError.<Long>getAs("error_count")).isEqualTo(1L);
        assertThat(oneError.<Long>getAs("bytes_out")).isZero();
        assertThat(hourly.get(2).<Long>getAs("error_count")).isEqualTo(1L); // FATAL counts as an error
    }

    @Test
    void dailyRollsUpFromHourlySketchesWithoutTheLogs(@TempDir Path root) {
        Dataset<Row> hourly = TrendAggregator.hourly(logs(root));
        Row info = TrendAggregator.daily(hourly).where("level = 'INFO'").collectAsList().get(0);
        assertThat(info.<Long>getAs("event_count")).isEqualTo(3L);
        assertThat(info.<Long>getAs("active_hours")).isEqualTo(2L);
        // h1 appears in both hours: a sum of hourly distincts would say 3, the sketch union says 2.
        assertThat(info.<Long>getAs("distinct_hosts")).isEqualTo(2L);
        assertThat(info.<Long>getAs("distinct_users")).isEqualTo(2L);
    }

    @Test
    void hostAndEntitySeries(@TempDir Path root) {
        Dataset<Row> rows = logs(root);
        assertThat(TrendAggregator.hostHourly(rows).where("host = 'h2'").collectAsList())
                .singleElement().satisfies(r -> assertThat(r.<Long>getAs("event_count")).isEqualTo(2L));
        Row t1 = TrendAggregator.entityHourly(rows)
                .where("entity_type = 'tenant' AND entity = 't1' AND hour = TIMESTAMP '2026-11-20 01:00:00'")
                .collectAsList().get(0);
        assertThat(t1.<Long>getAs("auth_failures")).isEqualTo(2L);
        Row u1 = TrendAggregator.entityHourly(rows)
                .where("entity_type = 'user' AND entity = 'u1'").groupBy().sum("bytes_out").collectAsList().get(0);
        assertThat(u1.getLong(0)).isEqualTo(15L);
    }

    @Test
    void aUserSeenUnderSeveralTenantsGetsTheGreatestTenantAndItsDistinctSourcesAcrossThem() {
        Dataset<Row> rows = spark.createDataFrame(List.of(
                        RowFactory.create("t1", "admin", "10.0.0.1"), RowFactory.create("t2", "admin", "10.0.0.1"),
                        RowFactory.create("t2", "admin", "10.0.0.2"), RowFactory.create(null, "svc", "10.0.0.3"),
                        RowFactory.create("t2", "ops", "10.0.0.1"), RowFactory.create("t2", "ops", null)),
                        new StructType().add("tenant_id", "string").add("user", "string").add("src_ip", "string"))
                .selectExpr("TIMESTAMP '2026-11-20 01:30:00' AS timestamp", "'eu' AS region", "'auth' AS service",
                        "'INFO' AS level", "tenant_id", "user", "src_ip", "'login' AS action", "'failure' AS outcome",
                        "CAST(10 AS BIGINT) AS bytes_out", "CAST(200 AS INT) AS status_code");

        Dataset<Row> users = TrendAggregator.entityHourly(rows).where("entity_type = 'user'");

        assertThat(users.columns()).containsExactly("hour", "entity_type", "entity", "tenant_id", "event_count",
                "error_count", "auth_failures", "bytes_out", "distinct_src_ips");
        Row admin = users.where("entity = 'admin'").collectAsList().get(0);
        assertThat(admin.<String>getAs("tenant_id")).isEqualTo("t2");
        assertThat(admin.<Long>getAs("event_count")).isEqualTo(3L);
        assertThat(admin.<Long>getAs("auth_failures")).isEqualTo(3L);
        assertThat(admin.<Long>getAs("bytes_out")).isEqualTo(30L);
        assertThat(admin.<Long>getAs("distinct_src_ips")).isEqualTo(2L);
        Row svc = users.where("entity = 'svc'").collectAsList().get(0);
        assertThat(svc.<String>getAs("tenant_id")).isNull();
        assertThat(svc.<Long>getAs("event_count")).isEqualTo(1L);
        // A tenant counts an address its users share once, and a row without one not at all.
        Row t2 = TrendAggregator.entityHourly(rows).where("entity_type = 'tenant' AND entity = 't2'")
                .collectAsList().get(0);
        assertThat(t2.<String>getAs("tenant_id")).isEqualTo("t2");
        assertThat(t2.<Long>getAs("event_count")).isEqualTo(4L);
        assertThat(t2.<Long>getAs("distinct_src_ips")).isEqualTo(2L);
        assertThat(t2.<Long>getAs("bytes_out")).isEqualTo(40L);
    }

    @Test
    void theSameRowsInAnyPartitioningGiveByteIdenticalHourlyAndDailyRows() {
        // 3,000 users in one hour: the users sketch leaves the exact modes, where arrival order shows in the bytes.
        Dataset<Row> rows = spark.range(6000).selectExpr(
                "timestamp_seconds(1763600000 + id % 7200) AS timestamp", "'eu' AS region", "'eu-1' AS datacenter",
                "'auth' AS service", "'INFO' AS level", "concat('h', id % 40) AS host", "concat('f', id % 4) AS farm",
                "concat('t', id % 25) AS tenant_id", "concat('u', id % 3000) AS user",
                "concat('10.0.', id % 250, '.', id % 7) AS src_ip", "'login' AS action", "'success' AS outcome",
                "id AS bytes_out",
                "CAST(CASE WHEN id % 17 = 0 THEN 503 WHEN id % 11 = 0 THEN 404 ELSE 200 END AS INT) AS status_code",
                "exp((id % 97) / 10.0) AS duration_ms");
        Dataset<Row> oneWay = rows.repartition(1);
        Dataset<Row> otherWay = rows.repartition(5).sortWithinPartitions(org.apache.spark.sql.functions.rand(3));

        assertThat(json(TrendAggregator.hourly(otherWay))).isEqualTo(json(TrendAggregator.hourly(oneWay)));
        assertThat(json(TrendAggregator.daily(TrendAggregator.hourly(otherWay).repartition(3))))
                .isEqualTo(json(TrendAggregator.daily(TrendAggregator.hourly(oneWay))));
    }

    private static List<String> json(Dataset<Row> rows) {
        return rows.toJSON().collectAsList().stream().sorted().toList();
    }
}
