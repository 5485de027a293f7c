// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.io.FileOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file sent with transferTo by thread {@code sender-1}, from the page cache or, with {@code -Ddrop=true}
 * (root), after the page cache was dropped: the sender then reads the file from storage. The sender stays
 * alive until the JVM exits, so the kernel's per-thread view keeps its storage reads in its group.
 */
final class ColdSend {
    static final int FILE_BYTES = 32 << 20;

    private ColdSend() {}

    static void run(Path dir) throws Exception {
        Path file = dir.resolve("cold.bin");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
            for (int i = 0; i < chunk.capacity(); i += 8) chunk.putLong(i, i * 0x9E3779B97F4A7C15L);
            for (int i = 0; i < FILE_BYTES >> 20; i++) out.write(chunk.clear());
            out.force(true); // dropping the page cache only drops clean pages
        }
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtomicLong received = new AtomicLong();
            Thread sink = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[64 << 10];
                    for (int r; (r = in.read(buf)) > 0; ) received.addAndGet(r);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "sink");
            sink.start();
            CountDownLatch sent = new CountDownLatch(1);
            AtomicLong bytes = new AtomicLong();
            Thread sender = new Thread(() -> {
                try (SocketChannel socket = SocketChannel.open(new InetSocketAddress(server.getInetAddress(),
                        server.getLocalPort()));
                     FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                    in.transferTo(0, 4096, socket); // loads the classes before the cache is dropped
                    if (Boolean.getBoolean("drop")) {
                        try (FileOutputStream drop = new FileOutputStream("/proc/sys/vm/drop_caches")) {
                            drop.write('1');
                        }
                    }
                    long n = 4096;
                    while (n < FILE_BYTES) n += in.transferTo(n, FILE_BYTES - n, socket);
                    bytes.set(n);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                sent.countDown();
                try {
                    Thread.sleep(Long.MAX_VALUE); // alive at the window's close: its counters stay its group's
                } catch (InterruptedException ignored) {
                    // the JVM is exiting
                }
            }, "sender-1");
            sender.setDaemon(true);
            sender.start();
            sent.await();
            sink.join();
            Workloads.truth("bytes", bytes.get());
            Workloads.truth("received", received.get());
        }
    }
}
