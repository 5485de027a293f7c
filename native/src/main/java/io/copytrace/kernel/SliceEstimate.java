// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

/**
 * A window total extrapolated from counting slices, with its error.
 *
 * <p>The window is a head (counted whole, so it is exact) followed by a sampled rest, in which one
 * slice per period was counted at a random offset. The rest is estimated with the ratio estimator
 * {@code (sum of slice counts / sum of slice durations) x rest duration}; its standard error is the
 * ratio estimator's, from the spread of the slices' counts around that rate, with the finite
 * population correction {@code 1 - counted/rest}. Because a handful of slices can agree by chance
 * (or all see zero), the variance is never taken below the Poisson variance of the count with at
 * least one call seen: an event that was never counted still gets a non-zero upper bound. The 95 %
 * interval uses Student's t with {@code slices - 1} degrees of freedom; its low end is never below
 * what was counted.
 *
 * @param estimate the extrapolated total for the window (head + estimated rest), rounded
 * @param counted calls actually counted (head + slices)
 * @param low lower end of the 95 % interval, at least {@code counted}
 * @param high upper end of the 95 % interval
 * @param standardError standard error of {@code estimate}, rounded
 */
public record SliceEstimate(long estimate, long counted, long low, long high, long standardError) {
    /** Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom; 1.96 beyond. */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    /**
     * Estimates one counter's window total.
     *
     * @param headCount calls counted in the head (counted whole)
     * @param sliceCounts calls counted in each slice after the head
     * @param sliceNanos duration of each slice, same order
     * @param restNanos duration of the window after the head (the population the slices sample)
     */
    public static SliceEstimate of(long headCount, long[] sliceCounts, long[] sliceNanos, long restNanos) {
        if (sliceCounts.length != sliceNanos.length) {
            throw new IllegalArgumentException("counts and durations differ in length");
        }
        int n = sliceCounts.length;
        long sliceSum = 0;
        long countedNanos = 0;
        for (int i = 0; i < n; i++) {
            sliceSum += sliceCounts[i];
            countedNanos += sliceNanos[i];
        }
        long counted = headCount + sliceSum;
        if (restNanos <= 0 || countedNanos >= restNanos) {
            return new SliceEstimate(counted, counted, counted, counted, 0); // Everything was counted: exact.
        }
        if (countedNanos <= 0) {
            // Nothing of the rest was counted: no estimate of it, only what the head saw.
            return new SliceEstimate(counted, counted, counted, Long.MAX_VALUE, -1);
        }
        double rate = sliceSum / (double) countedNanos;
        double rest = rate * restNanos;
        double fraction = countedNanos / (double) restNanos;
        double variance = 0;
        if (n >= 2) {
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double residual = sliceCounts[i] - rate * sliceNanos[i];
                squares += residual * residual;
            }
            double meanNanos = countedNanos / (double) n;
            double perSlice = squares / (n - 1);
            variance = restNanos / meanNanos * (double) restNanos / meanNanos * (1 - fraction) / n * perSlice;
        }
        // Poisson floor: Var = total x (1 - f) / f for a Poisson count, with at least one call seen.
        double poisson = Math.max(rest, 1 / fraction) * (1 - fraction) / fraction;
        double standardError = Math.sqrt(Math.max(variance, poisson));
        double halfWidth = t95(n - 1) * standardError;
        double estimate = headCount + rest;
        long low = Math.max(counted, Math.round(estimate - halfWidth));
        long high = Math.max(low, Math.round(estimate + halfWidth));
        return new SliceEstimate(Math.round(estimate), counted, low, high, Math.round(standardError));
    }

    /** The two-sided 95 % quantile of Student's t; degrees below 1 are treated as 1. */
    static double t95(int degrees) {
        if (degrees < 1) {
            return T95[0];
        }
        return degrees <= T95.length ? T95[degrees - 1] : 1.96;
    }
}
