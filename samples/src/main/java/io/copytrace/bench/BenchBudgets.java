// SPDX-License-Identifier: Apache-2.0
package io.copytrace.bench;

import java.util.Locale;
import java.util.Map;

/** The overhead budgets (issues 7 and 13) and the verdict the benchmark table gives each cell. */
final class BenchBudgets {
    private BenchBudgets() {}

    /**
     * Cost allowed per workload for the default and the full configuration (issue 7): throughput loss, or for
     * the workloads in {@link #TIMED_BY_ROUND} the increase of the time per round.
     */
    static final Map<String, double[]> BUDGETS = Map.of(
            "file-write-4k", new double[] {0.03, 0.10}, "socket-write-64", new double[] {0.10, Double.NaN},
            "socket-write-64k", new double[] {0.03, 0.10}, "transfer-1m", new double[] {0.03, 0.10},
            "broker", new double[] {0.03, 0.10}, "vthreads-512", new double[] {0.10, Double.NaN},
            "netty-chunked-nio", new double[] {0.05, Double.NaN});
    /** Workloads whose budget is on the time per round (ms per round, steady state) rather than throughput. */
    static final java.util.Set<String> TIMED_BY_ROUND = java.util.Set.of("vthreads-512");
    /** Peak resident set the default configuration may add, in MiB, per workload. */
    static final Map<String, Double> RSS_BUDGET_MIB = Map.of("vthreads-512", 32.0);

    /** The budget column of a cell: met or missed for the default and full configurations, "–" otherwise. */
    static String verdict(Bench.Cell c, Bench.Cell base) {
        double[] b = BUDGETS.get(c.workload());
        if (b == null || base == null || Double.isNaN(c.mbPerS())) return "–";
        boolean byRound = TIMED_BY_ROUND.contains(c.workload());
        // the cost: the median pair's (throughput lost, or time per round added), else the medians' ratio
        PairedCost paired = c.paired();
        double loss = paired.pairs() > 0 ? paired.median()
                : byRound ? c.msPerRound() / base.msPerRound() - 1 : 1 - c.mbPerS() / base.mbPerS();
        String what = byRound ? " time" : "";
        String verdict = switch (c.config()) {
            case "copytrace-kernel-off" -> "– (agent alone)";
            case "copytrace-kernel-perf" -> "– (audit mode: exact syscall counts)";
            case "copytrace-kernel-sampled" -> "– (syscall counts in slices, extrapolated)";
            case "copytrace-flows-off" -> "– (agent alone, flows=off)";
            case "copytrace" -> judged(loss, b[0], paired, what);
            case "copytrace-full" -> Double.isNaN(b[1]) ? "–" : judged(loss, b[1], paired, what);
            default -> "–";
        };
        Double rssBudget = RSS_BUDGET_MIB.get(c.workload());
        if (rssBudget != null && c.config().equals("copytrace")) {
            double added = c.peakRssMiB() - base.peakRssMiB();
            verdict += String.format(Locale.ROOT, added <= rssBudget ? "; RSS ok (%+.0f MiB ≤ +%.0f MiB)"
                    : "; RSS MISSED (%+.0f MiB > +%.0f MiB)", added, rssBudget);
        }
        return verdict;
    }

    /** Met or missed by the median cost, and unresolved when the median's 95 % interval holds the budget. */
    static String judged(double loss, double budget, PairedCost paired, String what) {
        String verdict = loss <= budget ? "ok (" + pct(loss) + " ≤ " + pct(budget) + what + ")"
                : "MISSED (" + pct(loss) + " > " + pct(budget) + what + ")";
        return paired.spans(budget) ? verdict + ", unresolved: the budget lies in the median's 95 % interval" : verdict;
    }

    static String pct(double d) {
        return String.format(Locale.ROOT, "%.0f %%", d * 100);
    }
}
