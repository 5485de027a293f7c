// SPDX-License-Identifier: Apache-2.0
package io.copytrace.bench;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One benchmark workload in its own JVM: {@code BenchWorkload <name> <warm-up ms> <measure ms>}. Repeats
 * rounds of a fixed amount of work for the warm-up time (JIT compilation and the agent's start-up work
 * settle), then for at least the measuring time, and prints {@code RESULT bytes=B ops=N nanos=T cpuNanos=C}
 * for the timed rounds (CPU time of the whole process): the steady state a service that leaves the agent
 * on runs in.
 */
public final class BenchWorkload {
    static final int MiB = 1 << 20;

    private BenchWorkload() {}

    public static void main(String[] args) throws Exception {
        String name = args[0];
        Workload w = switch (name) {
            case "file-write-4k" -> BenchWorkload::fileWrites4k;
            case "socket-write-64" -> out -> socketWrites(out, 64, 200_000);
            case "socket-write-64k" -> out -> socketWrites(out, 64 * 1024, 8 * 1024);
            case "transfer-1m" -> BenchWorkload::transfers1m;
            case "broker" -> out -> broker(out);
            case "start" -> out -> 0;
            default -> throw new IllegalArgumentException("unknown workload " + name);
        };
        if (name.equals("start")) {
            System.out.println("MAIN");
            return;
        }
        long warmupNanos = Long.parseLong(args[1]) * 1_000_000;
        long measureNanos = Long.parseLong(args[2]) * 1_000_000;
        long[] ops = new long[1];
        for (long t0 = System.nanoTime(); System.nanoTime() - t0 < warmupNanos; ) w.run(ops);
        ops[0] = 0;
        long bytes = 0;
        long cpu0 = processCpu();
        long t0 = System.nanoTime();
        long nanos;
        do {
            bytes += w.run(ops);
            nanos = System.nanoTime() - t0;
        } while (nanos < measureNanos);
        long cpu = processCpu() - cpu0;
        System.out.println("RESULT bytes=" + bytes + " ops=" + ops[0] + " nanos=" + nanos + " cpuNanos=" + cpu);
    }

    /** One round of work; returns bytes moved and adds the I/O calls it made to {@code ops[0]}. */
    interface Workload {
        long run(long[] ops) throws Exception;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Path scratch(String name) throws Exception {
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        Path p = dir.resolve("copytrace-bench-" + ProcessHandle.current().pid() + "-" + name);
        p.toFile().deleteOnExit();
        return p;
    }

    /** Workload 1: 64 MiB of 4 KiB heap-buffer FileChannel writes to a tmpfs file. */
    static long fileWrites4k(long[] ops) throws Exception {
        Path f = scratch("w1");
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 64 * MiB / 4096; i++) {
                buf.clear();
                ch.write(buf, (long) i * 4096);
            }
        }
        ops[0] += 64 * MiB / 4096;
        return 64L * MiB;
    }

    /** Workloads 2 and 3: {@code count} socket writes of {@code size} bytes over loopback. */
    static long socketWrites(long[] ops, int size, int count) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            AtomicLong got = new AtomicLong();
            Thread reader = new Thread(() -> drain(server, got));
            reader.start();
            try (SocketChannel out = SocketChannel.open(server.getLocalAddress())) {
                ByteBuffer buf = ByteBuffer.allocate(size);
                for (int i = 0; i < count; i++) {
                    buf.clear();
                    while (buf.hasRemaining()) out.write(buf);
                }
            }
            reader.join();
            ops[0] += count;
            return (long) size * count;
        }
    }

    /** Workload 4: 512 MiB sent file to socket in 1 MiB transferTo calls. */
    static long transfers1m(long[] ops) throws Exception {
        Path f = scratch("w4");
        if (!Files.exists(f) || Files.size(f) != 64L * MiB) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocateDirect(64 * MiB), 0);
            }
        }
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            AtomicLong got = new AtomicLong();
            Thread reader = new Thread(() -> drain(server, got));
            reader.start();
            try (SocketChannel out = SocketChannel.open(server.getLocalAddress()); FileChannel in = FileChannel.open(f)) {
                for (int r = 0; r < 8; r++) {
                    for (long pos = 0; pos < 64L * MiB; ) {
                        long n = in.transferTo(pos, MiB, out);
                        pos += n;
                        ops[0]++;
                    }
                }
            }
            reader.join();
            return 512L * MiB;
        }
    }

    /** Workload 5: the Kafka-like broker sample, mixed produce and fetch. */
    static long broker(long[] ops) throws Exception {
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true));
        try {
            io.copytrace.samples.Sample09LogBroker.main(new String[] {"--mib=32", "--tls=off"});
        } finally {
            System.setOut(stdout);
        }
        ops[0]++;
        return 32L * MiB;
    }

    private static void drain(ServerSocketChannel server, AtomicLong got) {
        try (SocketChannel peer = server.accept()) {
            ByteBuffer b = ByteBuffer.allocateDirect(256 * 1024);
            for (int n; (n = peer.read(b)) != -1; b.clear()) got.addAndGet(n);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
