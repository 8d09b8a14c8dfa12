package io.nightshift.lakegen.world;

import java.util.List;
import java.util.SplittableRandom;

/** Small sampling helpers shared by traffic, templates and scenarios. */
public final class Sampling {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Sampling() {
    }

    public static <T> T pick(SplittableRandom rng, List<T> values) {
        return values.get(rng.nextInt(values.size()));
    }

    public static String pick(SplittableRandom rng, String... values) {
        return values[rng.nextInt(values.length)];
    }

    public static double pick(SplittableRandom rng, double... values) {
        return values[rng.nextInt(values.length)];
    }

    /** Index into {@code cumulative}, a running sum of weights ending at the total. */
    public static int pickCumulative(SplittableRandom rng, double[] cumulative) {
        double u = rng.nextDouble() * cumulative[cumulative.length - 1];
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    public static double[] cumulative(double[] weights) {
        double[] c = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            c[i] = sum;
        }
        return c;
    }

    public static String hex(SplittableRandom rng, int digits) {
        char[] out = new char[digits];
        for (int i = 0; i < digits; i++) {
            out[i] = HEX[rng.nextInt(16)];
        }
        return new String(out);
    }

    public static int between(SplittableRandom rng, int lowInclusive, int highInclusive) {
        return lowInclusive + rng.nextInt(highInclusive - lowInclusive + 1);
    }

    /** A log-normal value with the given median; {@code sigma} is the spread of its logarithm. */
    public static double logNormal(SplittableRandom rng, double median, double sigma) {
        return median * Math.exp(sigma * rng.nextGaussian());
    }

    /** Rounds to the 0.1 ms the messages print, so a message and its duration_ms column always agree. */
    public static double tenths(double value) {
        return Math.round(value * 10.0) / 10.0;
    }

    /** A client address in the documentation ranges used for ordinary customer traffic. */
    public static String customerIp(SplittableRandom rng) {
        return (rng.nextBoolean() ? "203.0.113." : "192.0.2.") + between(rng, 1, 254);
    }

    public static int ephemeralPort(SplittableRandom rng) {
        return between(rng, 32768, 60999);
    }
}
