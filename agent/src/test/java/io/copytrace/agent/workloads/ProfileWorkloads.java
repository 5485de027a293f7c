// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.io.FileOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Workloads for {@code profile=cpu}: long enough (about a second) for thousands of CPU samples. The same file
 * goes to a loopback socket through a heap buffer (read + two JVM copies + write: copy-heavy) or with
 * {@code transferTo} (sendfile: no copy on the sending side); the receiving side is another process.
 */
final class ProfileWorkloads {
    static final long FILE_SIZE = 256L * Workloads.MiB;
    static final int ROUNDS = 4;

    private ProfileWorkloads() {}

    static void run(String scenario, Path dir) throws Exception {
        switch (scenario) {
            case "profile-heap-send" -> send(dir, false);
            case "profile-transfer-send" -> send(dir, true);
            case "profile-stream-copy" -> streamCopy(dir);
            case "profile-sink" -> sink();
            case "profile-check" -> check(dir);
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }

    /**
     * {@link #FILE_SIZE} × {@link #ROUNDS} bytes from a file to a loopback socket. The receiving end is another
     * process (a JVM running {@code profile-sink}), so its copies do not dilute the sender's profile.
     */
    static void send(Path dir, boolean transferTo) throws Exception {
        Path src = Workloads.sparse(dir, "profile-src", FILE_SIZE);
        Process sink = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Workloads.class.getName(), "profile-sink", dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int port;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(sink.getInputStream()))) {
            port = Integer.parseInt(r.readLine().trim());
            long total = 0;
            long start = System.nanoTime();
            try (SocketChannel out = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                 FileChannel in = FileChannel.open(src)) {
                for (int round = 0; round < ROUNDS; round++) {
                    total += transferTo ? sendWithTransferTo(in, out) : sendWithHeapBuffer(in, out);
                }
            }
            Workloads.truth("sendMillis", (System.nanoTime() - start) / 1_000_000);
            Workloads.truth("bytes", total);
            Workloads.truth("received", Long.parseLong(r.readLine().trim()));
        }
        sink.waitFor();
    }

    /** The receiving process: prints its port, drains one connection, prints the bytes received. */
    static void sink() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            System.out.println(((InetSocketAddress) server.getLocalAddress()).getPort());
            System.out.flush();
            System.out.println(drain(server));
        }
    }

    static long sendWithHeapBuffer(FileChannel in, SocketChannel out) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(64 * Workloads.KiB);
        long total = 0;
        for (long pos = 0; heapRead(in, buf, pos) > 0; pos += buf.limit()) {
            buf.flip();
            while (buf.hasRemaining()) total += heapWrite(out, buf);
            buf.clear();
        }
        return total;
    }

    static int heapRead(FileChannel in, ByteBuffer buf, long pos) throws Exception {
        return in.read(buf, pos);
    }

    static int heapWrite(SocketChannel out, ByteBuffer buf) throws Exception {
        return out.write(buf);
    }

    static long sendWithTransferTo(FileChannel in, SocketChannel out) throws Exception {
        long size = in.size();
        long pos = 0;
        while (pos < size) pos += in.transferTo(pos, size - pos, out);
        return pos;
    }

    /** The receiving side of both variants: a direct buffer. */
    static long drain(ServerSocketChannel server) {
        try (SocketChannel in = server.accept()) {
            ByteBuffer buf = ByteBuffer.allocateDirect(256 * Workloads.KiB);
            long total = 0;
            for (int n; (n = receive(in, buf)) >= 0; buf.clear()) total += n;
            return total;
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    static int receive(SocketChannel in, ByteBuffer buf) throws Exception {
        return in.read(buf);
    }

    /** java.io streams through a byte[]: the JDK copies each chunk with JNI array region copies. */
    static void streamCopy(Path dir) throws Exception {
        Path src = Workloads.sparse(dir, "profile-stream-src", FILE_SIZE);
        long total = 0;
        for (int round = 0; round < 2; round++) {
            try (FileInputStream in = new FileInputStream(src.toFile());
                 FileOutputStream out = new FileOutputStream(dir.resolve("profile-stream-dst").toFile())) {
                byte[] buf = new byte[64 * Workloads.KiB];
                for (int n; (n = streamRead(in, buf)) > 0; total += n) streamWrite(out, buf, n);
            }
        }
        Workloads.truth("bytes", total);
    }

    static int streamRead(FileInputStream in, byte[] buf) throws Exception {
        return in.read(buf);
    }

    static void streamWrite(FileOutputStream out, byte[] buf, int n) throws Exception {
        out.write(buf, 0, n);
    }

    /** Some I/O, then whether async-profiler's library is mapped into this JVM. */
    static void check(Path dir) throws Exception {
        Path f = dir.resolve("check");
        Files.write(f, new byte[64 * Workloads.KiB]);
        Workloads.truth("bytes", Files.readAllBytes(f).length);
        boolean mapped = Files.readString(Path.of("/proc/self/maps")).contains("libasyncProfiler");
        Workloads.truth("asyncProfilerMapped", mapped ? 1 : 0);
    }
}
