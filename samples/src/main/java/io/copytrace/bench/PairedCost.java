// SPDX-License-Identifier: Apache-2.0
package io.copytrace.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A configuration's cost measured pair by pair: each repetition runs the baseline and the configuration one after
 * the other, so both meet the same phase of a shared machine, and each pair gives one cost (throughput lost, or
 * time per round added). The median of the pairs is the cost; its 95 % interval ({@link MedianInterval}: the pairs
 * left when as many are set aside at each end as keep 95 % confidence; all of them up to 8 pairs) says how sure it
 * is: a budget inside that interval is not resolved by this run.
 *
 * @param median the median cost over the pairs, as a fraction (0.05 = 5 %)
 * @param low    the low end of the median's 95 % interval
 * @param high   the high end of that interval
 * @param pairs  the pairs in which both JVMs gave a result
 */
record PairedCost(double median, double low, double high, int pairs) {
    static final PairedCost NONE = new PairedCost(Double.NaN, Double.NaN, Double.NaN, 0);

    /**
     * The cost of {@code runs} against {@code base}, pair by pair: index i of each list is repetition i (null where
     * that JVM failed).
     */
    static PairedCost of(List<Bench.Run> base, List<Bench.Run> runs, boolean byRound) {
        List<Double> costs = new ArrayList<>();
        for (int i = 0; i < Math.min(base.size(), runs.size()); i++) {
            Bench.Run b = base.get(i);
            Bench.Run r = runs.get(i);
            if (b == null || r == null) continue;
            costs.add(byRound ? r.msPerRound() / b.msPerRound() - 1 : 1 - r.mbPerS() / b.mbPerS());
        }
        return of(costs);
    }

    /**
     * The CPU the process spent per byte moved, added, pair by pair: a shared machine's stolen time (a vCPU the host
     * did not run) slows the wall clock of a JVM but is not its CPU time.
     */
    static PairedCost ofCpu(List<Bench.Run> base, List<Bench.Run> runs) {
        List<Double> costs = new ArrayList<>();
        for (int i = 0; i < Math.min(base.size(), runs.size()); i++) {
            Bench.Run b = base.get(i);
            Bench.Run r = runs.get(i);
            if (b == null || r == null || !(b.cpuMsPerGiB() > 0)) continue;
            costs.add(r.cpuMsPerGiB() / b.cpuMsPerGiB() - 1);
        }
        return of(costs);
    }

    private static PairedCost of(List<Double> costs) {
        if (costs.isEmpty()) return NONE;
        double[] sorted = costs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        int trim = MedianInterval.setAside(n);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new PairedCost(median, sorted[trim], sorted[n - 1 - trim], n);
    }

    /** Whether {@code budget} lies inside the interval: this run cannot say on which side the cost is. */
    boolean spans(double budget) {
        return pairs > 0 && low <= budget && budget < high;
    }

    /** "+4.1 % (+1.2 … +7.9 %, 7 pairs)", or "–" without pairs. */
    String text() {
        if (pairs == 0) return "–";
        return String.format(java.util.Locale.ROOT, "%+.1f %% (%+.1f … %+.1f %%, %d pairs)", median * 100, low * 100,
                high * 100, pairs);
    }
}
