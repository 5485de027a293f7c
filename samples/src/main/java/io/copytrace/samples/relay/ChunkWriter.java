// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.BlockingQueue;

/**
 * The socket side of a relay, run on its own thread (an event loop's flush in a real server): takes
 * filled chunks off the queue, writes them to the socket and gives their buffers back to the pool. It
 * never sees the file: nothing in this class says that the bytes it sends were read from one.
 */
public final class ChunkWriter {
    private final SocketChannel socket;

    public ChunkWriter(SocketChannel socket) {
        this.socket = socket;
    }

    /** Writes every chunk until {@link Chunk#END}, returning each buffer to {@code pool}; returns the bytes sent. */
    public long writeAll(BufferPool pool, BlockingQueue<Chunk> queue) throws IOException, InterruptedException {
        long sent = 0;
        for (Chunk chunk; (chunk = queue.take()) != Chunk.END; ) {
            sent += writeChunk(chunk);
            pool.release(chunk.buffer());
        }
        return sent;
    }

    /**
     * Writes one chunk. The buffer handed to the channel is a new view of the chunk's memory (the way a
     * pooled Netty {@code ByteBuf} exposes its memory through {@code nioBuffer()}), not the object the
     * reader filled. A direct view goes to {@code write} as
     * it is (one kernel copy into the socket); a heap view is first copied by the JDK into a temporary
     * direct buffer.
     */
    int writeChunk(Chunk chunk) throws IOException {
        ByteBuffer view = chunk.buffer().slice(0, chunk.length());
        int sent = 0;
        while (view.hasRemaining()) sent += socket.write(view);
        return sent;
    }
}
