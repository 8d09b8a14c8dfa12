package io.nightshift.lakegen.world;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from the generator seed. Every row gets its own stream, seeded from
 * (seed, day, row index), so a row's values never depend on which executor made it or in which order: that is what
 * makes a lake reproducible byte for byte at any parallelism.
 */
public final class Seeds {
    /** Stream tags keep the per-row, per-day and per-scenario streams apart even when their numbers coincide. */
    public static final long ROW = 0x524f57L;
    public static final long DAY = 0x444159L;
    public static final long OPERATIONS = 0x4f5053L;
    public static final long SCENARIO = 0x53434eL;

    private Seeds() {
    }

    /** SplitMix64's finaliser: a bijection on 64-bit values that scatters neighbouring inputs. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public static long combine(long... parts) {
        long h = 0x9e3779b97f4a7c15L;
        for (long p : parts) {
            h = mix(h ^ mix(p + 0x9e3779b97f4a7c15L));
        }
        return h;
    }

    public static SplittableRandom random(long... parts) {
        return new SplittableRandom(combine(parts));
    }

    /** The stream of one row of one day. */
    public static SplittableRandom forRow(long seed, long epochDay, long index) {
        return random(ROW, seed, epochDay, index);
    }
}
