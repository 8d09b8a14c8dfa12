package io.nightshift.jobs.base;

import java.util.Map;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession a command uses. The master is never hard-coded: spark-submit sets
 * {@code spark.master}, and only when it is unset (a plain {@code java} launch by the scripts or a test) do we fall
 * back to {@code local[*]}.
 */
public final class SparkSessions {
    /**
     * Generated classes Spark keeps for reuse by a later query with the same code (its default is 100). A night runs
     * hundreds of queries, many of the same shape (per rule, per view, per table); with 100 entries a class could be
     * evicted before its next use, compiled again by Janino, and its methods compiled again by the JIT. The 10M
     * night compiled 1,871 classes with 100 entries and 1,458 (all of them distinct) with room for every one.
     */
    public static final int CODEGEN_CACHE_ENTRIES = 4_000;

    /** Whether this process has built a session: a stop request has Spark jobs to cancel only then. */
    private static volatile boolean started;

    private SparkSessions() {
    }

    /** Whether {@link #create} ran in this process (reading it loads none of Spark's classes). */
    public static boolean started() {
        return started;
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
            // Spark writes every query's plan as text for the UI, again after each adaptive re-planning; with the UI
            // off nobody reads it, and the "formatted" default cost a fifth of the driver's time on a 1M-row night.
            if (!"true".equals(conf.get("spark.ui.enabled"))) {
                conf.setIfMissing("spark.sql.ui.explainMode", "simple");
            }
        }
        conf.setIfMissing("spark.sql.session.timeZone", "UTC");
        // The trend aggregates keep five HLL sketches per group; past 128 groups in a task Spark would switch to
        // sorting every input row. A day's hourly groups (hours x regions x datacenters x services x levels) are
        // several thousand (6,795 on the 1M-row benchmark day, all of them seen by every task); sixteen thousand
        // groups' sketches, mostly sparse, are tens of megabytes, far cheaper than sorting the day's rows.
        conf.setIfMissing("spark.sql.objectHashAggregate.sortBased.fallbackThreshold", "16384");
        // Case mapping (upper/lower of levels, outcomes, case-insensitive rule tests) through ICU initialises a
        // title-case table in a static initialiser that kept one core busy for about 3 s of every run; the JVM's own
        // case mapping is what the rules and the level names need.
        conf.setIfMissing("spark.sql.icu.caseMappings.enabled", "false");
        // The day's rows are cached once and scanned by every stage. Compressing the cache means trying each scheme
        // (a dictionary per string column, run lengths) on every batch: 40% of reading the lake and a quarter of the
        // cluster stage in a profile of the 10M-row night, to save memory the cache can spill to disk for anyway.
        conf.setIfMissing("spark.sql.inMemoryColumnarStorage.compressed", "false");
        // A stage whose fused method would pass 8,000 bytes of bytecode (HotSpot's limit for compiling a method,
        // which our scripts lift) runs as Spark's per-operator code instead: such methods ran far slower than the
        // same work split up (the rules' one pass over a 10M-row day: 99 s fused, 27 s not), whatever JVM flags a
        // cluster's executors have. The 10M night's cluster stage went from 95 s to 83 s. Spark's default (64 KB)
        // only guards against methods the JVM cannot load at all.
        conf.setIfMissing("spark.sql.codegen.hugeMethodLimit", "8000");
        // A static setting: read once, when the first query of the JVM generates code.
        conf.setIfMissing("spark.sql.codegen.cache.maxEntries", String.valueOf(CODEGEN_CACHE_ENTRIES));
        extraConf.forEach(conf::set);
        started = true;
        SparkSession spark = SparkSession.builder().appName(appName).config(conf).getOrCreate();
        // A session that was already running (a test's, a notebook's) keeps its Hadoop configuration, built when it
        // started: this command's Hadoop settings (S3 endpoint and credentials, say) reach it all the same.
        DataFiles.applyHadoopSettings(extraConf, spark.sparkContext().hadoopConfiguration());
        spark.sparkContext().setLogLevel(System.getProperty("nightshift.spark.log.level", "WARN"));
        return spark;
    }
}
