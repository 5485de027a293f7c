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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Threads that live for a few calls: a thread per task. {@code churn-platform}: 300 "task-N" and 300
 * "other-N" platform threads, started alternately ten at a time, each making 20 heap writes of 512 bytes
 * to its own file from its own method ({@link #writeTask}, {@link #writeOther}): the same operation and row
 * key from two places, told apart only by the stack. {@code churn-virtual}: 2,000 virtual threads doing the
 * same from {@link #writeVirtual}, yielding after each write, all alive until every one has written (JDK 21+;
 * prints {@code TRUTH skipped=1} before).
 */
final class ThreadChurn {
    static final int WRITES = 20;
    static final int SIZE = 512;

    private ThreadChurn() {}

    static void run(String scenario, Path dir) throws Exception {
        if (scenario.equals("churn-platform")) {
            platform(dir);
        } else {
            virtual(dir);
        }
    }

    private static void platform(Path dir) throws Exception {
        int perGroup = 300;
        for (int i = 0; i < perGroup; i += 5) {
            List<Thread> batch = new ArrayList<>();
            for (int j = i; j < i + 5; j++) {
                Path a = dir.resolve("task-" + j);
                Path b = dir.resolve("other-" + j);
                batch.add(new Thread(() -> writeEach(a, WRITES, SIZE, ThreadChurn::writeTask), "task-" + j));
                batch.add(new Thread(() -> writeEach(b, WRITES, SIZE, ThreadChurn::writeOther), "other-" + j));
            }
            for (Thread t : batch) t.start();
            for (Thread t : batch) t.join();
        }
        Workloads.truth("taskCalls", (long) perGroup * WRITES);
        Workloads.truth("otherCalls", (long) perGroup * WRITES);
        Workloads.truth("threads", 2L * perGroup);
    }

    private static void virtual(Path dir) throws Exception {
        Method factory;
        try {
            factory = java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            Workloads.truth("skipped", 1);
            return;
        }
        int threads = 2000;
        ExecutorService ex = (ExecutorService) factory.invoke(null);
        List<Future<?>> done = new ArrayList<>();
        // Every thread stays alive until all have written: a burst of 2,000 live virtual threads, as a server
        // with a virtual thread per connection has (more than a small table of thread states holds).
        java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            Path f = dir.resolve("v-" + i);
            done.add(ex.submit(() -> {
                writeEach(f, WRITES, SIZE, ThreadChurn::writeVirtual);
                written.countDown();
                written.await();
                return null;
            }));
        }
        for (Future<?> d : done) d.get();
        ex.shutdown();
        Workloads.truth("virtualCalls", (long) threads * WRITES);
        Workloads.truth("threads", threads);
    }

    /** One write call at a site of its own: the site is the first frame outside the JDK, this method. */
    interface SiteWrite {
        void write(FileChannel ch, ByteBuffer buf) throws Exception;
    }

    /** Opens {@code f}, makes {@code writes} writes of {@code size} bytes through {@code site}, deletes it. */
    static void writeEach(Path f, int writes, int size, SiteWrite site) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(size);
            for (int i = 0; i < writes; i++) {
                buf.clear();
                site.write(ch, buf);
            }
            Files.delete(f);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void writeTask(FileChannel ch, ByteBuffer buf) throws Exception {
        while (buf.hasRemaining()) ch.write(buf);
    }

    static void writeOther(FileChannel ch, ByteBuffer buf) throws Exception {
        while (buf.hasRemaining()) ch.write(buf);
    }

    /**
     * Yields its carrier after each write, so the thread's next write may run on another carrier: a virtual
     * thread's counts must follow it to the carrier it is on (its carrier's counters are plain stores).
     */
    static void writeVirtual(FileChannel ch, ByteBuffer buf) throws Exception {
        while (buf.hasRemaining()) ch.write(buf);
        Thread.yield();
    }
}
