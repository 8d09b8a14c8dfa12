package io.nightshift.jobs.lake;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.TestLogs;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.config.NightshiftConfig.LakeConfig;
import io.nightshift.jobs.lake.LakeProfile.ColumnProfile;
import io.nightshift.jobs.schema.CanonicalSchema;

class LakeProfileTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    private static Dataset<Row> checked(Path root, String date, Map<String, String> mapping) {
        return new LakeReader(spark, new LakeConfig(Location.local(root), "date", mapping, null, null, false))
                .read(LocalDate.parse(date)).checked();
    }

    private static ColumnProfile column(LakeProfile p, String name) {
        return p.columns().stream().filter(c -> c.column().equals(name)).findFirst().orElseThrow();
    }

    private static Dataset<Row> noHistory() {
        return spark.createDataFrame(java.util.List.of(),
                org.apache.spark.sql.types.StructType.fromDDL("column_name STRING, non_null BIGINT, date DATE"));
    }

    @Test
    void aColumnWithValuesYesterdayAndNoneTodayIsFlaggedOthersAreNot(@TempDir Path root) {
        new TestLogs()
                .add("1", "2026-11-19T01:00:00Z", "auth", "h1", "a", "INFO", "eu", "eu-1", "t1", "alice", "login", "success", null)
                .add("2", "2026-11-19T02:00:00Z", "auth", "h1", "b", "INFO", "eu", "eu-1", "t1", null, "login", "success", null)
                .writePartition(spark, root, "2026-11-19");
        new TestLogs()
                .add("3", "2026-11-20T01:00:00Z", "auth", "h1", "c", "INFO", "eu", "eu-1", "t1", null, "login", "success", null)
                .add("4", "2026-11-20T02:00:00Z", "auth", null, "d", "INFO", "eu", "eu-1", "t1", null, "login", "success", null)
                .writePartition(spark, root, "2026-11-20");

        LakeProfile yesterday = LakeProfile.of(checked(root, "2026-11-19", Map.of()), noHistory(), Map.of());
        assertThat(column(yesterday, "user").nonNull()).isEqualTo(1);
        assertThat(column(yesterday, "user").status()).isEqualTo(LakeProfile.OK);
        assertThat(column(yesterday, "dst_ip").status()).as("never filled, no history").isEqualTo(LakeProfile.EMPTY);
        Dataset<Row> history = yesterday.toRows(spark).withColumn("date", lit("2026-11-19").cast("date"));

        LakeProfile today = LakeProfile.of(checked(root, "2026-11-20", Map.of()), history, Map.of());
        assertThat(today.becameNull()).extracting(ColumnProfile::column).containsExactly("user");
        ColumnProfile user = column(today, "user");
        assertThat(user.rows()).isEqualTo(2);
        assertThat(user.nonNull()).isZero();
        assertThat(user.lastSeen()).isEqualTo(LocalDate.parse("2026-11-19"));
        assertThat(user.describe(LocalDate.parse("2026-11-20")))
                .isEqualTo("column 'user' is null in all 2 rows of 2026-11-20; it had values on 2026-11-19");
        // Half empty is not "became null"; a column empty on both days stays "empty".
        assertThat(column(today, "host").status()).isEqualTo(LakeProfile.OK);
        assertThat(column(today, "host").nonNull()).isEqualTo(1);
        assertThat(column(today, "dst_ip").status()).isEqualTo(LakeProfile.EMPTY);
        // The rows are in the table's shape, one per canonical column.
        assertThat(today.toRows(spark).count()).isEqualTo(CanonicalSchema.COLUMNS.size());
    }

    @Test
    void theLakeColumnNameIsReportedForMappedColumnsAndAnEmptyDayHasNoRows(@TempDir Path root) {
        new TestLogs().add("1", "2026-11-19T01:00:00Z", "auth", "h1", "a", "INFO", "eu", "eu-1", "t1", "alice",
                "login", "success", null).writePartition(spark, root, "2026-11-19");
        LakeProfile mapped = LakeProfile.of(checked(root, "2026-11-19", Map.of("user", "user")), noHistory(),
                Map.of("tenant_id", "customer"));
        assertThat(column(mapped, "tenant_id").lakeColumn()).isEqualTo("customer");

        LakeProfile empty = LakeProfile.of(checked(root, "2026-11-19", Map.of()).where(lit(false)), noHistory(),
                Map.of());
        assertThat(empty.columns()).allSatisfy(c -> assertThat(c.status()).isEqualTo(LakeProfile.NO_ROWS));
        assertThat(empty.becameNull()).isEmpty();
    }
}
