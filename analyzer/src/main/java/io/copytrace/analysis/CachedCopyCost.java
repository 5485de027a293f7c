// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.nio.ByteBuffer;

/**
 * What the JVM's own copy of an I/O chunk in the CPU cache costs on this host: the copy {@code IOUtil} makes around
 * each heap-buffer read and write, between a 64 KiB heap buffer and a reused temporary direct buffer, both ways, by
 * wall time, best of {@link #ROUNDS} rounds of 32 MiB each way. That is the rate a saved JVM copy of a chunk the
 * syscall has just written (or is about to read) is priced at ({@link io.copytrace.model.CopyModel#jvmCopyInCache}).
 * Until session 25 the figure was a {@code System.arraycopy} between two 64 KiB heap arrays, a copy no I/O path
 * makes: on the build machine it read 14–28 GB/s in the reports of one hour, where this copy read 28–37 and sample
 * 02's two JVM copies per byte, measured as its saving less sample 03's, cost 29–49 GB/s
 * (docs/bench/session25-cached-copy.md). Allocates one 64 KiB heap buffer and one 64 KiB direct buffer, no file and no
 * thread: it runs in the app's JVM too ({@link HostCost#measureInApp}).
 */
final class CachedCopyCost {
    static final int CHUNK = 64 << 10;
    static final int ROUNDS = 16;
    /** Round trips per round: 32 MiB each way. */
    static final int TRIPS = 512;

    private CachedCopyCost() {}

    /** Bytes per nanosecond (= GB/s) of the JVM's copy of a 64 KiB chunk between heap and native memory. */
    static double measure() {
        ByteBuffer heap = ByteBuffer.allocate(CHUNK);
        ByteBuffer direct = ByteBuffer.allocateDirect(CHUNK);
        long best = Long.MAX_VALUE;
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < TRIPS; i++) {
                direct.clear().put(heap.clear()); // a write's copy: heap -> temporary direct buffer
                heap.clear().put(direct.flip()); // a read's copy: temporary direct buffer -> heap
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        return 2.0 * TRIPS * CHUNK / Math.max(1, best);
    }
}
