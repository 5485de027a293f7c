// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of {@link ProcThreadsIT}: named threads doing known syscalls inside one window.
 *
 * <pre>
 * java -cp ... io.copytrace.kernel.ThreadWorkload mode=proc dir=/tmp/x
 * </pre>
 *
 * Inside the window: "writer-1" (started before) does 1,000 write() of 4 KiB to a file; "reader-1" and
 * "reader-2" (born inside) each read a 1 MiB file in 16 reads of 64 KiB plus the read that sees the
 * end; "ender-1" (started before) does 500 write() of 4 KiB and ends before the window closes;
 * "ender-2" does 300 writes, is read by {@link KernelMonitor#sampleThreads()} (after ender-1 ended),
 * then does 20 more and ends; "copytrace-aux" does 10 writes of 100 bytes. Prints {@code K path=value} lines of the window,
 * {@code TRUTH failures=[...]}, then {@code DONE}; the threads still alive are released after.
 */
public final class ThreadWorkload {
    static final int WRITER_WRITES = 1_000;
    static final int ENDER_WRITES = 500;
    static final int ENDER2_BEFORE_SAMPLE = 300;
    static final int ENDER2_AFTER_SAMPLE = 20;
    static final int BLOCK = 4096;
    static final int READ_FILE = 1 << 20;
    static final int READ_CHUNK = 64 << 10;
    static final int OWN_WRITES = 10;

    private ThreadWorkload() {
    }

    public static void main(String[] args) throws Exception {
        String mode = "proc";
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        for (String arg : args) {
            if (arg.startsWith("mode=")) {
                mode = arg.substring(5);
            } else if (arg.startsWith("dir=")) {
                dir = Files.createDirectories(Path.of(arg.substring(4)));
            }
        }
        Path readable = dir.resolve("read.bin");
        try (RandomAccessFile file = new RandomAccessFile(readable.toFile(), "rw")) {
            file.setLength(READ_FILE);
        }
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writerDone = new CountDownLatch(1);
        CountDownLatch readersDone = new CountDownLatch(2);
        FileOutputStream writerOut = new FileOutputStream(dir.resolve("writer.bin").toFile());
        FileOutputStream enderOut = new FileOutputStream(dir.resolve("ender.bin").toFile());
        FileOutputStream ender2Out = new FileOutputStream(dir.resolve("ender2.bin").toFile());
        CountDownLatch ender2Wrote = new CountDownLatch(1);
        CountDownLatch sampled = new CountDownLatch(1);
        FileOutputStream ownOut = new FileOutputStream(dir.resolve("own.bin").toFile());
        byte[] block = new byte[BLOCK];
        // Warm-up outside the window: the loops below are compiled and the monitor's classes loaded,
        // so no thread loads classes (reads jars) inside it.
        Path warm = dir.resolve("warm.bin");
        try (FileOutputStream out = new FileOutputStream(warm.toFile())) {
            writeLoop(out, block, 2_000);
        }
        for (int i = 0; i < 3; i++) {
            readAll(readable, new byte[READ_CHUNK]);
            KernelMonitor.start(options(mode)).stop();
        }
        List<Throwable> failures = new ArrayList<>();
        Thread writer = started("writer-1", failures, () -> {
            go.await();
            writeLoop(writerOut, block, WRITER_WRITES);
            writerDone.countDown();
            release.await();
        });
        Thread ender = started("ender-1", failures, () -> {
            go.await();
            writeLoop(enderOut, block, ENDER_WRITES);
        });
        Thread ender2 = started("ender-2", failures, () -> {
            go.await();
            writeLoop(ender2Out, block, ENDER2_BEFORE_SAMPLE);
            ender2Wrote.countDown();
            sampled.await();
            writeLoop(ender2Out, block, ENDER2_AFTER_SAMPLE);
        });
        Thread own = started("copytrace-aux", failures, () -> {
            go.await();
            writeLoop(ownOut, new byte[100], OWN_WRITES);
            release.await();
        });
        Thread.sleep(200); // every thread parked on the latch

        KernelMonitor monitor = KernelMonitor.start(options(mode));
        monitor.warm(); // as the agent does a second in: it must not change what the window reads
        go.countDown();
        List<Thread> readers = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            readers.add(started("reader-" + i, failures, () -> {
                readAll(readable, new byte[READ_CHUNK]);
                readersDone.countDown();
                release.await();
            }));
        }
        writerDone.await();
        readersDone.await();
        ender.join();
        awaitGoneFromProc("ender-1"); // join returns before the kernel task is gone; the sample must not see it
        ender2Wrote.await();
        monitor.sampleThreads(); // ender-1 is gone, ender-2 is read here
        sampled.countDown();
        ender2.join();
        Thread.sleep(100); // the own thread's ten writes
        KernelWindow window = monitor.stop();

        StringBuilder report = new StringBuilder();
        FlatJson.flatten(window.toJson()).forEach((key, value) -> report.append("K ").append(key).append('=')
                .append(value).append('\n'));
        report.append("TRUTH failures=").append(failures).append('\n');
        report.append("DONE\n");
        System.out.print(report);
        System.out.flush();
        release.countDown();
        writer.join();
        own.join();
        for (Thread reader : readers) {
            reader.join();
        }
    }

    /** Waits (up to 5 s) until no task of this process is named {@code name} in /proc/self/task. */
    private static void awaitGoneFromProc(String name) throws Exception {
        for (int i = 0; i < 500; i++) {
            boolean present = false;
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        if (Files.readString(task.resolve("comm")).trim().equals(name)) present = true;
                    } catch (java.io.IOException goneMeanwhile) {
                        // the task ended while we looked
                    }
                }
            }
            if (!present) return;
            Thread.sleep(10);
        }
    }

    private static KernelOptions options(String mode) {
        return new KernelOptions(KernelMode.valueOf(mode.toUpperCase()), false, 64,
                runnable -> new Thread(runnable, "copytrace-kernel-reader"));
    }

    private static void writeLoop(FileOutputStream out, byte[] block, int writes) throws Exception {
        for (int i = 0; i < writes; i++) {
            out.write(block); // one write(2) each
        }
    }

    /** Opens and reads a file to its end: size / chunk reads, and one that returns 0. */
    private static void readAll(Path file, byte[] chunk) throws Exception {
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            while (in.read(chunk) > 0) {
                // Only the calls matter.
            }
        }
    }

    interface Body {
        void run() throws Exception;
    }

    private static Thread started(String name, List<Throwable> failures, Body body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                synchronized (failures) {
                    failures.add(t);
                }
            }
        }, name);
        thread.start();
        return thread;
    }
}
