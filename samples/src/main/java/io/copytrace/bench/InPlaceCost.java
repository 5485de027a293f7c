// SPDX-License-Identifier: Apache-2.0
package io.copytrace.bench;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Locale;

/**
 * A bench workload's price in place: with the agent loaded, its rounds are timed with the probe on and off
 * ({@code Probe.active}: the woven hooks return at their first check) in pairs, the order swapped every other pair,
 * so both sides share the compiled code, the heap and the phase of a shared host. Prints
 * {@code INPLACE <workload> rounds=R on=<ms> off=<ms> added=<ms> (<%> of off, <lo>…<hi>) perOp=<ns>}: the medians of
 * the rounds and of the pairs' differences, with the difference's 95 % interval ({@link MedianInterval}).
 * What runs whether or not the probe is on (the agent's samplers, its share of the heap) is on both sides and not in
 * the difference: the whole cost is the between-JVM bench's ({@link Bench}). It also prints the process's read and
 * write syscalls per round on each side (medians). Without the agent it prints the rounds' median
 * ({@code none=<ms>}), to set beside the probe-off rounds of agent JVMs taken in turn: what the woven hooks cost
 * while they do nothing (larger methods to compile).
 */
final class InPlaceCost {
    private InPlaceCost() {}

    static void run(String name, BenchWorkload.Workload w, int rounds) throws Exception {
        Field active = HookCost.probeSwitch();
        long[] ops = new long[1];
        BenchWorkload.runUntil(w, ops, System.nanoTime() + 3_000_000_000L); // the JIT settles, probe on
        if (active == null) { // no agent: the rounds' median, to set beside a loaded agent's rounds with the probe off
            long[] ns = new long[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                w.run(ops);
                ns[r] = System.nanoTime() - t0;
            }
            System.out.println(String.format(Locale.ROOT, "INPLACE %s rounds=%d none=%.2f", name, rounds,
                    median(ns) / 1e6));
            return;
        }
        long[][] ns = new long[2][rounds]; // [probe on, off][pair]
        long[][] reads = new long[2][rounds], writes = new long[2][rounds]; // the process's syscalls per round
        long opsPerRound = 0;
        try {
            for (int r = -2; r < rounds; r++) { // two warm-up pairs with both sides
                for (int i = 0; i < 2; i++) {
                    int side = (r & 1) == 0 ? i : 1 - i; // on first in even pairs, off first in odd ones
                    active.setBoolean(null, side == 0);
                    ops[0] = 0;
                    long[] io0 = syscalls();
                    long t0 = System.nanoTime();
                    w.run(ops);
                    long t = System.nanoTime() - t0;
                    long[] io = syscalls();
                    if (r >= 0) {
                        ns[side][r] = t;
                        reads[side][r] = io[0] - io0[0];
                        writes[side][r] = io[1] - io0[1];
                    }
                    opsPerRound = ops[0];
                }
            }
        } finally {
            active.setBoolean(null, true);
        }
        long[] added = new long[rounds];
        for (int r = 0; r < rounds; r++) added[r] = ns[0][r] - ns[1][r];
        long on = median(ns[0]), off = median(ns[1]), mid = median(added);
        Arrays.sort(added);
        int k = MedianInterval.setAside(rounds); // the median's 95 % interval, as the bench's pairs
        long lo = added[k], hi = added[rounds - 1 - k];
        System.out.println(String.format(Locale.ROOT,
                "INPLACE %s rounds=%d on=%.2f off=%.2f added=%.3f (%+.1f%% of off, %+.1f%%…%+.1f%%) perOp=%.1f ns",
                name, rounds, on / 1e6, off / 1e6, mid / 1e6, 100.0 * mid / off, 100.0 * lo / off,
                100.0 * hi / off, opsPerRound == 0 ? 0 : mid / (double) opsPerRound));
        // A writer and a reader in one JVM: a dearer call changes how many reads drain the writes (64-byte cell)
        System.out.println(String.format(Locale.ROOT, "INPLACE %s syscalls per round: on reads=%d writes=%d, off"
                + " reads=%d writes=%d", name, median(reads[0]), median(writes[0]), median(reads[1]), median(writes[1])));
    }

    /** The process's read and write syscalls so far ({@code /proc/self/io}); zeros where it cannot be read. */
    private static long[] syscalls() {
        long[] rw = new long[2];
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/io"))) {
                if (line.startsWith("syscr:")) rw[0] = Long.parseLong(line.substring(6).trim());
                else if (line.startsWith("syscw:")) rw[1] = Long.parseLong(line.substring(6).trim());
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return rw;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
