// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A peer that receives and discards whatever is sent to it, the way a well-written client would: one reused
 * 256 KiB direct buffer per connection, so the receiving side adds no JVM copy and no finding. It counts what
 * it received, over all its connections. {@link Loopback} runs one in the sample's process;
 * {@code tools.SinkServer} runs them in another process (and network namespace) for the benchmark.
 */
public final class Sink implements AutoCloseable {
    private final ServerSocketChannel server;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();

    private Sink(InetAddress bind) throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(bind, 0));
        Thread acceptor = new Thread(this::acceptAll, "sink-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a sink on an ephemeral port of {@code bind}. */
    public static Sink on(InetAddress bind) throws IOException {
        return new Sink(bind);
    }

    /** The address the sink accepts on. */
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
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
                Thread t = new Thread(() -> drain(peer), "sink-drain-" + connections.incrementAndGet());
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
