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
 * @param memcpyBytesPerNano memcpy bandwidth in bytes per nanosecond (= GB/s)
 * @param syscallNanos       cost of one small write syscall through the JDK, in nanoseconds
 * @param measured           true when calibrated on this host at report time, false when given
 */
public record HostCost(double memcpyBytesPerNano, double syscallNanos, boolean measured) {
    private static final int COPY_BYTES = 8 << 20; // above L2, below most L3s: a streaming copy
    private static final int SYSCALLS = 20_000;

    /** Fixed costs, e.g. from the command line or for reproducible (golden) reports. */
    public static HostCost fixed(double memcpyGigabytesPerSecond, double syscallNanos) {
        return new HostCost(memcpyGigabytesPerSecond, syscallNanos, false);
    }

    /** Calibrates on this host: best of a few 8 MiB array copies, and 1-byte writes to /dev/null (~20 ms). */
    public static HostCost measure() {
        byte[] a = new byte[COPY_BYTES];
        byte[] b = new byte[COPY_BYTES];
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            System.arraycopy(a, 0, b, 0, COPY_BYTES);
            best = Math.min(best, System.nanoTime() - t0);
        }
        double bytesPerNano = (double) COPY_BYTES / Math.max(1, best);
        double syscall = 250; // a typical figure when /dev/null is not writable
        try (FileChannel devNull = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocateDirect(1);
            for (int i = 0; i < 2_000; i++) devNull.write(one.clear());
            long t0 = System.nanoTime();
            for (int i = 0; i < SYSCALLS; i++) devNull.write(one.clear());
            syscall = (double) (System.nanoTime() - t0) / SYSCALLS;
        } catch (IOException | UnsupportedOperationException ignored) {
            // keep the typical figure
        }
        return new HostCost(bytesPerNano, syscall, true);
    }

    /** Estimated CPU nanoseconds for copying {@code bytes} and making {@code syscalls} syscalls. */
    public long nanos(long bytes, long syscalls) {
        return Math.round(Math.max(0, bytes) / memcpyBytesPerNano + Math.max(0, syscalls) * syscallNanos);
    }
}
