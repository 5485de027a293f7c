// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.broker;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A blocking {@link SSLEngine} over a {@link SocketChannel}, in the shape of Kafka's
 * {@code SslTransportLayer}: {@link #write} encrypts into a network buffer and {@link #flush}es it to the
 * socket; {@link #read} reads network bytes and decrypts them. Heap network buffers are what Kafka uses on
 * the broker (each encrypted byte is then copied again by {@code IOUtil} on its way to the socket); direct
 * ones avoid that copy.
 */
final class TlsChannel implements AutoCloseable {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private final SocketChannel socket;
    private final SSLEngine engine;
    private final TlsCounters counters;
    private final ByteBuffer netOut;
    private final ByteBuffer netIn;
    private final ByteBuffer appIn;

    TlsChannel(SocketChannel socket, SSLEngine engine, boolean directNetworkBuffers, TlsCounters counters) {
        this.socket = socket;
        this.engine = engine;
        this.counters = counters;
        int net = engine.getSession().getPacketBufferSize();
        int app = engine.getSession().getApplicationBufferSize();
        this.netOut = directNetworkBuffers ? ByteBuffer.allocateDirect(net) : ByteBuffer.allocate(net);
        this.netIn = directNetworkBuffers ? ByteBuffer.allocateDirect(net) : ByteBuffer.allocate(net);
        this.appIn = directNetworkBuffers ? ByteBuffer.allocateDirect(app) : ByteBuffer.allocate(app);
        appIn.flip();
    }

    /** Runs the handshake to its end. */
    void handshake() throws IOException {
        appIn.clear(); // handshake records decrypt to nothing, but unwrap wants room
        engine.beginHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
            switch (status) {
                case NEED_WRAP -> status = wrap(EMPTY).getHandshakeStatus();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> status = unwrap().getHandshakeStatus();
                case NEED_TASK -> {
                    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) task.run();
                    status = engine.getHandshakeStatus();
                }
                default -> throw new SSLException("unexpected handshake status " + status);
            }
        }
        appIn.flip();
    }

    /** Encrypts and sends all of {@code src}. */
    void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) wrap(src);
    }

    /** Encrypts one TLS record from {@code src} into the network buffer and flushes it. */
    private SSLEngineResult wrap(ByteBuffer src) throws IOException {
        netOut.clear();
        SSLEngineResult result = engine.wrap(src, netOut);
        if (result.getStatus() != SSLEngineResult.Status.OK) throw new SSLException("wrap: " + result);
        counters.plaintextWrapped.addAndGet(result.bytesConsumed());
        netOut.flip();
        flush();
        return result;
    }

    /** Writes the network buffer to the socket: with a heap buffer, IOUtil copies it first. */
    private void flush() throws IOException {
        while (netOut.hasRemaining()) counters.encryptedSent.addAndGet(socket.write(netOut));
    }

    /** Reads and decrypts into {@code dst}; returns the bytes read, -1 at the end of the stream. */
    int read(ByteBuffer dst) throws IOException {
        while (!appIn.hasRemaining()) {
            appIn.clear();
            SSLEngineResult result = unwrap();
            appIn.flip();
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) return -1;
        }
        int n = Math.min(dst.remaining(), appIn.remaining());
        ByteBuffer slice = appIn.slice();
        slice.limit(n);
        dst.put(slice);
        appIn.position(appIn.position() + n);
        return n;
    }

    /** Reads exactly {@code dst.remaining()} bytes. */
    void readFully(ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            if (read(dst) < 0) throw new EOFException("TLS peer closed");
        }
    }

    /** Decrypts one TLS record into {@code appIn} (write mode), reading from the socket as needed. */
    private SSLEngineResult unwrap() throws IOException {
        while (true) {
            netIn.flip();
            SSLEngineResult result = engine.unwrap(netIn, appIn);
            netIn.compact();
            counters.plaintextUnwrapped.addAndGet(result.bytesProduced());
            switch (result.getStatus()) {
                case OK, CLOSED -> {
                    return result;
                }
                case BUFFER_UNDERFLOW -> {
                    int n = socket.read(netIn);
                    if (n < 0) throw new EOFException("TLS peer closed in the middle of a record");
                    counters.encryptedReceived.addAndGet(n);
                }
                default -> throw new SSLException("unwrap: " + result);
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
