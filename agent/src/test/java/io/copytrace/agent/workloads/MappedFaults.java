// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.io.FileOutputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mapped files written to a loopback socket: a fresh 32 MiB file mapped and written as it is (its pages fault
 * in inside the writes), and another loaded first (they fault in inside load, the writes take none). Prints the
 * thread's own page faults around each step, as the kernel counts them in {@code /proc/thread-self/stat}:
 * {@code TRUTH cold.minor}, {@code loaded.minor}, {@code load.minor} and the {@code .major} ones; with each
 * step its window on {@link System#nanoTime()} ({@code .from}, {@code .to}) and the thread's id ({@code tid}),
 * for a test that takes the JVM's own page commits out of the count. With {@code -Ddrop=true} (root) the first
 * file is dropped from the page cache before it is mapped.
 */
final class MappedFaults {
    static final int FILE_BYTES = 32 << 20;

    private MappedFaults() {}

    static void run(Path dir) throws Exception {
        AtomicLong received = new AtomicLong();
        try (SocketChannel out = Workloads.drainedConnection(received)) {
            try (FileChannel warm = FileChannel.open(fresh(dir, "warm.bin", 4096))) {
                warmUpWrite(out, warm.map(FileChannel.MapMode.READ_ONLY, 0, 4096)); // classes, JNA: not measured below
                awaitFaultReader();
                String stat = stat();
                Workloads.truth("tid", Long.parseLong(stat.substring(0, stat.indexOf(' '))));
            }
            try (FileChannel in = FileChannel.open(fresh(dir, "cold.bin", FILE_BYTES))) {
                if (Boolean.getBoolean("drop")) dropPageCache(in);
                MappedByteBuffer map = in.map(FileChannel.MapMode.READ_ONLY, 0, FILE_BYTES);
                long[] before = opening();
                while (map.hasRemaining()) coldWrite(out, map);
                truths("cold", before, closing());
            }
            try (FileChannel in = FileChannel.open(fresh(dir, "loaded.bin", FILE_BYTES))) {
                MappedByteBuffer map = in.map(FileChannel.MapMode.READ_ONLY, 0, FILE_BYTES);
                long[] before = opening();
                load(map);
                truths("load", before, closing());
                before = opening();
                while (map.hasRemaining()) loadedWrite(out, map);
                truths("loaded", before, closing());
            }
            out.shutdownOutput();
            Workloads.awaitReceived(received, 4096 + 2L * FILE_BYTES);
        }
        Workloads.truth("received", received.get());
    }

    /** A file of {@code bytes} just written (its pages in the page cache, none of them mapped yet). */
    private static Path fresh(Path dir, String name, int bytes) throws Exception {
        Path p = dir.resolve(name);
        ByteBuffer chunk = ByteBuffer.allocateDirect(Math.min(bytes, 1 << 20));
        for (int i = 0; i < chunk.capacity(); i += 8) chunk.putLong(i, i * 0x9E3779B97F4A7C15L);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int n = 0; n < bytes; n += chunk.capacity()) ch.write(chunk.clear());
        }
        return p;
    }

    /** Drops the file from the page cache (root): the cold writes then read it from storage, as major faults. */
    private static void dropPageCache(FileChannel file) throws Exception {
        file.force(true); // drop_caches drops clean pages only
        try (FileOutputStream drop = new FileOutputStream("/proc/sys/vm/drop_caches")) {
            drop.write('1');
        }
    }

    /** The agent loads its fault reader on a thread of its own at the first mapped call: wait for it. */
    private static void awaitFaultReader() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("copytrace-faults")) t.join(30_000);
        }
    }

    static void warmUpWrite(SocketChannel out, ByteBuffer b) throws Exception {
        while (b.hasRemaining()) out.write(b);
    }

    static void coldWrite(SocketChannel out, ByteBuffer b) throws Exception {
        out.write(b);
    }

    static void load(MappedByteBuffer b) {
        b.load();
    }

    static void loadedWrite(SocketChannel out, ByteBuffer b) throws Exception {
        out.write(b);
    }

    private static void truths(String step, long[] before, long[] after) {
        Workloads.truth(step + ".minor", after[0] - before[0]);
        Workloads.truth(step + ".major", after[1] - before[1]);
        Workloads.truth(step + ".from", before[2]);
        Workloads.truth(step + ".to", after[2]);
    }

    /** A step's window opens: the time, then the thread's faults. */
    private static long[] opening() throws Exception {
        long from = System.nanoTime();
        long[] f = faults();
        return new long[] {f[0], f[1], from};
    }

    /** A step's window closes: the thread's faults, then the time (the window spans both reads). */
    private static long[] closing() throws Exception {
        long[] f = faults();
        return new long[] {f[0], f[1], System.nanoTime()};
    }

    /** minflt and majflt of this thread: fields 10 and 12 of its stat line, after the command's parenthesis. */
    private static long[] faults() throws Exception {
        String stat = stat();
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[7]), Long.parseLong(f[9])};
    }

    private static String stat() throws Exception {
        return new String(Files.readAllBytes(Path.of("/proc/thread-self/stat")));
    }
}
