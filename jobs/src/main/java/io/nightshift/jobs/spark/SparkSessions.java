package io.nightshift.jobs.spark;

import java.util.Map;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession a command uses. The master is never hard-coded: spark-submit sets
 * {@code spark.master}, and only when it is unset (a plain {@code java} launch by the scripts or a test) do we fall
 * back to {@code local[*]}.
 */
public final class SparkSessions {
    private SparkSessions() {
    }

    /**
     * @param appName shown in the Spark UI and history server
     * @param extraConf settings layered on top of what spark-submit or the JVM already set (catalog settings,
     *                  {@code --conf} pairs from the command line)
     */
    public static SparkSession create(String appName, Map<String, String> extraConf) {
        SparkConf conf = new SparkConf(true);
        if (!conf.contains("spark.master")) {
            conf.setMaster(System.getProperty("nightshift.local.master", "local[*]"));
            // A laptop run: keep shuffles small and the UI off unless asked for.
            conf.setIfMissing("spark.sql.shuffle.partitions", "8");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        conf.setIfMissing("spark.sql.session.timeZone", "UTC");
        // The trend aggregates keep five HLL sketches per group; past 128 groups in a task Spark would switch to
        // sorting every input row. A few thousand groups' sketches are tens of megabytes, far cheaper than the sort.
        conf.setIfMissing("spark.sql.objectHashAggregate.sortBased.fallbackThreshold", "4096");
        extraConf.forEach(conf::set);
        SparkSession spark = SparkSession.builder().appName(appName).config(conf).getOrCreate();
        spark.sparkContext().setLogLevel(System.getProperty("nightshift.spark.log.level", "WARN"));
        return spark;
    }
}
