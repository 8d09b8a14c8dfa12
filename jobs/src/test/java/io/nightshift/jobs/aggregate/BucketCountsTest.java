package io.nightshift.jobs.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class BucketCountsTest {

    @Test
    void countsLikeAMapOfSumsThroughGrowthAndMerges() {
        Random random = new Random(7);
        TreeMap<Integer, Long> expected = new TreeMap<>();
        List<BucketCounts> parts = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            BucketCounts part = new BucketCounts();
            for (int i = 0; i < 20_000; i++) {
                // Durations from 0 (its own bucket) to minutes, a few below a millisecond (negative buckets).
                double ms = random.nextInt(50) == 0 ? 0.0 : Math.exp(random.nextGaussian() * 3 + 4);
                int bucket = LatencyHistogram.bucketOf(ms);
                long n = 1 + random.nextInt(3);
                part.add(bucket, n);
                expected.merge(bucket, n, Long::sum);
            }
            parts.add(part);
        }
        BucketCounts all = new BucketCounts();
        parts.forEach(all::addAll);
        assertEquals(expected, all.sorted());
        assertEquals(expected.size(), all.size());
        assertTrue(expected.containsKey(LatencyHistogram.ZERO_BUCKET));
        assertTrue(expected.firstKey() < -1 && expected.lastKey() > 400, "buckets on both sides of 1 ms");
    }

    @Test
    void emptyHasNoBuckets() {
        BucketCounts empty = new BucketCounts();
        assertEquals(0, empty.size());
        assertTrue(empty.sorted().isEmpty());
    }
}
