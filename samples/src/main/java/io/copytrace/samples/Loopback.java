// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback peer that receives and discards whatever is sent to it, the way a well-written client would:
 * one reused 256 KiB direct buffer, so the receiving side adds no JVM copy and no finding. Only
 * {@code 127.0.0.1} is ever bound.
 */
public final class Loopback implements AutoCloseable {
    private final ServerSocketChannel server;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final Thread acceptor;

    private Loopback() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        acceptor = new Thread(this::acceptAll, "loopback-sink");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a sink on an ephemeral loopback port. */
    public static Loopback sink() throws IOException {
        return new Loopback();
    }

    /** A new blocking connection to the sink. */
    public SocketChannel connect() throws IOException {
        return SocketChannel.open(server.getLocalAddress());
    }

    /** The sink's address, for a {@link java.net.Socket}. */
    public java.net.SocketAddress address() throws IOException {
        return server.getLocalAddress();
    }

    /** Waits until the sink has received {@code expected} bytes in all (10 s at most) and returns the count. */
    public long awaitReceived(long expected) throws InterruptedException {
        for (int i = 0; i < 10_000 && received.get() < expected; i++) Thread.sleep(1);
        return received.get();
    }

    private void acceptAll() {
        try {
            while (true) {
                SocketChannel peer = server.accept();
                Thread t = new Thread(() -> drain(peer), "loopback-drain-" + connections.incrementAndGet());
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException closed) {
            // the sink was closed
        }
    }

    private void drain(SocketChannel peer) {
        try (peer) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            for (int n; (n = peer.read(buffer)) != -1; buffer.clear()) received.addAndGet(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
