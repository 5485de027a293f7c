// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;

/**
 * Eight threads {@code holder-1…8} each write one 1 MiB heap buffer to a file and stay alive: the JDK copies
 * each through a temporary direct buffer of exactly 1 MiB, which stays cached on the thread unless
 * {@code jdk.nio.maxCachedBufferSize} is below it.
 */
final class TempBuffers {
    static final int THREADS = 8;
    static final int BYTES = 1 << 20;

    private TempBuffers() {}

    static void run(Path dir) throws Exception {
        CountDownLatch written = new CountDownLatch(THREADS);
        for (int i = 1; i <= THREADS; i++) {
            Path file = dir.resolve("holder-" + i + ".bin");
            Thread t = new Thread(() -> {
                try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    write(out);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                written.countDown();
                try {
                    Thread.sleep(Long.MAX_VALUE); // alive at the window's close, its cache with it
                } catch (InterruptedException ignored) {
                    // the JVM is exiting
                }
            }, "holder-" + i);
            t.setDaemon(true);
            t.start();
        }
        written.await();
        Workloads.truth("bytes", (long) THREADS * BYTES);
    }

    private static void write(FileChannel out) throws Exception {
        ByteBuffer heap = ByteBuffer.allocate(BYTES);
        while (heap.hasRemaining()) out.write(heap);
    }
}
