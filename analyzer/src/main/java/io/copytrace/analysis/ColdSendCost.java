// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * What a socket write costs the sender per KiB beyond the same write from memory in the CPU cache when the bytes it
 * copies are a file mapping's pages in no cache: a mapped send (sample 06) spent 198 ms per GiB in the kernel's copy
 * into the socket where sample 03, writing a hot 64 KiB buffer, spent 107 (by perf, over veth). 1 MiB writes of a
 * mapped temporary file twice the last-level cache ({@link StreamingCopyCost#sourceBytesHere}; its pages touched first:
 * the faults are priced apart), against the same number of writes of one 1 MiB direct buffer, alternating; the
 * sending thread's CPU time, the median of {@link #ROUNDS} rounds' differences. The figure depends on the path as the
 * small send's does ({@link SocketSendCost}): over veth on the build machine 70–230 ns per KiB by hand, over loopback
 * 0–30 (why loopback pays so little more is not known), so {@code --socket-send-peer} measures it on the path to
 * price. It is noisy: over veth the thread's CPU holds the receive softirq or not (0–211 between the reports of one
 * benchmark run). Only ever run in the reporting process ({@link HostCost#measure}).
 */
final class ColdSendCost {
    static final int WRITE = 1 << 20;
    /** Rounds of each way: an odd number, for a median. */
    static final int ROUNDS = 7;

    private ColdSendCost() {}

    /** Over a loopback pair of this process; empty when loopback TCP or the temporary file fails here. */
    static OptionalDouble measure() {
        return DrainedLoopback.measure(ColdSendCost::time);
    }

    /** To {@code peer}, a service that reads and discards what it is sent, on the path whose sends are priced. */
    static double measureTo(InetSocketAddress peer) throws IOException {
        try (SocketChannel out = SocketChannel.open(peer)) {
            return time(out);
        }
    }

    /** The median round's extra CPU per KiB of the mapping's writes over the hot buffer's. */
    private static double time(SocketChannel out) throws IOException {
        long size = StreamingCopyCost.sourceBytesHere();
        try (CalibrationFile file = CalibrationFile.create(Path.of(System.getProperty("java.io.tmpdir")), size);
             FileChannel channel = FileChannel.open(file.path)) {
            MappedByteBuffer cold = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            for (int at = 0; at < cold.capacity(); at += 4096) cold.get(at); // faulted in: faults are priced apart
            ByteBuffer hot = ByteBuffer.allocateDirect(WRITE);
            write(out, cold, hot, true); // warm-up: the JIT, the connection's buffers
            write(out, cold, hot, false);
            long[] extra = new long[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                long t0 = ThreadCpu.now();
                write(out, cold, hot, true);
                long t1 = ThreadCpu.now();
                write(out, cold, hot, false);
                extra[r] = (t1 - t0) - (ThreadCpu.now() - t1);
            }
            return Math.max(0, ThreadCpu.median(extra)) / (size / 1024.0);
        }
    }

    /** The mapping's bytes in 1 MiB writes, from its slices ({@code fromCold}) or from {@code hot} again and again. */
    private static void write(SocketChannel out, ByteBuffer cold, ByteBuffer hot, boolean fromCold) throws IOException {
        for (int at = 0; at + WRITE <= cold.capacity(); at += WRITE) {
            ByteBuffer b = fromCold ? cold.limit(at + WRITE).position(at) : hot.clear();
            while (b.hasRemaining()) out.write(b);
        }
        cold.clear();
    }
}
