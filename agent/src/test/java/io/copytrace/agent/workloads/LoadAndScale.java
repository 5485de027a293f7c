// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Load at once, then many names. Phase 1: 64 platform threads ({@link #platformWrite}, 2,000 writes of
 * 100 bytes each) and, on JDK 21+, 10,000 virtual threads ({@link #virtualWrite}, 10 writes each) write at
 * the same time, all released by one latch. Phase 2: one thread writes one byte to each of 100,000 distinct
 * files ({@link #nameWrite}). Prints the truth and the heap in use after a full GC.
 */
final class LoadAndScale {
    static final int PLATFORM = 64;
    static final int PLATFORM_WRITES = 2_000;
    static final int VIRTUAL = 10_000;
    static final int VIRTUAL_WRITES = 10;
    static final int FILES = 100_000;

    private LoadAndScale() {}

    static void run(Path dir) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> platform = new ArrayList<>();
        for (int t = 0; t < PLATFORM; t++) {
            Path f = dir.resolve("p-" + t);
            Thread th = new Thread(() -> {
                await(go);
                ThreadChurn.writeEach(f, PLATFORM_WRITES, 100, LoadAndScale::platformWrite);
            }, "load-" + t);
            platform.add(th);
            th.start();
        }
        Method factory = virtualFactory();
        ExecutorService virtual = factory == null ? null : (ExecutorService) factory.invoke(null);
        List<Future<?>> done = new ArrayList<>();
        if (virtual != null) {
            for (int i = 0; i < VIRTUAL; i++) {
                Path f = dir.resolve("v-" + i);
                done.add(virtual.submit(() -> {
                    await(go);
                    ThreadChurn.writeEach(f, VIRTUAL_WRITES, 100, LoadAndScale::virtualWrite);
                }));
            }
        }
        go.countDown();
        for (Thread t : platform) t.join();
        for (Future<?> d : done) d.get();
        if (virtual != null) virtual.shutdown();
        Workloads.truth("platformCalls", (long) PLATFORM * PLATFORM_WRITES);
        Workloads.truth("virtualCalls", virtual == null ? 0 : (long) VIRTUAL * VIRTUAL_WRITES);

        Path names = Files.createDirectories(dir.resolve("names"));
        ByteBuffer one = ByteBuffer.allocate(1);
        for (int i = 0; i < FILES; i++) {
            Path f = names.resolve(Integer.toString(i));
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                one.clear();
                nameWrite(ch, one);
            }
            Files.delete(f);
        }
        Workloads.truth("nameCalls", FILES);
        for (int i = 0; i < 3; i++) System.gc();
        Runtime rt = Runtime.getRuntime();
        Workloads.truth("heapUsedAfterGc", rt.totalMemory() - rt.freeMemory());
    }

    private static Method virtualFactory() {
        try {
            return java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void platformWrite(FileChannel ch, ByteBuffer buf) throws Exception {
        while (buf.hasRemaining()) ch.write(buf);
    }

    static void virtualWrite(FileChannel ch, ByteBuffer buf) throws Exception {
        while (buf.hasRemaining()) ch.write(buf);
    }

    static void nameWrite(FileChannel ch, ByteBuffer buf) throws Exception {
        while (buf.hasRemaining()) ch.write(buf);
    }
}
