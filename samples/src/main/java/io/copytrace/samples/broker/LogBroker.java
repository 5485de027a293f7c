// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.broker;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * A Kafka-like log broker: one partition ({@link Log}), three listeners.
 * <ul>
 * <li><b>produce</b> (plaintext): a request is {@code int length} + a batch of records; the broker reads the
 * batch into a buffer, appends it to the active segment and answers with the log's new end
 * ({@code long}).</li>
 * <li><b>fetch</b> (plaintext): a request is {@code long offset} + {@code int maxBytes}; the answer is
 * {@code int length} + {@code long logEnd} + up to {@code maxBytes} of one segment, sent with
 * {@code FileChannel.transferTo} (Kafka's {@code PlaintextTransportLayer.transferFrom}) or, in the
 * copy-heavy variant, a heap-buffer read/write loop.</li>
 * <li><b>fetch over TLS</b>: the same protocol through {@link TlsChannel}; the data is read from the segment
 * into a 32 KiB direct buffer and encrypted (Kafka's {@code SslTransportLayer.transferFrom}).</li>
 * </ul>
 * One thread per connection, blocking I/O: the copies are the same as with Kafka's selectors, and easier to
 * read.
 */
public final class LogBroker implements AutoCloseable {
    static final int FETCH_HEADER = Integer.BYTES + Long.BYTES;
    static final int FETCH_REQUEST = Long.BYTES + Integer.BYTES;
    /** Kafka's SslTransportLayer reads files in chunks of this size. */
    static final int TLS_FILE_CHUNK = 32 * 1024;
    static final int HEAP_LOOP_BUFFER = 64 * 1024;

    private final BrokerConfig config;
    private final Log log;
    private final SSLContext tls;
    private final ServerSocketChannel produce;
    private final ServerSocketChannel fetch;
    private final ServerSocketChannel fetchTls;
    private final InetAddress bind;
    private final List<SocketChannel> connections = new CopyOnWriteArrayList<>();
    private final List<Thread> handlers = new CopyOnWriteArrayList<>();
    private final AtomicLong producedBytes = new AtomicLong();
    private final AtomicLong produceRequests = new AtomicLong();
    private final AtomicLong fetchedPlaintext = new AtomicLong();
    private final AtomicLong fetchedTls = new AtomicLong();
    private final TlsCounters tlsCounters = new TlsCounters();

    /** Starts the listeners on ephemeral ports of {@code bind}; {@code tls} is null when TLS is off. */
    public LogBroker(BrokerConfig config, SSLContext tls, InetAddress bind) throws IOException {
        this.config = config;
        this.bind = bind;
        this.log = new Log(config);
        this.tls = tls;
        this.produce = listen("broker-produce", this::serveProducer);
        this.fetch = listen("broker-fetch", this::serveConsumer);
        this.fetchTls = tls == null ? null : listen("broker-fetch-tls", this::serveTlsConsumer);
    }

    /** The produce listener's address. */
    public InetSocketAddress produceAddress() throws IOException {
        return (InetSocketAddress) produce.getLocalAddress();
    }

    /** The plaintext fetch listener's address. */
    public InetSocketAddress fetchAddress() throws IOException {
        return (InetSocketAddress) fetch.getLocalAddress();
    }

    /** The TLS fetch listener's address. */
    public InetSocketAddress fetchTlsAddress() throws IOException {
        return (InetSocketAddress) fetchTls.getLocalAddress();
    }

    /** The log's end offset: bytes appended so far. */
    public long logEnd() {
        return log.end();
    }

    /** Record bytes appended to the log through the produce listener. */
    public long producedBytes() {
        return producedBytes.get();
    }

    /** Produce requests served. */
    public long produceRequests() {
        return produceRequests.get();
    }

    /** Log bytes served on the plaintext fetch listener. */
    public long fetchedPlaintext() {
        return fetchedPlaintext.get();
    }

    /** Log bytes served on the TLS fetch listener (before encryption). */
    public long fetchedTls() {
        return fetchedTls.get();
    }

    /** What the broker's TLS connections encrypted and sent. */
    public TlsCounters tlsCounters() {
        return tlsCounters;
    }

    /**
     * Waits until every connection accepted so far has been closed by its client and served to the end, so
     * the counters above hold everything the clients saw.
     */
    public void awaitClientsGone() throws InterruptedException {
        for (Thread t : handlers) t.join();
    }

    /** Segment files written so far. */
    public int segments() {
        return log.segmentCount();
    }

    private interface Handler {
        void serve(SocketChannel connection) throws Exception;
    }

    private ServerSocketChannel listen(String name, Handler handler) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(bind, 0));
        Thread acceptor = new Thread(() -> {
            try {
                for (int n = 1; ; n++) {
                    SocketChannel connection = server.accept();
                    connections.add(connection);
                    Thread t = new Thread(() -> {
                        try (connection) {
                            handler.serve(connection);
                        } catch (EOFException closed) {
                            // the client is done
                        } catch (Exception e) {
                            if (connection.isOpen()) e.printStackTrace();
                        }
                    }, name + "-" + n);
                    t.setDaemon(true);
                    handlers.add(t);
                    t.start();
                }
            } catch (IOException closed) {
                // the broker was closed
            }
        }, name);
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    // ------------------------------------------------------------------ produce

    private void serveProducer(SocketChannel connection) throws IOException {
        ByteBuffer size = ByteBuffer.allocate(Integer.BYTES);
        ByteBuffer ack = ByteBuffer.allocate(Long.BYTES);
        // Page-aligned: allocateDirect's 1 MiB comes from malloc 16 bytes past a page, and after the 4-byte size
        // the batch's bytes sit 4 past one in the socket's pages; on the build machine's CPU the kernel's copy into
        // memory 1-15 bytes ahead of its source (mod 4 KiB) runs ~6x slower (docs/samples.md, "The predicted
        // saving, checked").
        ByteBuffer direct = config.directProduceBuffers()
                ? ByteBuffer.allocateDirect((1 << 20) + 4095).alignedSlice(4096) : null;
        while (true) {
            size.clear();
            readHeader(connection, size);
            int length = size.flip().getInt();
            // Kafka allocates each request from its MemoryPool: a heap buffer
            ByteBuffer batch = direct != null ? direct.clear().limit(length) : ByteBuffer.allocate(length);
            readBatch(connection, batch);
            batch.flip();
            long end = log.append(batch);
            producedBytes.addAndGet(length);
            produceRequests.incrementAndGet();
            ack.clear().putLong(end).flip();
            while (ack.hasRemaining()) connection.write(ack);
        }
    }

    private static void readHeader(SocketChannel connection, ByteBuffer size) throws IOException {
        while (size.hasRemaining()) {
            if (connection.read(size) < 0) throw new EOFException();
        }
    }

    /** The produce path's socket read: a heap batch costs a JVM copy out of a temporary direct buffer. */
    private static void readBatch(SocketChannel connection, ByteBuffer batch) throws IOException {
        while (batch.hasRemaining()) {
            if (connection.read(batch) < 0) throw new EOFException("producer closed mid-request");
        }
    }

    // ------------------------------------------------------------------ plaintext fetch

    private void serveConsumer(SocketChannel connection) throws IOException {
        ByteBuffer request = ByteBuffer.allocate(FETCH_REQUEST);
        ByteBuffer header = ByteBuffer.allocate(FETCH_HEADER);
        ByteBuffer loop = config.fetchTransferTo() ? null : ByteBuffer.allocate(HEAP_LOOP_BUFFER);
        while (true) {
            request.clear();
            readHeader(connection, request);
            request.flip();
            long offset = request.getLong();
            int maxBytes = request.getInt();
            long end = log.end();
            LogSegment segment = log.segmentFor(offset);
            long position = offset - segment.baseOffset;
            int count = (int) Math.min(maxBytes, Math.min(end - offset, segment.size() - position));
            header.clear().putInt(count).putLong(end).flip();
            while (header.hasRemaining()) connection.write(header);
            long sent = config.fetchTransferTo()
                    ? sendWithTransferTo(segment, position, count, connection)
                    : sendWithHeapLoop(segment, position, count, connection, loop);
            fetchedPlaintext.addAndGet(sent);
        }
    }

    /** Kafka's PlaintextTransportLayer.transferFrom: sendfile, zero user-space copies. */
    private static long sendWithTransferTo(LogSegment segment, long position, int count, SocketChannel out)
            throws IOException {
        return segment.transferTo(position, count, out);
    }

    /**
     * The copy-heavy variant: pread into a heap buffer, write it out (4 CPU copies per byte). The read and the
     * write sit in one method, which is how copytrace recognises a loop (a loop split over two methods shows
     * up as two heap-buffer findings instead).
     */
    private static long sendWithHeapLoop(LogSegment segment, long position, int count, SocketChannel out,
                                         ByteBuffer buffer) throws IOException {
        FileChannel file = segment.channel();
        long sent = 0;
        while (sent < count) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), count - sent));
            int n = file.read(buffer, position + sent);
            if (n < 0) throw new EOFException("segment ended early");
            buffer.flip();
            while (buffer.hasRemaining()) sent += out.write(buffer);
        }
        return sent;
    }

    // ------------------------------------------------------------------ TLS fetch

    private void serveTlsConsumer(SocketChannel connection) throws IOException {
        SSLEngine engine = tls.createSSLEngine();
        engine.setUseClientMode(false);
        TlsChannel channel = new TlsChannel(connection, engine, false, tlsCounters);
        channel.handshake();
        ByteBuffer request = ByteBuffer.allocate(FETCH_REQUEST);
        ByteBuffer header = ByteBuffer.allocate(FETCH_HEADER);
        ByteBuffer fileBuffer = ByteBuffer.allocateDirect(TLS_FILE_CHUNK);
        while (true) {
            request.clear();
            channel.readFully(request);
            request.flip();
            long offset = request.getLong();
            int maxBytes = request.getInt();
            long end = log.end();
            LogSegment segment = log.segmentFor(offset);
            long position = offset - segment.baseOffset;
            int count = (int) Math.min(maxBytes, Math.min(end - offset, segment.size() - position));
            header.clear().putInt(count).putLong(end).flip();
            channel.write(header);
            fetchedTls.addAndGet(transferFrom(segment, position, count, channel, fileBuffer));
        }
    }

    /**
     * Kafka's SslTransportLayer.transferFrom: the bytes must be encrypted in user space, so sendfile is
     * impossible. Read a chunk of the file into a direct buffer, hand it to the TLS channel.
     */
    private static long transferFrom(LogSegment segment, long position, int count, TlsChannel channel,
                                     ByteBuffer fileBuffer) throws IOException {
        long sent = 0;
        while (sent < count) {
            fileBuffer.clear().limit((int) Math.min(fileBuffer.capacity(), count - sent));
            int n = segment.read(fileBuffer, position + sent);
            if (n < 0) throw new EOFException("segment ended early");
            fileBuffer.flip();
            channel.write(fileBuffer);
            sent += n;
        }
        return sent;
    }

    @Override
    public void close() throws IOException {
        produce.close();
        fetch.close();
        if (fetchTls != null) fetchTls.close();
        for (SocketChannel c : connections) c.close();
        log.close();
    }
}
