// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The peer a sample sends to: a {@link Sink} in the sample's own process on {@code 127.0.0.1}, or, when the
 * system property {@value #REMOTE} names the control address ({@code host:port}) of a
 * {@code tools.SinkServer}, a sink that server opens in its own process for this sample, so that the
 * sample's process CPU is the sender's alone (the benchmark's case). Either way the receiving side uses a
 * reused direct buffer and adds no finding; the remote one's few control calls use direct buffers too.
 */
public final class Loopback implements AutoCloseable {
    /** System property: {@code host:port} of a sink server's control socket; unset for an in-process sink. */
    public static final String REMOTE = "copytrace.sink";
    /** The sink server's session kind for a sink: the first int a control connection sends. */
    public static final int SINK_SESSION = 1;

    private final Sink local;
    private final SocketChannel control;
    private final InetSocketAddress address;

    private Loopback(Sink local, SocketChannel control, InetSocketAddress address) {
        this.local = local;
        this.control = control;
        this.address = address;
    }

    /** Starts a sink: in this process on an ephemeral loopback port, or at the sink server {@value #REMOTE} names. */
    public static Loopback sink() throws IOException {
        String remote = System.getProperty(REMOTE, "");
        if (remote.isEmpty()) {
            Sink sink = Sink.on(InetAddress.getLoopbackAddress());
            return new Loopback(sink, null, sink.address());
        }
        return remote(remote);
    }

    /** A session of the sink server whose control socket is at {@code remote} ({@code host:port}). */
    public static Loopback remote(String remote) throws IOException {
        int colon = remote.lastIndexOf(':');
        if (colon < 1) throw new IllegalArgumentException("-D" + REMOTE + "=" + remote + ": expected host:port");
        String host = remote.substring(0, colon);
        SocketChannel control = SocketChannel.open(new InetSocketAddress(host, Integer.parseInt(remote.substring(colon + 1))));
        ByteBuffer kind = ByteBuffer.allocateDirect(Integer.BYTES).putInt(0, SINK_SESSION);
        while (kind.hasRemaining()) control.write(kind);
        ByteBuffer port = ByteBuffer.allocateDirect(Integer.BYTES);
        readFully(control, port);
        return new Loopback(null, control, new InetSocketAddress(host, port.getInt(0)));
    }

    /** A new blocking connection to the sink. */
    public SocketChannel connect() throws IOException {
        return SocketChannel.open(address);
    }

    /** The sink's address, for a {@link java.net.Socket}. */
    public SocketAddress address() {
        return address;
    }

    /** Waits until the sink has received {@code expected} bytes in all (10 s at most) and returns the count. */
    public long awaitReceived(long expected) throws InterruptedException, IOException {
        if (local != null) return local.awaitReceived(expected);
        ByteBuffer request = ByteBuffer.allocateDirect(Long.BYTES).putLong(0, expected);
        while (request.hasRemaining()) control.write(request);
        ByteBuffer answer = ByteBuffer.allocateDirect(Long.BYTES);
        readFully(control, answer);
        return answer.getLong(0);
    }

    private static void readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) throw new EOFException("the sink server closed the control connection");
        }
    }

    @Override
    public void close() throws IOException {
        if (local != null) local.close();
        else control.close();
    }
}
