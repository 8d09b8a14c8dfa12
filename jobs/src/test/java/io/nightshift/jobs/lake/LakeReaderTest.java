package io.nightshift.jobs.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.TestLogs;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.NightshiftConfig.LakeConfig;
import io.nightshift.jobs.schema.CanonicalSchema;

class LakeReaderTest {
    static SparkSession spark;
    static final LocalDate DAY = LocalDate.parse("2026-11-20");

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    private static LakeConfig lake(Path root, String dedupKey, Map<String, String> columns) {
        return new LakeConfig(Location.local(root), "date", columns, null, dedupKey, false);
    }

    @Test
    void mapsToCanonicalAndQuarantinesUnusableRowsWithReasons(@TempDir Path root) {
        new TestLogs()
                .add("e1", "2026-11-20T01:00:00Z", "checkout", "h1", "GET /cart 200", "info")
                .add("e2", "2026-11-20T01:30:00Z", "checkout", "h1", "db timeout", "Warning")
                .add("e3", null, "checkout", "h1", "no time", "INFO")
                .add("e4", "yesterday-ish", "checkout", "h1", "bad time", "INFO")
                .add("e5", "2026-11-20T02:00:00Z", "checkout", null, "no host", "INFO")
                .add("e6", "2026-11-20T02:00:00Z", "checkout", "h2", "  ", "INFO")
                .add("e7", "2026-11-19T23:59:00Z", "checkout", "h2", "late row", "INFO")
                .writePartition(spark, root, "2026-11-20");
        // Another day's partition must not be read at all.
        new TestLogs().add("x1", "2026-11-21T01:00:00Z", "checkout", "h1", "other day", "INFO")
                .writePartition(spark, root, "2026-11-21");

        LakeInput input = new LakeReader(spark, lake(root, null, Map.of())).read(DAY);

        List<Row> rows = input.rows().orderBy("timestamp").collectAsList();
        assertThat(rows).extracting(r -> r.getAs("message")).containsExactly("GET /cart 200", "db timeout");
        assertThat(rows).extracting(r -> r.getAs("level")).containsExactly("INFO", "WARN");
        assertThat(input.rows().columns()).containsExactly(CanonicalSchema.struct().fieldNames());
        assertThat(input.files()).hasSize(1).allMatch(f -> f.contains("date=2026-11-20"));

        Map<String, String> reasons = input.quarantine().collectAsList().stream().collect(Collectors.toMap(
                r -> r.<String>getAs("raw_json").replaceAll(".*\"event_id\":\"(e\\d)\".*", "$1"),
                r -> r.<String>getAs("reason")));
        assertThat(reasons).containsOnlyKeys("e3", "e4", "e5", "e6", "e7");
        assertThat(reasons.get("e3")).isEqualTo("missing timestamp");
        assertThat(reasons.get("e4")).isEqualTo("unparsable timestamp 'yesterday-ish'");
        assertThat(reasons.get("e5")).isEqualTo("missing required value: host");
        assertThat(reasons.get("e6")).isEqualTo("missing required value: message");
        assertThat(reasons.get("e7")).isEqualTo("timestamp 2026-11-19T23:59:00Z is outside the logical date 2026-11-20");
        assertThat(input.quarantine().collectAsList()).allMatch(r -> r.<String>getAs("source_file").contains("date=2026-11-20"));
        // Told how many rows were rejected (the count the caching pass makes), it reads them the same way.
        assertThat(input.quarantine(5).collectAsList()).containsExactlyInAnyOrderElementsOf(
                input.quarantine().collectAsList());
    }

    @Test
    void appliesTheColumnMappingAndNamesAMissingRequiredColumn(@TempDir Path root) {
        new TestLogs().add("e1", "2026-11-20T01:00:00Z", "auth", "h1", "login ok", "INFO")
                .frame(spark).withColumnRenamed("message", "msg").withColumnRenamed("host", "hostname")
                .write().parquet(root.resolve("date=2026-11-20").toString());

        LakeInput mapped = new LakeReader(spark, lake(root, null, Map.of("message", "msg", "host", "hostname")))
                .read(DAY);
        assertThat(mapped.rows().collectAsList()).singleElement()
                .satisfies(r -> assertThat(r.<String>getAs("message")).isEqualTo("login ok"))
                .satisfies(r -> assertThat(r.<String>getAs("host")).isEqualTo("h1"));

        assertThatThrownBy(() -> new LakeReader(spark, lake(root, null, Map.of("host", "hostname"))).read(DAY))
                .isInstanceOf(NightshiftException.class)
                .hasMessageContaining("required column 'message' is missing in " + root.resolve("date=2026-11-20"))
                .hasMessageContaining("columns found: [event_id, timestamp, service, hostname, msg")
                .satisfies(e -> assertThat(((NightshiftException) e).exitCode()).isEqualTo(ExitCodes.BAD_INPUT));
    }

