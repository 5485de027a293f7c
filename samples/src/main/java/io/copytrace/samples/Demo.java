// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * The demo: serves one 32 MiB file to a loopback client twice, first through a heap ByteBuffer
 * read/write loop (4 CPU copies per byte), then with FileChannel.transferTo (sendfile). Prints its own
 * byte totals so the recording can be checked against them.
 *
 * <pre>How to run: java -javaagent:dist/copytrace.jar=out=copytrace-report \
 *     -cp samples/target/copytrace-samples.jar io.copytrace.samples.Demo</pre>
 */
public final class Demo {
    static final int FILE_SIZE = 32 << 20;
    static final int BUFFER_SIZE = 64 << 10;

    private Demo() {}

    public static void main(String[] args) throws Exception {
        Path file = Files.createTempFile("copytrace-demo", ".log");
        try {
            byte[] data = new byte[FILE_SIZE];
            new Random(42).nextBytes(data);
            Files.write(file, data);
            try (ServerSocketChannel server = ServerSocketChannel.open()) {
                server.bind(new InetSocketAddress("127.0.0.1", 0));
                long viaHeap = serve(server, file, false);
                long viaSendfile = serve(server, file, true);
                System.out.printf("served %d bytes through a heap buffer loop, %d bytes with transferTo%n",
                        viaHeap, viaSendfile);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Sends the file to a fresh loopback client and returns the bytes the client received. */
    static long serve(ServerSocketChannel server, Path file, boolean zeroCopy) throws Exception {
        long[] received = new long[1];
        Thread client = new Thread(() -> received[0] = drain(server.socket().getLocalSocketAddress()), "demo-client");
        client.start();
        try (SocketChannel peer = server.accept(); FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            if (zeroCopy) {
                long pos = 0;
                long size = in.size();
                while (pos < size) pos += in.transferTo(pos, size - pos, peer);
            } else {
                ByteBuffer buf = ByteBuffer.allocate(BUFFER_SIZE);
                while (in.read(buf) != -1) {
                    buf.flip();
                    while (buf.hasRemaining()) peer.write(buf);
                    buf.clear();
                }
            }
        }
        client.join();
        return received[0];
    }

    private static long drain(java.net.SocketAddress address) {
        try (SocketChannel ch = SocketChannel.open(address)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_SIZE);
            long total = 0;
            for (int n; (n = ch.read(buf)) != -1; buf.clear()) total += n;
            return total;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
