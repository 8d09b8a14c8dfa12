package io.nightshift.lakegen.world;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * Volume over time: a weekly shape (weekends ~20% quieter), a small day-to-day wobble, and a diurnal curve applied in
 * each region's local time, so the fleet-wide UTC curve is the overlap of four regional days.
 */
public final class Seasonality {
    /** Relative volume per local hour: quiet 02-05, morning ramp, a lunch-time plateau, evening tail. */
    private static final double[] LOCAL_HOUR = {
            0.30, 0.22, 0.17, 0.15, 0.15, 0.19, 0.30, 0.48, 0.70, 0.88, 0.97, 1.00,
            1.00, 0.98, 0.96, 0.93, 0.88, 0.80, 0.72, 0.66, 0.60, 0.52, 0.44, 0.36};

    /** Monday..Sunday; averages to exactly 1 so a week holds 7 × rowsPerDay rows on average. */
    private static final double[] WEEKDAY = {1.06, 1.08, 1.08, 1.07, 1.03, 0.86, 0.82};

    private static final double[][] UTC_HOUR_CDF = utcCdfs();

    private Seasonality() {
    }

    private static double[][] utcCdfs() {
        double[][] cdfs = new double[Topology.REGIONS.size()][];
        for (int r = 0; r < cdfs.length; r++) {
            double[] w = new double[24];
            for (int utc = 0; utc < 24; utc++) {
                w[utc] = localWeight(Topology.REGIONS.get(r), utc);
            }
            cdfs[r] = Sampling.cumulative(w);
        }
        return cdfs;
    }

    private static double localWeight(Topology.Region region, int utcHour) {
        return LOCAL_HOUR[Math.floorMod(utcHour + region.utcOffsetHours(), 24)];
    }

    /** Rows to generate on {@code date}: the weekly shape times a ±4% wobble drawn from the seed. */
    public static long rowsFor(long seed, LocalDate date, long rowsPerDay) {
        SplittableRandom rng = Seeds.random(Seeds.DAY, seed, date.toEpochDay());
        double wobble = 0.96 + 0.08 * rng.nextDouble();
        double weekly = WEEKDAY[date.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue()];
        return Math.max(1L, Math.round(rowsPerDay * weekly * wobble));
    }

    /** A UTC hour for a line served in region {@code regionIndex}, following that region's local day. */
    public static int sampleUtcHour(int regionIndex, SplittableRandom rng) {
        return Sampling.pickCumulative(rng, UTC_HOUR_CDF[regionIndex]);
    }

    /** 0 at the quietest local hour, 1 at the busiest: services are slower under load. */
    public static double load(String region, int utcHour) {
        double w = localWeight(Topology.region(region), utcHour);
        return (w - 0.15) / (1.0 - 0.15);
    }
}
