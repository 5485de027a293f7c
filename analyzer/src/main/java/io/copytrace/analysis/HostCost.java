// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a copy and a syscall cost on this host, to turn saved copies and syscalls into an estimated CPU
 * time. Reports label the result an estimate: the recorded host may differ from the reporting one.
 *
 * <p>Two copy rates: a copy that streams through memory (the kernel's copy out of the page cache, into a
 * socket buffer) and one whose memory is already in the CPU cache (the JVM's copy of a chunk the syscall just
 * wrote or is about to read, {@link io.copytrace.model.CopyModel#jvmCopyInCache}). {@code make bench-samples}
 * measured the difference: pricing a heap loop's cached JVM copies at the streaming rate over-predicted the
 * sender's saving by half (docs/samples.md, "The predicted saving, checked").
 *
 * @param memcpyBytesPerNano       streaming copy bandwidth in bytes per nanosecond (= GB/s)
 * @param syscallNanos             cost of one small write syscall through the JDK, in nanoseconds
 * @param measured                 true when calibrated on this host at report time, false when given
 * @param cachedCopyBytesPerNano   bandwidth of a copy whose memory is in the CPU cache (= GB/s)
 */
public record HostCost(double memcpyBytesPerNano, double syscallNanos, boolean measured, double cachedCopyBytesPerNano) {
    private static final int COPY_BYTES = 8 << 20; // above L2, below most L3s: a streaming copy
    private static final int CACHED_COPY_BYTES = 64 << 10; // a typical I/O chunk, copied again and again: in cache
    private static final int SYSCALLS = 4_000;
    private static final int ROUNDS = 5;

    /** One copy rate for both kinds of copy. */
    public HostCost(double memcpyBytesPerNano, double syscallNanos, boolean measured) {
        this(memcpyBytesPerNano, syscallNanos, measured, memcpyBytesPerNano);
    }

    /** Fixed costs, e.g. from the command line or for reproducible (golden) reports: one copy rate for both. */
    public static HostCost fixed(double memcpyGigabytesPerSecond, double syscallNanos) {
        return new HostCost(memcpyGigabytesPerSecond, syscallNanos, false);
    }

    /**
     * Calibrates on this host: the best of a few 8 MiB array copies, the best of 64 KiB copies repeated over
     * 64 MiB, and the best round of 1-byte writes to /dev/null (~30 ms). Best, not mean: on a busy host a
     * mean prices the other processes' time slices too.
     */
    public static HostCost measure() {
        byte[] a = new byte[COPY_BYTES];
        byte[] b = new byte[COPY_BYTES];
        long best = Long.MAX_VALUE, bestCached = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            System.arraycopy(a, 0, b, 0, COPY_BYTES);
            best = Math.min(best, System.nanoTime() - t0);
        }
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            for (int n = 0; n < 1024; n++) System.arraycopy(a, 0, b, 0, CACHED_COPY_BYTES);
            bestCached = Math.min(bestCached, System.nanoTime() - t0);
        }
        double bytesPerNano = (double) COPY_BYTES / Math.max(1, best);
        double cachedBytesPerNano = Math.max(bytesPerNano, 1024.0 * CACHED_COPY_BYTES / Math.max(1, bestCached));
        double syscall = 250; // a typical figure when /dev/null is not writable
        try (FileChannel devNull = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocateDirect(1);
            for (int i = 0; i < 2_000; i++) devNull.write(one.clear());
            long bestRound = Long.MAX_VALUE;
            for (int r = 0; r < ROUNDS; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < SYSCALLS; i++) devNull.write(one.clear());
                bestRound = Math.min(bestRound, System.nanoTime() - t0);
            }
            syscall = (double) bestRound / SYSCALLS;
        } catch (IOException | UnsupportedOperationException ignored) {
            // keep the typical figure
        }
        return new HostCost(bytesPerNano, syscall, true, cachedBytesPerNano);
    }

    /** Estimated CPU nanoseconds for copying {@code bytes} (streaming) and making {@code syscalls} syscalls. */
    public long nanos(long bytes, long syscalls) {
        return nanos(bytes, 0, syscalls);
    }

    /**
     * Estimated CPU nanoseconds for copying {@code bytes}, of which {@code inCache} run in the CPU cache (at most
     * {@code bytes}), and making {@code syscalls} syscalls.
     */
    public long nanos(long bytes, long inCache, long syscalls) {
        long all = Math.max(0, bytes);
        long cached = Math.min(all, Math.max(0, inCache));
        return Math.round((all - cached) / memcpyBytesPerNano + cached / cachedCopyBytesPerNano
                + Math.max(0, syscalls) * syscallNanos);
    }
}
