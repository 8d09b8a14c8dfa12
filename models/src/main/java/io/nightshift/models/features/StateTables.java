package io.nightshift.models.features;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import scala.Option;

/**
 * Model persistence the MLlib way: params as the standard metadata JSON ({@code <path>/metadata}, readable by
 * {@code DefaultParamsReader}), learned state as small single-file Parquet tables under {@code <path>/data/<name>}.
 * The tables hold model-sized state (vocabularies, centres, quantiles), never training rows.
 */
public final class StateTables {
    private StateTables() {
    }

    public static void saveParams(Params instance, String path, SparkSession spark) {
        DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, spark);
    }

    /**
     * Restores the saved params onto {@code instance}.
     *
     * @throws IllegalArgumentException when the metadata at {@code path} was written for another class
     */
    public static <T extends Params> T loadParams(T instance, String path, SparkSession spark) {
        DefaultParamsReader.Metadata metadata =
                DefaultParamsReader$.MODULE$.loadMetadata(path, spark, instance.getClass().getName());
        if (!metadata.uid().equals(instance.uid())) {
            throw new IllegalStateException("Model at " + path + " has uid " + metadata.uid() + " but was restored as "
                    + instance.uid());
        }
        metadata.getAndSetParams(instance, Option.empty());
        return instance;
    }

    /** The uid recorded in the metadata at {@code path}, so a reader can build the instance before its params. */
    public static String uid(String path, SparkSession spark, Class<?> expected) {
        return DefaultParamsReader$.MODULE$.loadMetadata(path, spark, expected.getName()).uid();
    }

    public static void write(SparkSession spark, String path, String table, StructType schema, List<Row> rows) {
        spark.createDataFrame(rows, schema).repartition(1).write().parquet(tablePath(path, table));
    }

    /**
     * All rows of a state table, ordered by {@code orderBy}, a numeric column (nulls first, as Spark orders; rows
     * with equal values keep the file's order). Sorted here rather than by Spark: the tables are model-sized, and a
     * distributed sort cost two more jobs for each of the 27 tables a three-view model loads.
     *
     * @throws IllegalArgumentException when {@code orderBy} is not a numeric column of the table
     */
    public static List<Row> read(SparkSession spark, String path, String table, String orderBy) {
        Dataset<Row> rows = spark.read().parquet(tablePath(path, table));
        StructField key = rows.schema().apply(orderBy);
        if (!(key.dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("state table " + table + " at " + path + ": column " + orderBy
                    + " is " + key.dataType().simpleString() + ", not a number to order by");
        }
        int field = rows.schema().fieldIndex(orderBy);
        List<Row> sorted = new ArrayList<>(rows.collectAsList());
        // Values of one numeric column share a boxed type, which is Comparable with itself.
        @SuppressWarnings({"unchecked", "rawtypes"})
        Comparator<Row> byKey = Comparator.comparing(r -> (Comparable) r.get(field),
                Comparator.nullsFirst(Comparator.naturalOrder()));
        sorted.sort(byKey);
        return sorted;
    }

    private static String tablePath(String path, String table) {
        return new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(path, "data"), table).toString();
    }
}
