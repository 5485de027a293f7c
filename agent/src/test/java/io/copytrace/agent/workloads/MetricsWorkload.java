// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import static io.copytrace.agent.workloads.Workloads.KiB;
import static io.copytrace.agent.workloads.Workloads.MiB;
import static io.copytrace.agent.workloads.Workloads.truth;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * For {@code /metrics}: file I/O at two sites of different weight (40 MiB written from a heap buffer, 8 MiB read
 * into a direct one), then the file {@code ready} (made without data I/O, after every count is in), then no I/O
 * at all until the file {@code stop} appears (at most 120 s), so what a scrape reads is what the recording says.
 */
final class MetricsWorkload {
    static final int WRITES = 40;
    static final int READS = 128;

    private MetricsWorkload() {}

    static void run(Path dir) throws Exception {
        try (FileChannel ch = FileChannel.open(dir.resolve("metrics-data"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer heap = ByteBuffer.allocate(MiB);
            long written = 0;
            long writeCalls = 0;
            for (int i = 0; i < WRITES; i++) {
                heap.clear();
                while (heap.hasRemaining()) {
                    written += metricsHeapWrite(ch, heap);
                    writeCalls++;
                }
            }
            ch.position(0);
            ByteBuffer direct = ByteBuffer.allocateDirect(64 * KiB);
            long read = 0;
            for (int i = 0; i < READS; i++) {
                direct.clear();
                read += metricsDirectRead(ch, direct);
            }
            truth("written", written);
            truth("writeCalls", writeCalls);
            truth("read", read);
            truth("readCalls", READS);
        }
        System.out.flush();
        Files.createFile(dir.resolve("ready"));
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(dir.resolve("stop")) && System.nanoTime() < deadline) Thread.sleep(10);
    }

    static int metricsHeapWrite(FileChannel ch, ByteBuffer buf) throws Exception {
        return ch.write(buf);
    }

    static int metricsDirectRead(FileChannel ch, ByteBuffer buf) throws Exception {
        return ch.read(buf);
    }
}