    @Test
    void duplicateRecordsCountOnceWhenTheLakeHasARecordId(@TempDir Path root) {
        new TestLogs()
                .add("e1", "2026-11-20T01:00:00Z", "auth", "h1", "login ok", "INFO")
                .add("e1", "2026-11-20T01:00:00Z", "auth", "h1", "login ok", "INFO")
                .add("e2", "2026-11-20T01:05:00Z", "auth", "h1", "login ok", "INFO")
                .writePartition(spark, root, "2026-11-20");
        LakeInput keyed = new LakeReader(spark, lake(root, "event_id", Map.of())).read(DAY);
        assertThat(keyed.rows().count()).isEqualTo(2);
        assertThat(keyed.rows().select("row_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
                .containsExactlyInAnyOrder("e1", "e2");
        LakeInput unkeyed = new LakeReader(spark, lake(root, null, Map.of())).read(DAY);
        assertThat(unkeyed.rows().count()).isEqualTo(3);

        // The nightly run's cached copy finds the repeats in the cache and keeps the same rows.
        Dataset<Row> cached = keyed.cachedRows();
        try {
            assertThat(cached.storageLevel().useMemory()).isTrue();
            assertThat(cached.select("row_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
                    .containsExactlyInAnyOrder("e1", "e2");
        } finally {
            cached.unpersist();
        }
        Dataset<Row> cachedUnkeyed = unkeyed.cachedRows();
        try {
            assertThat(cachedUnkeyed.count()).isEqualTo(3);
        } finally {
            cachedUnkeyed.unpersist();
        }
    }

    @Test
    void theCachePassObservesTheSameProfileAsASeparatePass(@TempDir Path root) {
        new TestLogs()
                .add("e1", "2026-11-20T01:00:00Z", "auth", "h1", "login ok", "INFO")
                .add("e1", "2026-11-20T01:00:00Z", "auth", "h1", "login ok", "INFO")
                .add("e2", null, "auth", "h1", "no time", "INFO")
                .add("e3", "2026-11-20T02:00:00Z", "auth", null, "no host", "INFO")
                .add("e4", "2026-11-20T03:00:00Z", "web", "h2", "GET / 200", "INFO", "eu", "eu-1", "t1", "alice",
                        "login", "success", null)
                .writePartition(spark, root, "2026-11-20");
        Dataset<Row> noHistory = spark.createDataFrame(List.of(),
                org.apache.spark.sql.types.StructType.fromDDL("column_name STRING, non_null BIGINT, date DATE"));
        for (String dedupKey : java.util.Arrays.asList("event_id", null)) {
            LakeInput input = new LakeReader(spark, lake(root, dedupKey, Map.of())).read(DAY);
            LakeInput.CachedDay day = input.cachedRows(LakeProfile.counts());
            try {
                LakeProfile observed = LakeProfile.of(day.observed(), noHistory, Map.of(), input.conversions());
                assertThat(observed).as("dedup key %s", dedupKey)
                        .isEqualTo(LakeProfile.of(input.checked(), noHistory, Map.of()));
                assertThat(observed.rowsRead()).isEqualTo(5);
                assertThat(observed.rowsUsable()).isEqualTo(3);
                assertThat(day.rowCount()).isEqualTo(dedupKey == null ? 3 : 2).isEqualTo(day.rows().count());
                assertThat(day.rows().storageLevel().useMemory()).isTrue();
            } finally {
                day.rows().unpersist();
            }
        }
    }

    @Test
    void aMissingDayIsEmptyAndAMissingRootIsBadInput(@TempDir Path root) {
        new TestLogs().add("e1", "2026-11-21T01:00:00Z", "auth", "h1", "x", "INFO")
                .writePartition(spark, root, "2026-11-21");
        LakeInput empty = new LakeReader(spark, lake(root, null, Map.of())).read(DAY);
        assertThat(empty.rows().count()).isZero();
        assertThat(empty.quarantine().count()).isZero();

        assertThatThrownBy(() -> new LakeReader(spark, lake(root.resolve("nope"), null, Map.of())).read(DAY))
                .hasMessageContaining("lake root " + root.resolve("nope") + " does not exist");
    }

    @Test
    void aLakeWithoutDateFoldersIsFilteredOnTheTimestamp(@TempDir Path root) {
        new TestLogs()
                .add("e1", "2026-11-20T01:00:00Z", "auth", "h1", "in", "INFO")
                .add("e2", "2026-11-21T01:00:00Z", "auth", "h1", "out", "INFO")
                .frame(spark).write().parquet(root.resolve("flat").toString());
        LakeInput input = new LakeReader(spark, lake(root.resolve("flat"), null, Map.of())).read(DAY);
        assertThat(input.rows().collectAsList()).extracting(r -> r.getAs("message")).containsExactly("in");
        assertThat(input.quarantine().count()).isZero();
    }
}
