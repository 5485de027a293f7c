// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of the integration tests: a workload of known shape between
 * {@link KernelMonitor#start} and {@link KernelMonitor#stop}.
 *
 * <pre>
 * java -cp ... io.copytrace.kernel.Workload mode=perf samples=false pages=64 handshake=true dir=/tmp/x
 * </pre>
 *
 * Shape: {@code writes} writes of {@code writeSize} bytes to one file (as fast as possible, or paced
 * evenly over {@code spreadMillis}), one {@code transferMiB} MiB
 * {@code FileChannel.transferTo} to a loopback socket (drained by a reader thread), {@code maps}
 * {@code FileChannel.map} calls. Prints {@code K path=value} lines of the window and
 * {@code TRUTH key=value} lines of its own, then {@code DONE}.
 * With {@code handshake=true} it prints {@code READY} and waits for {@code GO} on stdin before the
 * window, and for {@code EXIT} after {@code DONE}, so a test can attach strace around exactly it.
 */
public final class Workload {
    private Workload() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("mode", "perf", "samples", "false", "pages", "64",
                "handshake", "false", "writes", "10000", "writeSize", "4096", "transferMiB", "64", "maps", "100",
                "monitor", "true", "spreadMillis", "0"));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Path dir = Files.createDirectories(Path.of(options.getOrDefault("dir", System.getProperty("java.io.tmpdir"))));
        int writes = Integer.parseInt(options.get("writes"));
        int writeSize = Integer.parseInt(options.get("writeSize"));
        long transferBytes = Long.parseLong(options.get("transferMiB")) << 20;
        int maps = Integer.parseInt(options.get("maps"));
        KernelOptions kernelOptions = new KernelOptions(KernelMode.valueOf(options.get("mode").toUpperCase()),
                Boolean.parseBoolean(options.get("samples")), Integer.parseInt(options.get("pages")),
                runnable -> new Thread(runnable, "copytrace-kernel-reader"), new SlicePlan(
                Long.parseLong(options.getOrDefault("sliceMillis", "" + SlicePlan.DEFAULT.sliceMillis())),
                Long.parseLong(options.getOrDefault("periodMillis", "" + SlicePlan.DEFAULT.periodMillis())),
                Long.parseLong(options.getOrDefault("headMillis", "" + SlicePlan.DEFAULT.headMillis()))));
        long spreadNanos = Long.parseLong(options.get("spreadMillis")) * 1_000_000;
        boolean monitor = Boolean.parseBoolean(options.get("monitor"));

        // Set-up, outside the window: files, the socket pair and its drain thread.
        Path written = dir.resolve("writes.bin");
        Path source = dir.resolve("source.bin");
        Path mapped = dir.resolve("mapped.bin");
        try (RandomAccessFile file = new RandomAccessFile(source.toFile(), "rw")) {
            file.setLength(transferBytes + (1 << 20));
        }
        try (RandomAccessFile file = new RandomAccessFile(mapped.toFile(), "rw")) {
            file.setLength((long) (maps + 1) * 4096);
        }
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        SocketChannel client = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                server.getLocalPort()));
        Socket accepted = server.accept();
        AtomicLong drained = new AtomicLong();
        Thread drain = new Thread(() -> {
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = accepted.getInputStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    drained.addAndGet(n);
                }
            } catch (Exception e) {
                // Socket closed at exit.
            }
        }, "drain");
        drain.setDaemon(true);
        drain.start();
        FileOutputStream out = new FileOutputStream(written.toFile());
        FileChannel sourceChannel = FileChannel.open(source, StandardOpenOption.READ);
        FileChannel mapChannel = FileChannel.open(mapped, StandardOpenOption.READ);
        List<MappedByteBuffer> keep = new ArrayList<>();
        byte[] block = new byte[writeSize];

        // Warm-up: loads JNA, links every class and JIT-compiles the loops, so the window has no
        // class-loading mmap/read calls of its own.
        for (int round = 0; round < 3; round++) {
            KernelMonitor.start(kernelOptions).stop();
        }
        runWorkload(Math.min(writes, 200), out, block, sourceChannel, 1 << 20, client, mapChannel, Math.min(maps, 5), keep, 0,
                spreadNanos > 0 ? 1_000_000 : 0);
        out.getChannel().position(0);
        // Let the JIT finish compiling what the warm-up made hot: its compiler threads allocate
        // (mmap) as they go, and those calls belong to no window.
        Thread.sleep(Long.parseLong(options.getOrDefault("settleMillis", "1000")));

        boolean handshake = Boolean.parseBoolean(options.get("handshake"));
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        if (handshake) {
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            if (!"GO".equals(stdin.readLine())) {
                return;
            }
        }
        long startNanos = System.nanoTime();
        KernelMonitor kernel = monitor ? KernelMonitor.start(kernelOptions) : null;
        runWorkload(writes, out, block, sourceChannel, transferBytes, client, mapChannel, maps, keep, 1 << 20, spreadNanos);
        KernelWindow window = kernel == null ? null : kernel.stop();
        long elapsed = System.nanoTime() - startNanos;

        StringBuilder report = new StringBuilder();
        if (window != null) {
            FlatJson.flatten(window.toJson()).forEach((key, value) -> report.append("K ").append(key).append('=')
                    .append(value).append('\n'));
        }
        report.append("TRUTH writtenPath=").append(written).append('\n');
        report.append("TRUTH elapsedNanos=").append(elapsed).append('\n');
        report.append("DONE\n");
        // One write() for the whole report: the only syscall strace sees after the window.
        System.out.print(report);
        System.out.flush();
        if (handshake) {
            stdin.readLine();
        }
        out.close();
        client.close();
    }

    private static void runWorkload(int writes, FileOutputStream out, byte[] block, FileChannel source,
                                    long transferBytes, SocketChannel client, FileChannel mapChannel, int maps,
                                    List<MappedByteBuffer> keep, long sourceOffset, long spreadNanos) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < writes; i++) {
            out.write(block);
            // Paced (spreadMillis > 0): write i is due at start + i/writes of the spread, a steady rate.
            long ahead = start + spreadNanos * (i + 1) / writes - System.nanoTime();
            if (ahead > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(ahead);
            }
        }
        for (long sent = 0; sent < transferBytes; ) {
            sent += source.transferTo(sourceOffset + sent, transferBytes - sent, client);
        }
        for (int i = 0; i < maps; i++) {
            keep.add(mapChannel.map(FileChannel.MapMode.READ_ONLY, (long) i * 4096, 4096));
        }
    }
}
