// SPDX-License-Identifier: Apache-2.0
package io.copytrace.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's cost per pair: baseline and configuration of one repetition against each other. */
class PairedCostTest {

    @Test
    void eachRepetitionIsItsOwnPairSoASlowPhaseHittingBothCancels() {
        // the machine slows to half speed for repetitions 3 and 4: both configurations alike
        List<Bench.Run> base = mbPerS(100, 100, 50, 50, 100);
        List<Bench.Run> agent = mbPerS(96, 96, 48, 48, 96);
        PairedCost cost = PairedCost.of(base, agent, false);
        assertEquals(0.04, cost.median(), 1e-9, "every pair loses 4 %");
        assertEquals(0.04, cost.low(), 1e-9);
        assertEquals(0.04, cost.high(), 1e-9);
        assertEquals(5, cost.pairs());
        assertFalse(cost.spans(0.03));
    }

    @Test
    void aFailedJvmDropsOnlyItsPairAndTheRangeIsTheMediansInterval() {
        List<Bench.Run> base = mbPerS(100, 100, 100, 100, 100, 100, 100, 100, 100, 100);
        List<Bench.Run> agent = mbPerS(99, 90, 97, 95, 60, 98, 96, 94, 93, 92);
        agent.set(4, null); // that JVM failed: no pair for repetition 4
        PairedCost cost = PairedCost.of(base, agent, false);
        assertEquals(9, cost.pairs());
        assertEquals(0.05, cost.median(), 1e-9, "losses 1, 2, 3, 4, 5, 6, 7, 8, 10 %: median 5 %");
        assertEquals(0.02, cost.low(), 1e-9, "of 9 pairs the lowest is set aside");
        assertEquals(0.08, cost.high(), 1e-9, "and the highest");
        assertTrue(cost.spans(0.03), "a 3 % budget lies between 2 and 8 %: unresolved");
        assertFalse(cost.spans(0.10));
    }

    @Test
    void morePairsNarrowTheIntervalSoABudgetNearTheMedianCanBeResolved() {
        // the same spread of pair costs, 0 to 9 % evenly, for 10 and for 30 repetitions
        List<Bench.Run> base = new ArrayList<>();
        List<Bench.Run> agent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            base.add(new Bench.Run(100, 1, 1, 1, Double.NaN));
            agent.add(new Bench.Run(100 - (i % 10), 1, 1, 1, Double.NaN));
        }
        PairedCost ten = PairedCost.of(base.subList(0, 10), agent.subList(0, 10), false);
        PairedCost thirty = PairedCost.of(base, agent, false);
        assertEquals(0.045, ten.median(), 1e-9);
        assertEquals(0.045, thirty.median(), 1e-9);
        assertTrue(ten.spans(0.07), "10 pairs: 1 … 8 %: a 7 % budget is unresolved");
        assertEquals(0.03, thirty.low(), 1e-9, "30 pairs: 9 set aside at each end");
        assertEquals(0.06, thirty.high(), 1e-9);
        assertFalse(thirty.spans(0.07), "30 pairs resolve it");
    }

    @Test
    void theIntervalKeeps95PerCentConfidence() {
        // pairs set aside at each end, from the binomial (n, 1/2): the k-th lowest to k-th highest cover the median
        // with 1 - 2 P(B < k)
        int[][] expected = {{3, 0}, {5, 0}, {8, 0}, {9, 1}, {10, 1}, {11, 1}, {12, 2}, {20, 5}, {30, 9}};
        for (int[] e : expected) {
            assertEquals(e[1], MedianInterval.setAside(e[0]), e[0] + " pairs");
            if (e[0] >= 6) assertTrue(MedianInterval.confidence(e[0]) >= 0.95, e[0] + " pairs");
        }
        assertEquals(1 - 2 * 11.0 / 1024, MedianInterval.confidence(10), 1e-12, "10 pairs, 1 set aside: 97.9 %");
        assertTrue(MedianInterval.confidence(5) < 0.95, "5 pairs cannot reach 95 %: all of them, at 93.75 %");
    }

    @Test
    void timedWorkloadsCostTheTimePerRoundAdded() {
        List<Bench.Run> base = new ArrayList<>();
        List<Bench.Run> agent = new ArrayList<>();
        for (double ms : new double[] {250, 260, 240}) base.add(new Bench.Run(1, 1, ms, 1, Double.NaN));
        for (double ms : new double[] {275, 273, 252}) agent.add(new Bench.Run(1, 1, ms, 1, Double.NaN));
        PairedCost cost = PairedCost.of(base, agent, true);
        assertEquals(0.05, cost.median(), 1e-9, "+10 %, +5 %, +5 %");
        assertEquals(0.05, cost.low(), 1e-9, "up to 8 pairs the interval is all of them");
        assertEquals(0.10, cost.high(), 1e-9);
        assertEquals("+5.0 % (+5.0 … +10.0 %, 3 pairs)", cost.text());
    }

    @Test
    void cpuPerPairIsTheProcessCpuPerByteAddedAndStolenTimeDoesNotMoveIt() {
        // the host steals time in repetition 2: both JVMs' wall clock slows, their CPU per GiB does not
        List<Bench.Run> base = new ArrayList<>();
        List<Bench.Run> agent = new ArrayList<>();
        double[][] b = {{1000, 2000}, {600, 2000}, {1000, 2100}};
        double[][] a = {{960, 2060}, {500, 2060}, {970, 2163}};
        for (double[] r : b) base.add(new Bench.Run(r[0], r[1], 1, 1, Double.NaN));
        for (double[] r : a) agent.add(new Bench.Run(r[0], r[1], 1, 1, Double.NaN));
        PairedCost cpu = PairedCost.ofCpu(base, agent);
        assertEquals(0.03, cpu.median(), 1e-9, "+3 % CPU per GiB in every pair");
        assertEquals(0.03, cpu.high(), 1e-9);
        assertTrue(PairedCost.of(base, agent, false).high() > 0.16, "the throughput pair of repetition 2 lost 17 %");
        base.set(0, new Bench.Run(1000, Double.NaN, 1, 1, Double.NaN)); // no CPU reading: no pair
        assertEquals(2, PairedCost.ofCpu(base, agent).pairs());
    }

    @Test
    void noPairWithoutBothJvms() {
        assertEquals(0, PairedCost.of(mbPerS(100), new ArrayList<>(Arrays.asList((Bench.Run) null)), false).pairs());
        assertEquals("–", PairedCost.NONE.text());
    }

    private static List<Bench.Run> mbPerS(double... values) {
        List<Bench.Run> runs = new ArrayList<>();
        for (double v : values) runs.add(new Bench.Run(v, 1, 1, 1, Double.NaN));
        return runs;
    }
}
