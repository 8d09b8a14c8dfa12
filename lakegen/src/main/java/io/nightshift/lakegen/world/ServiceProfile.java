package io.nightshift.lakegen.world;

import java.util.List;
import java.util.SplittableRandom;


/**
 * How one service behaves: what the service catalog says about it, where it runs, its share of traffic, its
 * latency shape and its mix of log lines per severity class.
 *
 * @param warnRate  share of its lines drawn from the {@code warn} mix (WARN-level lines)
 * @param errorRate share drawn from the {@code error} mix; differs per service, so error-rate baselines do too
 * @param fatalRate share drawn from the {@code fatal} mix
 */
public record ServiceProfile(String name, String ownerTeam, int tier, String dataClassification, boolean containsPii,
                             String description, List<String> regions, String farmKind, double trafficWeight,
                             Latency latency, long medianBytes, double warnRate, double errorRate, double fatalRate,
                             TemplateMix normal, TemplateMix warn, TemplateMix error, TemplateMix fatal) {

    /**
     * Log-normal body (median and log-spread) with a Pareto tail: {@code tailProbability} of requests are
     * multiplied by a Pareto(1.6) factor of at least 3, the long tail real services show. At peak load the median
     * rises by {@code peakSlowdown}.
     */
    public record Latency(double medianMs, double sigma, double tailProbability, double peakSlowdown) {
        public double sample(SplittableRandom rng, double load) {
            double body = Sampling.logNormal(rng, medianMs * (1.0 + peakSlowdown * load), sigma);
            if (rng.nextDouble() < tailProbability) {
                body *= 3.0 / Math.pow(1.0 - rng.nextDouble(), 1.0 / 1.6);
            }
            return Math.min(body, 120_000.0);
        }
    }

    /** Templates with weights; sampling is a binary search over the running sum. */
    public record TemplateMix(List<MessageTemplate> templates, double[] cumulative) {
        public static TemplateMix of(Object... templateWeightPairs) {
            int n = templateWeightPairs.length / 2;
            MessageTemplate[] ts = new MessageTemplate[n];
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                ts[i] = (MessageTemplate) templateWeightPairs[2 * i];
                w[i] = ((Number) templateWeightPairs[2 * i + 1]).doubleValue();
            }
            return new TemplateMix(List.of(ts), Sampling.cumulative(w));
        }

        public MessageTemplate sample(SplittableRandom rng) {
            return templates.get(Sampling.pickCumulative(rng, cumulative));
        }
    }

    /** Picks the line's severity class by this service's rates, then a template of that class. */
    public MessageTemplate sampleTemplate(SplittableRandom rng) {
        double u = rng.nextDouble();
        if (u < fatalRate) {
            return fatal.sample(rng);
        }
        if (u < fatalRate + errorRate) {
            return error.sample(rng);
        }
        if (u < fatalRate + errorRate + warnRate) {
            return warn.sample(rng);
        }
        return normal.sample(rng);
    }
}
