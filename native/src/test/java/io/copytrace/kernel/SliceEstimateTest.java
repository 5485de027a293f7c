// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The extrapolation and its error, by hand-computed cases and by simulation. */
class SliceEstimateTest {
    @Test
    void aWindowCountedWholeIsExact() {
        assertEquals(new SliceEstimate(70, 70, 70, 70, 0), SliceEstimate.of(70, new long[0], new long[0], 0));
        assertEquals(new SliceEstimate(75, 75, 75, 75, 0),
                SliceEstimate.of(70, new long[] {5}, new long[] {100}, 100), "slices covering the rest: exact");
    }

    @Test
    void ratioEstimateWithHandComputedError() {
        // 4 slices of 10 ns in a rest of 400 ns (f = 0.1), rate 1/ns. Residuals -5, 5, 0, 0: s^2 = 50/3.
        // Var = (400/10)^2 x (1 - 0.1) / 4 x 50/3 = 6000 > Poisson 400 x 0.9 / 0.1 = 3600. SE = 77.46,
        // t(3) = 3.182: half-width 246.5 around 40 + 400.
        SliceEstimate e = SliceEstimate.of(40, new long[] {5, 15, 10, 10}, new long[] {10, 10, 10, 10}, 400);
        assertEquals(440, e.estimate());
        assertEquals(80, e.counted());
        assertEquals(77, e.standardError());
        assertEquals(194, e.low());
        assertEquals(686, e.high());
    }

    @Test
    void slicesOfUnequalLengthWeighByTime() {
        // 30 calls in 20 ns and 10 in 10 ns: 4/3 per ns (not the mean of the rates, 1.25) over 300 ns.
        SliceEstimate e = SliceEstimate.of(0, new long[] {30, 10}, new long[] {20, 10}, 300);
        assertEquals(400, e.estimate());
    }

    @Test
    void agreeingSlicesStillGetThePoissonFloor() {
        // Identical slices: no spread, but a count of 100 in 10 % of the time is not known to +-0.
        SliceEstimate e = SliceEstimate.of(0, new long[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10},
                new long[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, 1000);
        assertEquals(1000, e.estimate());
        assertEquals(95, e.standardError()); // sqrt(1000 x 0.9 / 0.1)
        assertTrue(e.low() < 1000 && e.high() > 1000, e::toString);
    }

    @Test
    void anEventNeverCountedHasAnUpperBoundAboveZero() {
        SliceEstimate e = SliceEstimate.of(0, new long[] {0, 0, 0, 0, 0, 0}, new long[] {10, 10, 10, 10, 10, 10}, 600);
        assertEquals(0, e.estimate());
        assertEquals(0, e.low());
        assertTrue(e.high() >= 10, "one call in the 90 % not counted is plausible: " + e);
    }

    @Test
    void nothingOfTheRestCountedLeavesTheHighEndOpen() {
        SliceEstimate e = SliceEstimate.of(12, new long[0], new long[0], 500);
        assertEquals(12, e.estimate());
        assertEquals(Long.MAX_VALUE, e.high());
    }

    @Test
    void mismatchedArraysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SliceEstimate.of(0, new long[2], new long[1], 10));
    }

    @Test
    void studentQuantiles() {
        assertEquals(12.706, SliceEstimate.t95(1));
        assertEquals(12.706, SliceEstimate.t95(0));
        assertEquals(2.045, SliceEstimate.t95(29));
        assertEquals(1.96, SliceEstimate.t95(31));
    }

    /**
     * What the slicer does, simulated: a rest of 60 periods of 10 slots, one random slot counted per period,
     * a workload whose rate swings 5x over the window with bursts. The estimate must be unbiased and its
     * 95 % interval must hold the truth in at least 90 % of 2,000 windows (and not in all: it must not be
     * absurdly wide either).
     */
    @Test
    void intervalsCoverTheTruthInSimulatedWindows() {
        SplittableRandom random = new SplittableRandom(13);
        int periods = 60;
        int slots = 10;
        int trials = 2000;
        int covered = 0;
        double relativeErrorSum = 0;
        double widthSum = 0;
        for (int trial = 0; trial < trials; trial++) {
            long[] perSlot = new long[periods * slots];
            long truth = 0;
            for (int s = 0; s < perSlot.length; s++) {
                double rate = 100 + 80 * Math.sin(s * 2 * Math.PI / perSlot.length) + (random.nextInt(20) == 0 ? 400 : 0);
                perSlot[s] = poisson(random, rate);
                truth += perSlot[s];
            }
            long[] counts = new long[periods];
            long[] nanos = new long[periods];
            for (int p = 0; p < periods; p++) {
                counts[p] = perSlot[p * slots + random.nextInt(slots)];
                nanos[p] = 1;
            }
            SliceEstimate e = SliceEstimate.of(0, counts, nanos, perSlot.length);
            if (e.low() <= truth && truth <= e.high()) {
                covered++;
            }
            relativeErrorSum += (e.estimate() - truth) / (double) truth;
            widthSum += (e.high() - e.low()) / (double) truth;
        }
        double coverage = covered / (double) trials;
        assertTrue(coverage >= 0.90 && coverage < 1.0, "coverage " + coverage);
        assertTrue(Math.abs(relativeErrorSum / trials) < 0.01, "bias " + relativeErrorSum / trials);
        // Bursts (+400 in 1 slot of 20) make a wide interval: about +-20 % here.
        assertTrue(widthSum / trials < 0.5, "mean width " + widthSum / trials + ", coverage " + coverage);
        System.out.printf("simulated: coverage %.3f, bias %.4f, mean width %.3f%n", coverage, relativeErrorSum / trials,
                widthSum / trials);
    }

    private static long poisson(SplittableRandom random, double mean) {
        // Normal approximation: the means here are 20 and up.
        return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
