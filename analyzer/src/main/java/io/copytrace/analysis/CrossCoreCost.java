// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * What a chunk costs when one thread fills it and another one uses it: the memory has to travel from the filling
 * core's cache to the other's, and back when the filler reuses the buffer. Two threads of this process hand 64 KiB
 * direct buffers round a ring of {@link #RING} (the filler waits, spinning, for a free one; the user for a filled
 * one), each side's copy timed alone, against the same fills and copies on one thread in the same round; the median
 * round's difference per KiB. Spinning, not parking, so that no context switch is in the figure: the relay finding
 * prices its hand-offs' switches apart ({@link ContextSwitchCost}). Measured on the build machine (2 vCPUs):
 * 50–110 ns per KiB, about one more streaming copy of the bytes. Needs two CPUs (with one, both threads share its
 * cache: nothing to measure). Only ever run in the reporting process ({@link HostCost#measure}).
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

    /** One round: the two-thread time less the one-thread time, per KiB; NaN when the filler did not finish. */
    private static double round(ByteBuffer source, ByteBuffer target, ByteBuffer[] ring) throws InterruptedException {
        long alone = 0;
        for (int i = 0; i < CHUNKS; i++) {
            alone += copy(source, ring[i % RING]);
            alone += copy(ring[i % RING], target);
        }
        Ring handOff = new Ring();
        Thread filler = new Thread(() -> {
            for (int i = 0; i < CHUNKS; i++) {
                while (i - handOff.used >= RING) Thread.onSpinWait();
                handOff.fillNanos += copy(source, ring[i % RING]);
                handOff.filled = i + 1;
            }
        }, "copytrace-calibration-cross-core");
        filler.setDaemon(true);
        filler.start();
        long use = 0;
        for (int i = 0; i < CHUNKS; i++) {
            while (handOff.filled <= i) {
                if (!filler.isAlive() && handOff.filled <= i) return Double.NaN;
                Thread.onSpinWait();
            }
            use += copy(ring[i % RING], target);
            handOff.used = i + 1;
        }
        filler.join(5_000);
        if (filler.isAlive()) return Double.NaN;
        return (double) (handOff.fillNanos + use - alone) / ((long) CHUNKS * CHUNK / 1024);
    }

    /** Copies {@code from} into {@code to}, whole; its time in ns. */
    private static long copy(ByteBuffer from, ByteBuffer to) {
        long t0 = System.nanoTime();
        to.clear().put(from.clear());
        return System.nanoTime() - t0;
    }

    /** The ring's two counters and the filler's time, shared by the two threads. */
    private static final class Ring {
        volatile long filled;
        volatile long used;
        volatile long fillNanos; // written by the filler only, read after join
    }
}
