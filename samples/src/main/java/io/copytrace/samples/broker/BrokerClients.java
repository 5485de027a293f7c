// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.broker;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;

/**
 * One run of the broker's clients ({@link Clients}): the producers send their shares concurrently, then one
 * consumer per fetch listener reads the whole log. It runs in the broker's process ({@link #run}), or in a
 * {@code tools.SinkServer}'s ({@link #remote}): then the broker's process CPU is the broker's alone, and the
 * clients reach it over the path the sink server's sessions take (a veth pair in the benchmark).
 *
 * @param broker       the broker's listeners' address
 * @param producePort  the produce listener
 * @param fetchPort    the plaintext fetch listener
 * @param fetchTlsPort the TLS fetch listener, 0 when TLS is off
 * @param total        record bytes to produce, split between the producers
 * @param producers    concurrent producers
 * @param maxFetch     the most one fetch asks for
 * @param keystore     the broker's PKCS12 key store, trusted by the TLS consumer (empty when TLS is off)
 */
public record BrokerClients(InetAddress broker, int producePort, int fetchPort, int fetchTlsPort, long total,
                            int producers, int maxFetch, byte[] keystore) {
    /** What a run counted on the clients' side, in the order {@link #run} returns them. */
    public static final List<String> COUNTED = List.of("produced", "fetched.plaintext", "fetched.tls",
            "consumer.tls.plaintext-wrapped", "consumer.tls.encrypted-sent", "consumer.tls.encrypted-received",
            "consumer.tls.plaintext-unwrapped");
    /** The sink server's session kind for a run of broker clients (see {@code Loopback.SINK_SESSION}). */
    public static final int SESSION = 2;
    /** The request: session kind, three ports, total, producers, max fetch, key store length. */
    private static final int HEADER = 4 * Integer.BYTES + Long.BYTES + 3 * Integer.BYTES;

    /** Runs the clients in this process; returns the {@link #COUNTED} values, all connections closed. */
    public long[] run(SSLContext tls) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(producers + 2);
        try {
            List<Future<Long>> shares = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                long share = total / producers + (p == 0 ? total % producers : 0);
                long seed = p;
                shares.add(threads.submit(() -> Clients.produce(new InetSocketAddress(broker, producePort), share, seed)));
            }
            long produced = 0;
            for (Future<Long> f : shares) produced += f.get();
            long logEnd = produced; // these producers are the log's only writers
            TlsCounters counters = new TlsCounters();
            Future<Long> plaintext = threads.submit(() ->
                    Clients.fetch(new InetSocketAddress(broker, fetchPort), logEnd, maxFetch));
            Future<Long> encrypted = tls == null ? null : threads.submit(() -> Clients.fetchTls(
                    new InetSocketAddress(broker, fetchTlsPort), tls, logEnd, maxFetch, counters));
            return new long[] {produced, plaintext.get(), encrypted == null ? 0 : encrypted.get(),
                    counters.plaintextWrapped(), counters.encryptedSent(), counters.encryptedReceived(),
                    counters.plaintextUnwrapped()};
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Runs the clients in the process of the sink server whose control connection is {@code control} (opened
     * by {@link #connect}); returns what they counted. Direct buffers: the broker's recording gets no finding.
     */
    public long[] remote(SocketChannel control) throws IOException {
        ByteBuffer request = ByteBuffer.allocateDirect(HEADER + keystore.length);
        request.putInt(SESSION).putInt(producePort).putInt(fetchPort).putInt(fetchTlsPort).putLong(total)
                .putInt(producers).putInt(maxFetch).putInt(keystore.length).put(keystore).flip();
        while (request.hasRemaining()) control.write(request);
        ByteBuffer answer = ByteBuffer.allocateDirect(COUNTED.size() * Long.BYTES);
        readFully(control, answer);
        long[] counted = new long[COUNTED.size()];
        answer.flip().asLongBuffer().get(counted);
        return counted;
    }

    /** A control connection to the sink server at {@code hostPort}; the broker listens on its local address. */
    public static SocketChannel connect(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        return SocketChannel.open(new InetSocketAddress(hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1))));
    }

    /**
     * The sink server's side of {@link #remote}, after it read the session kind: reads the request, runs the
     * clients against the broker at the control connection's other end and answers what they counted.
     */
    public static void serve(SocketChannel control) throws Exception {
        ByteBuffer header = ByteBuffer.allocateDirect(HEADER - Integer.BYTES);
        readFully(control, header);
        header.flip();
        int producePort = header.getInt(), fetchPort = header.getInt(), fetchTlsPort = header.getInt();
        long total = header.getLong();
        int producers = header.getInt(), maxFetch = header.getInt();
        ByteBuffer keystore = ByteBuffer.allocateDirect(header.getInt());
        readFully(control, keystore);
        byte[] key = new byte[keystore.capacity()];
        keystore.flip().get(key);
        InetAddress broker = ((InetSocketAddress) control.getRemoteAddress()).getAddress();
        BrokerClients clients = new BrokerClients(broker, producePort, fetchPort, fetchTlsPort, total, producers,
                maxFetch, key);
        long[] counted = clients.run(fetchTlsPort == 0 ? null : SelfSignedTls.context(key));
        ByteBuffer answer = ByteBuffer.allocateDirect(counted.length * Long.BYTES);
        answer.asLongBuffer().put(counted);
        while (answer.hasRemaining()) control.write(answer);
    }

    private static void readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) throw new EOFException("the other side closed the control connection");
        }
    }
}
