// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.relay;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed pool of equal buffers cut from one big allocation, the way Netty's pooled arenas hand out
 * pieces of a large chunk: each buffer is a {@link ByteBuffer#slice(int, int) slice} of one parent, so the
 * objects the reader fills and the writer sends are never the object that was allocated, and their
 * memory is the parent's memory at an offset. Direct pools slice one {@code allocateDirect}, heap pools
 * one {@code allocate}.
 */
public final class BufferPool {
    private final BlockingQueue<ByteBuffer> free;
    private final boolean direct;
    private final int bufferSize;

    private BufferPool(ByteBuffer parent, int buffers, int bufferSize) {
        this.free = new ArrayBlockingQueue<>(buffers);
        this.direct = parent.isDirect();
        this.bufferSize = bufferSize;
        for (int i = 0; i < buffers; i++) free.add(parent.slice(i * bufferSize, bufferSize));
    }

    /** {@code buffers} direct buffers of {@code bufferSize} bytes, slices of one direct allocation. */
    public static BufferPool direct(int buffers, int bufferSize) {
        return new BufferPool(ByteBuffer.allocateDirect(buffers * bufferSize), buffers, bufferSize);
    }

    /** {@code buffers} heap buffers of {@code bufferSize} bytes, slices of one heap array. */
    public static BufferPool heap(int buffers, int bufferSize) {
        return new BufferPool(ByteBuffer.allocate(buffers * bufferSize), buffers, bufferSize);
    }

    /** A free buffer, cleared; waits while every buffer is in flight (the pool is the relay's back-pressure). */
    public ByteBuffer take() throws InterruptedException {
        return free.take().clear();
    }

    /** Gives {@code buffer} back (the writer does, once the socket has taken its bytes). */
    public void release(ByteBuffer buffer) {
        if (!free.offer(buffer)) throw new IllegalStateException("a buffer was released twice");
    }

    /** True for a pool of direct buffers. */
    public boolean isDirect() {
        return direct;
    }

    /** Bytes per buffer. */
    public int bufferSize() {
        return bufferSize;
    }
}
