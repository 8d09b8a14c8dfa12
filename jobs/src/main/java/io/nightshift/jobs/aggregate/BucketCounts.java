package io.nightshift.jobs.aggregate;

import java.io.Serializable;
import java.util.TreeMap;

/**
 * A histogram being aggregated: bucket → count in two primitive arrays (open addressing, linear probing). It is the
 * buffer of {@link LatencyHistogram}'s aggregators, updated once per log row of the day; a
 * {@code HashMap<Integer, Long>} boxed the bucket and the count on every update, which was a tenth of the trend
 * stage in a profile of the 10M-row night. Public because Spark only encodes buffers of public classes.
 */
public final class BucketCounts implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int INITIAL_CAPACITY = 64;

    private int[] keys = new int[INITIAL_CAPACITY];
    private long[] counts = new long[INITIAL_CAPACITY];
    private boolean[] used = new boolean[INITIAL_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    /** Adds {@code n} to the count of {@code bucket}. */
    void add(int bucket, long n) {
        int slot = slotOf(bucket);
        if (used[slot]) {
            counts[slot] += n;
            return;
        }
        used[slot] = true;
        keys[slot] = bucket;
        counts[slot] = n;
        if (++size * 2 > keys.length) {
            grow();
        }
    }

    /** Adds every bucket of {@code other} into this one. */
    void addAll(BucketCounts other) {
        for (int i = 0; i < other.keys.length; i++) {
            if (other.used[i]) {
                add(other.keys[i], other.counts[i]);
            }
        }
    }

    /** The buckets in ascending order with their counts (once per group, at the end of an aggregation). */
    TreeMap<Integer, Long> sorted() {
        TreeMap<Integer, Long> out = new TreeMap<>();
        for (int i = 0; i < keys.length; i++) {
            if (used[i]) {
                out.put(keys[i], counts[i]);
            }
        }
        return out;
    }

    private int slotOf(int bucket) {
        int mask = keys.length - 1;
        int h = bucket * 0x9E3779B9;
        int slot = (h ^ (h >>> 16)) & mask;
        while (used[slot] && keys[slot] != bucket) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        int[] oldKeys = keys;
        long[] oldCounts = counts;
        boolean[] oldUsed = used;
        keys = new int[oldKeys.length * 2];
        counts = new long[keys.length];
        used = new boolean[keys.length];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) {
                add(oldKeys[i], oldCounts[i]);
            }
        }
    }
}
