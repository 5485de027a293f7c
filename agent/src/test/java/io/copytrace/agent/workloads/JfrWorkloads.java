// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import static io.copytrace.agent.workloads.Workloads.KiB;
import static io.copytrace.agent.workloads.Workloads.MiB;
import static io.copytrace.agent.workloads.Workloads.truth;

import java.io.FileOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Event;
import jdk.jfr.Name;

/**
 * I/O the JDK's own JFR events see, run without the agent under {@code -XX:StartFlightRecording}: each call
 * in a method of its own, with what the program counted itself as {@code TRUTH METHOD.calls/bytes}.
 */
final class JfrWorkloads {
    static final int SMALL_WRITES = 5_000;
    private static final AtomicLong drainCalls = new AtomicLong(), drainBytes = new AtomicLong();

    private JfrWorkloads() {}

    static void run(String scenario, Path dir) throws Exception {
        if (scenario.equals("jfr-copytrace-event")) {
            new CopytraceEvent().commit(); // a JFR file as the agent's JFR events (issue 17 item 1) would make
            return;
        }
        warmUpNetworking();
        Path file = dir.resolve("data.bin");
        long calls = 0;
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            byte[] message = new byte[64];
            for (int i = 0; i < SMALL_WRITES; i++) calls += smallWrite(out, message);
        }
        report("smallWrite", calls, 64L * SMALL_WRITES);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer heap = ByteBuffer.allocate(64 * KiB);
            long bytes = 0;
            for (calls = 0; calls < 64; calls++) bytes += heapWrite(ch, heap.clear());
            report("heapWrite", calls, bytes);
        }
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel peer = server.accept()) {
            Thread reader = drain(peer);
            loop(file, client);
            client.shutdownOutput();
            reader.join();
        }
        socketStream();
        try (FileChannel in = FileChannel.open(file); ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress("127.0.0.1", 0)); SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel peer = server.accept()) {
            Thread reader = drain(peer);
            long sent = 0;
            while (sent < in.size()) sent += transfer(in, sent, client);
            truth("transfer.bytes", sent); // sendfile: no JFR event
            client.shutdownOutput();
            reader.join();
        }
        report("drainRead", drainCalls.get(), drainBytes.get());
    }

    /** The JDK reads its net.properties on a java.net.Socket's first connect: here, not in a counted method. */
    static void warmUpNetworking() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             Socket client = new Socket(server.getInetAddress(), server.getLocalPort())) {
            client.getPort();
        }
    }

    private static void report(String method, long calls, long bytes) {
        truth(method + ".calls", calls);
        truth(method + ".bytes", bytes);
    }

    static int smallWrite(FileOutputStream out, byte[] message) throws Exception {
        out.write(message);
        return 1;
    }

    static int heapWrite(FileChannel ch, ByteBuffer buffer) throws Exception {
        return ch.write(buffer);
    }

    /** The file to a socket through a 64 KiB heap buffer: a read method and a write method, one caller. */
    static void loop(Path file, SocketChannel socket) throws Exception {
        long reads = 0, read = 0, writes = 0, written = 0;
        ByteBuffer buffer = ByteBuffer.allocate(64 * KiB);
        try (FileChannel in = FileChannel.open(file)) {
            for (int n; ; buffer.clear()) {
                n = fileRead(in, buffer);
                reads++;
                if (n < 0) break;
                read += n;
                for (buffer.flip(); buffer.hasRemaining(); writes++) written += socketWrite(socket, buffer);
            }
        }
        report("fileRead", reads, read);
        report("socketWrite", writes, written);
    }

    static int fileRead(FileChannel in, ByteBuffer buffer) throws Exception {
        return in.read(buffer);
    }

    static int socketWrite(SocketChannel socket, ByteBuffer buffer) throws Exception {
        return socket.write(buffer);
    }

    /** A peer that reads with a direct buffer until the end and counts its calls (both peers: one site). */
    private static Thread drain(SocketChannel peer) {
        Thread t = new Thread(() -> {
            ByteBuffer b = ByteBuffer.allocateDirect(256 * KiB);
            try {
                for (int n; ; b.clear()) {
                    n = drainRead(peer, b);
                    drainCalls.incrementAndGet();
                    if (n < 0) break;
                    drainBytes.addAndGet(n);
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, "drain");
        t.start();
        return t;
    }

    static int drainRead(SocketChannel peer, ByteBuffer b) throws Exception {
        return peer.read(b);
    }

    /** 100 writes of 1000 bytes on a java.net.Socket stream, read back on a stream. */
    private static void socketStream() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket peer = server.accept()) {
            Thread reader = new Thread(() -> {
                long calls = 0, bytes = 0;
                byte[] b = new byte[4 * KiB];
                try (InputStream in = peer.getInputStream()) {
                    for (int n; ; ) {
                        n = streamRead(in, b);
                        calls++;
                        if (n < 0) break;
                        bytes += n;
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
                report("streamRead", calls, bytes);
            }, "stream-reader");
            reader.start();
            byte[] chunk = new byte[1000];
            for (int i = 0; i < 100; i++) streamWrite(client, chunk);
            report("streamWrite", 100, 100_000);
            client.shutdownOutput();
            reader.join();
        }
    }

    static int streamRead(InputStream in, byte[] b) throws Exception {
        return in.read(b);
    }

    static void streamWrite(Socket s, byte[] chunk) throws Exception {
        s.getOutputStream().write(chunk);
    }

    static long transfer(FileChannel in, long position, SocketChannel out) throws Exception {
        return in.transferTo(position, MiB, out);
    }

    /** An event named as the agent's own JFR events will be. */
    @Name("copytrace.CopySite")
    static final class CopytraceEvent extends Event {}
}
