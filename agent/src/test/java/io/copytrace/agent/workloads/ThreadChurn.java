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
 * same from {@link #writeVirtual} (JDK 21+; prints {@code TRUTH skipped=1} before).
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
                batch.add(new Thread(() -> taskWrite(a), "task-" + j));
                batch.add(new Thread(() -> otherWrite(b), "other-" + j));
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
        for (int i = 0; i < threads; i++) {
            Path f = dir.resolve("v-" + i);
            done.add(ex.submit(() -> virtualWrite(f)));
        }
        for (Future<?> d : done) d.get();
        ex.shutdown();
        Workloads.truth("virtualCalls", (long) threads * WRITES);
        Workloads.truth("threads", threads);
    }

    static void taskWrite(Path f) {
        write(f, 1);
    }

    static void otherWrite(Path f) {
        write(f, 2);
    }

    static void virtualWrite(Path f) {
        write(f, 3);
    }

    // The site is the first frame outside the JDK: the write itself sits in one method per caller.
    private static void write(Path f, int who) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(SIZE);
            for (int i = 0; i < WRITES; i++) {
                buf.clear();
                switch (who) {
                    case 1 -> writeTask(ch, buf);
                    case 2 -> writeOther(ch, buf);
                    default -> writeVirtual(ch, buf);
                }
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

    static void writeVirtual(FileChannel ch, ByteBuffer buf) throws Exception {
        while (buf.hasRemaining()) ch.write(buf);
    }
}
