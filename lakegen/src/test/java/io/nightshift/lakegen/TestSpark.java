package io.nightshift.lakegen;

import org.apache.spark.sql.SparkSession;

/**
 * One local SparkSession for the whole test JVM (starting Spark costs seconds), sized for two cores. UTC, as the
 * generator's own session: the lake's days and hours are UTC ones.
 */
public final class TestSpark {
    private static SparkSession spark;

    private TestSpark() {
    }

    public static synchronized SparkSession session() {
        if (spark == null || spark.sparkContext().isStopped()) {
            spark = SparkSession.builder().master("local[2]").appName("nightshift-lakegen-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .config("spark.sql.session.timeZone", "UTC")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
        }
        return spark;
    }
}
