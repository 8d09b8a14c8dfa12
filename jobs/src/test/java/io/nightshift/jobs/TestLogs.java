package io.nightshift.jobs;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Builds tiny log lakes inline: rows in the sample lake's column layout, written as Hive-style date partitions. */
public final class TestLogs {
    public static final StructType LAKE_SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("event_id", DataTypes.StringType, true),
            DataTypes.createStructField("timestamp", DataTypes.StringType, true),
            DataTypes.createStructField("service", DataTypes.StringType, true),
            DataTypes.createStructField("host", DataTypes.StringType, true),
            DataTypes.createStructField("message", DataTypes.StringType, true),
            DataTypes.createStructField("level", DataTypes.StringType, true),
            DataTypes.createStructField("region", DataTypes.StringType, true),
            DataTypes.createStructField("datacenter", DataTypes.StringType, true),
            DataTypes.createStructField("tenant_id", DataTypes.StringType, true),
            DataTypes.createStructField("user", DataTypes.StringType, true),
            DataTypes.createStructField("action", DataTypes.StringType, true),
            DataTypes.createStructField("outcome", DataTypes.StringType, true),
            DataTypes.createStructField("bytes_out", DataTypes.LongType, true),
            DataTypes.createStructField("attributes",
                    DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true)));

    private final List<Row> rows = new ArrayList<>();

    /** Adds a row: id, ISO timestamp (string, may be junk or null), service, host, message, level. */
    public TestLogs add(String id, String ts, String service, String host, String message, String level) {
        return add(id, ts, service, host, message, level, "eu-west", "eu-west-1", null, null, null, null, null);
    }

    public TestLogs add(String id, String ts, String service, String host, String message, String level,
                        String region, String dc, String tenant, String user, String action, String outcome,
                        Long bytesOut) {
        rows.add(RowFactory.create(id, ts, service, host, message, level, region, dc, tenant, user, action, outcome,
                bytesOut, scala.jdk.javaapi.CollectionConverters.asScala(Map.<String, String>of())));
        return this;
    }

    public Dataset<Row> frame(SparkSession spark) {
        return spark.createDataFrame(rows, LAKE_SCHEMA);
    }

    /** Writes the rows under {@code root/date=<date>}. */
    public Path writePartition(SparkSession spark, Path root, String date) {
        Path dir = root.resolve("date=" + date);
        frame(spark).coalesce(1).write().mode("overwrite").parquet(dir.toString());
        return dir;
    }

    public static String ts(String iso) {
        return Timestamp.from(Instant.parse(iso)).toInstant().toString();
    }
}
