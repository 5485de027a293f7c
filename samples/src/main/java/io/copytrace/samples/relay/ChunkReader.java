// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.relay;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.BlockingQueue;

/**
 * The file side of a relay, run on its own thread: fills pooled buffers from the file with positional
 * reads ({@code pread64}, the way Netty's {@code ChunkedNioFile.readChunk} does) and queues them for the
 * {@link ChunkWriter}. It never sees the socket in the relay; in the fixed variant it owns the whole send
 * and calls {@link #transferAll}.
 */
public final class ChunkReader {
    private final FileChannel file;

    public ChunkReader(FileChannel file) {
        this.file = file;
    }

    /**
     * Reads the whole file, one pooled buffer at a time, queues every filled buffer as a {@link Chunk} and
     * then {@link Chunk#END}; returns the bytes read. With a direct pool each read is one kernel copy
     * (page cache into the buffer); with a heap pool the JDK reads into a temporary direct buffer and
     * copies that into the heap slice: a second copy.
     */
    public long readAll(BufferPool pool, BlockingQueue<Chunk> queue) throws IOException, InterruptedException {
        long size = file.size();
        long position = 0;
        try {
            while (position < size) {
                ByteBuffer buffer = pool.take();
                int length = readChunk(buffer, position, size);
                queue.put(new Chunk(buffer, position, length));
                position += length;
            }
        } finally {
            queue.put(Chunk.END);
        }
        return position;
    }

    /** Fills {@code buffer} from {@code position} (or up to the end of the file), flips it, returns its length. */
    int readChunk(ByteBuffer buffer, long position, long size) throws IOException {
        buffer.limit((int) Math.min(buffer.capacity(), size - position));
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) throw new EOFException("the file shrank");
        }
        return buffer.flip().remaining();
    }

    /**
     * The fix: no chunks, no queue, no writer thread. The reader hands the file to the socket with
     * {@code transferTo}, which is {@code sendfile}: the kernel moves page-cache pages into the socket and no
     * byte enters user memory. One call moves the whole file (at most 2 GiB - 4 KiB per call).
     */
    public long transferAll(SocketChannel socket) throws IOException {
        long position = 0;
        long size = file.size();
        while (position < size) position += file.transferTo(position, size - position, socket);
        return position;
    }
}
