// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * What a chunk costs when one thread fills it and another one uses it: the memory has to travel from the filling
 * core's cache to the other's, and back when the filler reuses the buffer. Two threads of this process hand 64 KiB
 * direct buffers round a ring of {@link #RING} (the filler waits, spinning, for a free one; the user for a filled
 * one), each copy timed alone, against the same fills and copies on one thread in the same round; per side the median
 * copy, and the median round's difference per KiB. Spinning, not parking, so that no context switch is in the figure:
 * the relay finding prices its hand-offs' switches apart ({@link ContextSwitchCost}). The median copy, not the sum:
 * a copy whose thread the scheduler took off its CPU for a tick (4 ms here) added ~60 ns per KiB to a round's sum,
 * so a busy host read 166–238 ns per KiB where the medians of the same rounds read 103–134 (and a benchmark's report
 * 558, deciding sample 10h's prediction; the senders it is compared with are measured in CPU time, which such a
 * pause is not). Measured on the build machine (2 vCPUs): 95–130 ns per KiB, about one more streaming copy of the
 * bytes, most of it the filler's (a line the other core read must be taken back). Needs two CPUs (with one, both
 * threads share its cache: nothing to measure). Only ever run in the reporting process ({@link HostCost#measure}).
 */
final class CrossCoreCost {
    static final int CHUNK = 64 << 10;
    static final int RING = 8;
    /** Chunks per round: 64 MiB. */
    static final int CHUNKS = 1024;
    /** Rounds: an odd number, for a median. */
    static final int ROUNDS = 5;

    private CrossCoreCost() {}

    /** The median round's extra CPU per KiB handed to another core, in ns (never below 0), or empty. */
    static OptionalDouble measure() {
        if (Runtime.getRuntime().availableProcessors() < 2) return OptionalDouble.empty();
        ByteBuffer source = ByteBuffer.allocateDirect(CHUNK), target = ByteBuffer.allocateDirect(CHUNK);
        ByteBuffer[] ring = new ByteBuffer[RING];
        for (int i = 0; i < RING; i++) ring[i] = ByteBuffer.allocateDirect(CHUNK);
        try {
            round(source, target, ring); // warm-up: the JIT, the buffers' pages
            double[] rounds = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) rounds[r] = round(source, target, ring);
            Arrays.sort(rounds);
            double median = rounds[ROUNDS / 2];
            return Double.isNaN(median) ? OptionalDouble.empty() : OptionalDouble.of(Math.max(0, median));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        } catch (RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    /**
     * One round: the median fill and use on two threads less the median fill and use on one, per KiB; NaN when the
     * filler did not finish.
     */
    private static double round(ByteBuffer source, ByteBuffer target, ByteBuffer[] ring) throws InterruptedException {
        long[] fillAlone = new long[CHUNKS], useAlone = new long[CHUNKS];
        long[] fill = new long[CHUNKS], use = new long[CHUNKS];
        for (int i = 0; i < CHUNKS; i++) {
            fillAlone[i] = copy(source, ring[i % RING]);
            useAlone[i] = copy(ring[i % RING], target);
        }
        Ring handOff = new Ring();
        Thread filler = new Thread(() -> {
            for (int i = 0; i < CHUNKS; i++) {
                while (i - handOff.used >= RING) Thread.onSpinWait();
                fill[i] = copy(source, ring[i % RING]);
                handOff.filled = i + 1;
            }
        }, "copytrace-calibration-cross-core");
        filler.setDaemon(true);
        filler.start();
        for (int i = 0; i < CHUNKS; i++) {
            while (handOff.filled <= i) {
                if (!filler.isAlive() && handOff.filled <= i) return Double.NaN;
                Thread.onSpinWait();
            }
            use[i] = copy(ring[i % RING], target);
            handOff.used = i + 1;
        }
        filler.join(5_000);
        if (filler.isAlive()) return Double.NaN;
        return perKib(fill, use, fillAlone, useAlone);
    }

    /**
     * A round's figure from its copies' times (ns, each 64 KiB): the median fill and use on two threads less the median
     * fill and use on one, per KiB.
     */
    static double perKib(long[] fill, long[] use, long[] fillAlone, long[] useAlone) {
        return (double) (ThreadCpu.median(fill) + ThreadCpu.median(use) - ThreadCpu.median(fillAlone)
                - ThreadCpu.median(useAlone)) / (CHUNK / 1024);
    }

    /** Copies {@code from} into {@code to}, whole; its time in ns. */
    private static long copy(ByteBuffer from, ByteBuffer to) {
        long t0 = System.nanoTime();
        to.clear().put(from.clear());
        return System.nanoTime() - t0;
    }

    /** The ring's two counters, shared by the two threads. */
    private static final class Ring {
        volatile long filled;
        volatile long used;
    }
}
