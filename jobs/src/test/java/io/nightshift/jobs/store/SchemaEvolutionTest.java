package io.nightshift.jobs.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.config.NightshiftConfig.WarehouseConfig;
import io.nightshift.jobs.schema.ResultTables;

/** A warehouse written by an older version gains the columns its tables lack, keeping every row. */
class SchemaEvolutionTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    @Test
    void ensureAddsTheColumnsATableLacksAndOldRowsReadThemAsNull() {
        WarehouseConfig wh = TestSpark.freshWarehouse();
        ResultsStore store = new ResultsStore(spark, wh);
        String table = wh.table("trend_daily");
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + wh.catalog() + "." + wh.namespace());
        // trend_daily as an older version created it: no status or latency columns.
        spark.sql("CREATE TABLE " + table + " (region STRING, service STRING, event_count BIGINT, date DATE) "
                + "USING iceberg PARTITIONED BY (date)");
        spark.sql("INSERT INTO " + table + " VALUES ('eu', 'checkout', 42, DATE'2026-11-01')");

        store.ensure(ResultTables.TREND_DAILY);

        assertThat(spark.table(table).columns()).contains(Arrays.stream(ResultTables.TREND_DAILY.schema().fields())
                .map(StructField::name).toArray(String[]::new));
        Row old = spark.sql("SELECT region, event_count, p99_ms, latency_hist, status_5xx FROM " + table).first();
        assertThat(old.getString(0)).isEqualTo("eu");
        assertThat(old.getLong(1)).isEqualTo(42L);
        assertThat(old.isNullAt(2)).isTrue();
        assertThat(old.isNullAt(3)).isTrue();
        assertThat(old.isNullAt(4)).isTrue();

        // A second ensure has nothing to add.
        long snapshots = spark.sql("SELECT count(*) FROM " + table + ".snapshots").first().getLong(0);
        store.ensure(ResultTables.TREND_DAILY);
        assertThat(spark.sql("SELECT count(*) FROM " + table + ".snapshots").first().getLong(0)).isEqualTo(snapshots);
    }
}
