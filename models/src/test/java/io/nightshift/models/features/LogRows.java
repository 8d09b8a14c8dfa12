package io.nightshift.models.features;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import scala.jdk.javaapi.CollectionConverters;

/** Builds templated log rows in the featurizer's input contract, for tests. */
public final class LogRows {
    public static final StructType SCHEMA = new StructType()
            .add("timestamp", DataTypes.TimestampType)
            .add("template_id", DataTypes.StringType)
            .add("is_new_template", DataTypes.BooleanType)
            .add("level", DataTypes.StringType)
            .add("user", DataTypes.StringType)
            .add("host", DataTypes.StringType)
            .add("service", DataTypes.StringType)
            .add("attributes", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));

    private LogRows() {
    }

    public static Row row(String isoTime, String template, boolean isNew, String level, String user, String host,
                          String service, Map<String, String> attributes) {
        return RowFactory.create(Timestamp.from(Instant.parse(isoTime)), template, isNew, level, user, host, service,
                CollectionConverters.asScala(attributes));
    }

    public static Row row(Instant time, String template, String level, String host, String service) {
        return RowFactory.create(Timestamp.from(time), template, false, level, null, host, service,
                CollectionConverters.asScala(Map.<String, String>of()));
    }

    public static Dataset<Row> frame(SparkSession spark, List<Row> rows) {
        return spark.createDataFrame(rows, SCHEMA);
    }
}
