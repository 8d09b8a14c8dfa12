package io.nightshift.models.features;

import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession the model tests share: {@code getOrCreate} returns the same session to every test
 * class in the JVM, so Spark starts once per module run, not once per class.
 */
public final class LocalSpark {
    private LocalSpark() {
    }

    public static SparkSession session() {
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("nightshift-models-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.default.parallelism", "2")
                .config("spark.sql.session.timeZone", "UTC")
                // Tiny inputs: planning and code generation dominate, not data. Skip both where Spark allows.
                .config("spark.sql.adaptive.enabled", "false")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
