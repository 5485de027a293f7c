// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.broker;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.SplittableRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The broker's producers and consumers. They are written the zero-copy way (direct buffers reused per
 * connection), so every finding in a recording of the sample is about the broker.
 */
public final class Clients {
    /** Record bytes per produce request: sixteen of Kafka's default 16 KiB batches, a quarter of max.request.size. */
    public static final int BATCH_BYTES = 256 * 1024;

    private Clients() {}

    /** Produces {@code bytes} of records in batches of {@link #BATCH_BYTES}; returns the bytes acknowledged. */
    public static long produce(InetSocketAddress broker, long bytes, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer request = ByteBuffer.allocateDirect(Integer.BYTES + BATCH_BYTES);
        ByteBuffer ack = ByteBuffer.allocateDirect(Long.BYTES);
        long produced = 0;
        try (SocketChannel channel = SocketChannel.open(broker)) {
            // the records are made once; each request stamps its sequence number into the first batch
            for (int i = Integer.BYTES; i < request.capacity(); i++) request.put(i, (byte) ('a' + random.nextInt(26)));
            for (long sequence = 0; produced < bytes; sequence++) {
                int length = (int) Math.min(BATCH_BYTES, bytes - produced);
                request.clear().limit(Integer.BYTES + length);
                request.putInt(0, length);
                if (length >= Long.BYTES) request.putLong(Integer.BYTES, sequence);
                while (request.hasRemaining()) channel.write(request);
                ack.clear();
                readFully(channel, ack);
                produced += length;
            }
        }
        return produced;
    }

    /** Fetches the log from offset 0 to {@code logEnd} over plaintext; returns the bytes received. */
    public static long fetch(InetSocketAddress broker, long logEnd, int maxBytes) throws IOException {
        ByteBuffer request = ByteBuffer.allocateDirect(LogBroker.FETCH_REQUEST);
        ByteBuffer header = ByteBuffer.allocateDirect(LogBroker.FETCH_HEADER);
        ByteBuffer data = ByteBuffer.allocateDirect(256 * 1024);
        long offset = 0;
        try (SocketChannel channel = SocketChannel.open(broker)) {
            while (offset < logEnd) {
                request.clear().putLong(offset).putInt(maxBytes).flip();
                while (request.hasRemaining()) channel.write(request);
                header.clear();
                readFully(channel, header);
                int length = header.flip().getInt();
                for (long left = length; left > 0; ) {
                    data.clear().limit((int) Math.min(data.capacity(), left));
                    int n = channel.read(data);
                    if (n < 0) throw new EOFException("broker closed mid-response");
                    left -= n;
                }
                offset += length;
            }
        }
        return offset;
    }

    /** Fetches the log from offset 0 to {@code logEnd} over TLS; returns the plaintext bytes received. */
    public static long fetchTls(InetSocketAddress broker, SSLContext tls, long logEnd, int maxBytes,
                                TlsCounters counters) throws IOException {
        ByteBuffer request = ByteBuffer.allocateDirect(LogBroker.FETCH_REQUEST);
        ByteBuffer header = ByteBuffer.allocateDirect(LogBroker.FETCH_HEADER);
        ByteBuffer data = ByteBuffer.allocateDirect(256 * 1024);
        long offset = 0;
        SSLEngine engine = tls.createSSLEngine("localhost", broker.getPort());
        engine.setUseClientMode(true);
        try (TlsChannel channel = new TlsChannel(SocketChannel.open(broker), engine, true, counters)) {
            channel.handshake();
            while (offset < logEnd) {
                request.clear().putLong(offset).putInt(maxBytes).flip();
                channel.write(request);
                header.clear();
                channel.readFully(header);
                int length = header.flip().getInt();
                for (long left = length; left > 0; ) {
                    data.clear().limit((int) Math.min(data.capacity(), left));
                    int n = channel.read(data);
                    if (n < 0) throw new EOFException("broker closed mid-response");
                    left -= n;
                }
                offset += length;
            }
        }
        return offset;
    }

    /** The PKCS12 bytes of a self-signed key made now in {@code dir} (see {@link SelfSignedTls}). */
    public static byte[] selfSignedKey(java.nio.file.Path dir) throws Exception {
        return SelfSignedTls.generate(dir);
    }

    /** A TLS 1.3 context serving and trusting only the key in {@code keystore} ({@link #selfSignedKey}). */
    public static SSLContext tls(byte[] keystore) throws Exception {
        return SelfSignedTls.context(keystore);
    }

    private static void readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) throw new EOFException("broker closed the connection");
        }
    }
}
