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
 * One benchmark workload in its own JVM: {@code BenchWorkload <name> <warm-up ms> <measure ms> [<steady ms>]}.
 * Repeats rounds of a fixed amount of work for the warm-up time (class loading and the agent's start-up work
 * settle), then for at least the measuring time, and prints
 * {@code RESULT bytes=B ops=N nanos=T cpuNanos=C rounds=R peakRssKb=K jitMs=J} for the timed rounds (CPU time of
 * the whole process; peak resident set of the JVM's life so far, VmHWM; the JIT compilers' time in the window):
 * a service's first seconds, the JIT still compiling. With a steady time it then runs on until that long after the
 * warm-up began and prints a {@code STEADY} line for a second window of the same length: the steady state a service
 * that leaves the agent on runs in. A workload this JVM cannot run prints one line {@code SKIP <why>} instead
 * (vthreads-512 on a JDK before 21). {@code BenchWorkload <name> inplace <rounds>}: the agent's price in place
 * ({@link InPlaceCost}).
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
            case "vthreads-512" -> BenchWorkload::virtualThreads512;
            case "netty-chunked-nio" -> out -> netty().round(out);
            case "start", "exit", "exit-soon" -> out -> 0;
            default -> throw new IllegalArgumentException("unknown workload " + name);
        };
        if (name.equals("vthreads-512") && VIRTUAL_EXECUTOR == null) {
            System.out.println("SKIP vthreads-512 needs JDK 21+ (virtual threads); this is "
                    + System.getProperty("java.version"));
            return;
        }
        if (name.equals("start")) {
            System.out.println("MAIN");
            return;
        }
        if (name.startsWith("exit")) { // a short service: some I/O, a pause, then main ends right after END
            fileWrites4k(new long[1]);
            // exit-soon: a JVM that ends before the agent's warm-up has rehearsed its close (a command-line tool)
            if (name.equals("exit")) Thread.sleep(1500);
            System.out.println("END");
            return;
        }
        if (args[1].equals("inplace")) {
            InPlaceCost.run(name, w, Integer.parseInt(args[2]));
            return;
        }
        long warmupNanos = Long.parseLong(args[1]) * 1_000_000;
        long measureNanos = Long.parseLong(args[2]) * 1_000_000;
        long steadyNanos = args.length > 3 ? Long.parseLong(args[3]) * 1_000_000 : 0;
        long[] ops = new long[1];
        // The measuring's own first use (management classes, their cgroup file reads) before the warm-up, not at
        // the measured window's start: with the agent, that first I/O of a new kind deoptimised the probe's
        // compiled paths right as the window began (file-write-4k).
        processCpu();
        jitMs();
        peakRssKb();
        long start = System.nanoTime();
        runUntil(w, ops, start + warmupNanos);
        System.out.println(window("RESULT", w, ops, measureNanos));
        if (steadyNanos > 0) { // the steady state: the same window again once the JIT has had time to settle
            runUntil(w, ops, start + steadyNanos);
            System.out.println(window("STEADY", w, ops, measureNanos));
        }
        if (netty != null) netty.close();
    }

    static void runUntil(Workload w, long[] ops, long deadline) throws Exception {
        while (System.nanoTime() - deadline < 0) w.run(ops);
    }

    /** Runs rounds for at least {@code measureNanos} and returns their line: {@code <label> bytes=... jitMs=...}. */
    private static String window(String label, Workload w, long[] ops, long measureNanos) throws Exception {
        ops[0] = 0;
        long bytes = 0;
        long cpu0 = processCpu();
        long jit0 = jitMs();
        long t0 = System.nanoTime();
        long nanos;
        long rounds = 0;
        do {
            bytes += w.run(ops);
            rounds++;
            nanos = System.nanoTime() - t0;
        } while (nanos < measureNanos);
        long cpu = processCpu() - cpu0;
        long jit = jit0 < 0 ? -1 : jitMs() - jit0;
        return label + " bytes=" + bytes + " ops=" + ops[0] + " nanos=" + nanos + " cpuNanos=" + cpu
                + " rounds=" + rounds + " peakRssKb=" + peakRssKb() + " jitMs=" + jit;
    }

    /** The JVM's peak resident set so far (VmHWM), in KiB; -1 where /proc is not there. */
    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }

    /** One round of work; returns bytes moved and adds the I/O calls it made to {@code ops[0]}. */
    interface Workload {
        long run(long[] ops) throws Exception;
    }

    /**
     * The JIT compilers' time so far, in ms (their threads' time summed), or -1 where the JVM does not say: compiles in
     * the measured window are warm-up the window did not leave behind (the agent's inlined hooks recompile the JDK
     * methods they sit in).
     */
    private static long jitMs() {
        java.lang.management.CompilationMXBean c = ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : -1;
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

    /** The property that makes the socket workloads spin this many ns after each write ({@code Bench}'s calibration). */
    static final String SPIN_PROPERTY = "copytrace.bench.spinNanos";
    private static final long SPIN_NANOS = Long.getLong(SPIN_PROPERTY, 0);
    /** Iterations of {@link #spinFor} that take {@link #SPIN_NANOS}, measured once at start (not a clock per call). */
    private static final long SPIN_ITERATIONS = SPIN_NANOS <= 0 ? 0 : Math.round(SPIN_NANOS / nanosPerIteration());
    static volatile long spinSink;

    /** Busy work of about {@link #SPIN_NANOS} ns on the calling thread, standing in for a fixed price per call. */
    private static void spin() {
        if (SPIN_ITERATIONS > 0) spinSink = spinFor(SPIN_ITERATIONS);
    }

    /** A chain of dependent multiply-adds: its time is its length (~0.85 ns per step on this project's VM). */
    private static long spinFor(long iterations) {
        long x = 1;
        for (long i = 0; i < iterations; i++) x = x * 31 + i;
        return x;
    }

    private static double nanosPerIteration() {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long t0 = System.nanoTime();
            spinSink = spinFor(20_000_000);
            best = Math.min(best, (System.nanoTime() - t0) / 2e7);
        }
        return best;
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
                    spin();
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

    /** {@code Executors.newVirtualThreadPerTaskExecutor} (JDK 21+), found by reflection: this module targets 17. */
    static final java.lang.reflect.Method VIRTUAL_EXECUTOR = virtualExecutor();
    static final int VTHREADS = 10_000;
    static final int VTHREAD_WRITES = 20;

    private static java.lang.reflect.Method virtualExecutor() {
        try {
            return java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /**
     * Workload 6 (JDK 21+): a virtual thread per task. Each round starts 10 000 virtual threads; each creates its
     * own file on tmpfs, writes 20 heap buffers of 512 B to it with a FileChannel, closes and deletes it (at
     * most ~10 KiB per file, and only files of running tasks exist).
     */
    static long virtualThreads512(long[] ops) throws Exception {
        Path dir = scratch("vt");
        Files.createDirectories(dir);
        java.util.concurrent.ExecutorService ex = (java.util.concurrent.ExecutorService) VIRTUAL_EXECUTOR.invoke(null);
        java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>(VTHREADS);
        try {
            for (int t = 0; t < VTHREADS; t++) {
                Path f = dir.resolve(String.valueOf(t));
                done.add(ex.submit(() -> {
                    ByteBuffer buf = ByteBuffer.allocate(512);
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)) {
                        for (int i = 0; i < VTHREAD_WRITES; i++) {
                            buf.clear();
                            while (buf.hasRemaining()) ch.write(buf);
                        }
                    }
                    Files.delete(f);
                    return null;
                }));
            }
        } finally {
            ex.shutdown();
            if (!ex.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES)) throw new IllegalStateException("stuck");
        }
        for (java.util.concurrent.Future<?> d : done) d.get(); // rethrows a task's failure
        Files.delete(dir);
        ops[0] += (long) VTHREADS * VTHREAD_WRITES;
        return (long) VTHREADS * VTHREAD_WRITES * 512;
    }

    private static BenchNetty netty;

    /** Workload 7: the Netty ChunkedNioFile file server, started by the first round. */
    private static BenchNetty netty() throws Exception {
        if (netty == null) netty = new BenchNetty(scratch("netty-4m"));
        return netty;
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
