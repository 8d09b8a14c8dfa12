package io.nightshift.jobs.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.metrics.source.CodegenMetrics;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;

class SparkSessionsTest {
    private final SparkSession spark = TestSpark.session();

    /** A query whose generated code differs from every other n's: the literal is written into the Java source. */
    private long query(int n) {
        return spark.range(4).selectExpr("id * " + (1000 + n) + " AS v").where("v >= 0").count();
    }

    @Test
    void generatedCodeOfAnEarlierQueryIsReusedAfterMoreQueriesThanSparksDefaultCacheHolds() {
        query(0);
        long compiledBefore = CodegenMetrics.METRIC_COMPILATION_TIME().getCount();
        // More distinct queries than Spark's default cache of 100 classes, fewer than ours: a night runs hundreds.
        for (int n = 1; n <= 150; n++) {
            assertEquals(4, query(n));
        }
        long compiledBetween = CodegenMetrics.METRIC_COMPILATION_TIME().getCount() - compiledBefore;
        assertTrue(compiledBetween >= 150, "each new query compiled its own code, got " + compiledBetween);

        long beforeRepeat = CodegenMetrics.METRIC_COMPILATION_TIME().getCount();
        assertEquals(4, query(0));
        assertEquals(0, CodegenMetrics.METRIC_COMPILATION_TIME().getCount() - beforeRepeat,
                "the first query's classes should still be cached");
    }

    @Test
    void theCodegenCacheSizeIsSetBeforeTheSessionStarts() {
        assertEquals(String.valueOf(SparkSessions.CODEGEN_CACHE_ENTRIES),
                spark.sparkContext().getConf().get("spark.sql.codegen.cache.maxEntries"));
    }
}
