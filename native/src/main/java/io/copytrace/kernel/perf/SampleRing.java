// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One mmap'd perf ring buffer: a header page ({@code struct perf_event_mmap_page}) followed by
 * 2^n data pages that the kernel fills and we drain.
 *
 * <p>Protocol: read {@code data_head}, then an acquire fence so record bytes are not read before
 * the head that published them; consume up to head; a release fence, then store {@code data_tail}
 * so the kernel does not reuse space we are still reading. On x86-64 the fences cost nothing; on
 * aarch64 they are real barriers, which the JNI reads of {@link Pointer#getLong} alone would not give.
 */
public final class SampleRing implements AutoCloseable {
    /** {@code offsetof(struct perf_event_mmap_page, data_head)}. */
    static final long DATA_HEAD = 1024;
    /** {@code offsetof(struct perf_event_mmap_page, data_tail)}. */
    static final long DATA_TAIL = 1032;
    /** {@code data_offset}, Linux 4.1+; 0 before, meaning data starts after the first page. */
    static final long DATA_OFFSET = 1040;
    /** {@code data_size}, Linux 4.1+. */
    static final long DATA_SIZE = 1048;

    /** Largest heap copy of ring data; a record is at most 64 KiB, so one always fits. */
    static final int CHUNK = 1 << 20;

    public static final int PERF_RECORD_LOST = 2;
    public static final int PERF_RECORD_THROTTLE = 5;
    public static final int PERF_RECORD_SAMPLE = 9;

    /** Receives decoded records; called on the draining thread. */
    public interface Sink {
        /** A sample of {@code PERF_SAMPLE_TID | TIME | RAW}: raw bytes at {@code rawOffset} of {@code record}. */
        void sample(int pid, int tid, long time, ByteBuffer record, int rawOffset, int rawSize);

        /** The kernel dropped {@code count} samples because the buffer was full. */
        void lost(long count);
    }

    private final int fd;
    private final Pointer base;
    private final long mappedLength;
    private final long dataOffset;
    private final long dataSize;
    private final byte[] chunk;
    private long throttled;
    private boolean closed;

    private SampleRing(int fd, Pointer base, long mappedLength, long dataOffset, long dataSize) {
        this.fd = fd;
        this.base = base;
        this.mappedLength = mappedLength;
        this.dataOffset = dataOffset;
        this.dataSize = dataSize;
        this.chunk = new byte[(int) Math.min(dataSize, CHUNK)];
    }

    /**
     * Maps the buffer of {@code fd}.
     *
     * @param dataPages a power of two
     */
    public static SampleRing map(int fd, int dataPages) throws LastErrorException {
        int pageSize = Unistd.LIBC.getpagesize();
        long length = (long) (dataPages + 1) * pageSize;
        Pointer base = Mman.LIBC.mmap(null, length, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, fd, 0);
        long offset = base.getLong(DATA_OFFSET);
        long size = base.getLong(DATA_SIZE);
        if (offset == 0 || size == 0) {
            offset = pageSize;
            size = (long) dataPages * pageSize;
        }
        return new SampleRing(fd, base, length, offset, size);
    }

    /** The descriptor this ring belongs to (other events are redirected to it). */
    public int fd() {
        return fd;
    }

    /** Bytes of sample data the ring holds. */
    public long dataSize() {
        return dataSize;
    }

    /** PERF_RECORD_THROTTLE records seen: the kernel slowed sampling down. */
    public long throttled() {
        return throttled;
    }

    /** Hands every complete record to {@code sink} and frees its space; returns the bytes consumed. */
    public long drain(Sink sink) {
        if (closed) {
            return 0;
        }
        long head = base.getLong(DATA_HEAD);
        VarHandle.acquireFence();
        long start = base.getLong(DATA_TAIL);
        long tail = start;
        // In pieces of at most CHUNK bytes, so a large ring does not need an equally large heap copy.
        while (head - tail >= 8) {
            int piece = (int) Math.min(head - tail, chunk.length);
            copyOut(tail, piece);
            ByteBuffer records = ByteBuffer.wrap(chunk, 0, piece).order(ByteOrder.LITTLE_ENDIAN);
            int at = 0;
            while (at + 8 <= piece) {
                int size = records.getShort(at + 6) & 0xffff;
                if (size < 8 || at + size > piece) {
                    break;
                }
                dispatch(records.getInt(at), records, at, size, sink);
                at += size;
            }
            if (at == 0) {
                break; // A malformed header: stop rather than spin; the kernel reports the loss.
            }
            tail += at;
        }
        VarHandle.releaseFence();
        base.setLong(DATA_TAIL, tail);
        return tail - start;
    }

    /** Copies {@code length} bytes from ring position {@code from} (which may wrap) to {@link #chunk}. */
    private void copyOut(long from, int length) {
        int offset = (int) (from % dataSize);
        int first = (int) Math.min(length, dataSize - offset);
        base.read(dataOffset + offset, chunk, 0, first);
        if (first < length) {
            base.read(dataOffset, chunk, first, length - first);
        }
    }

    private void dispatch(int type, ByteBuffer records, int at, int size, Sink sink) {
        switch (type) {
            case PERF_RECORD_SAMPLE:
                // header(8) | u32 pid, u32 tid | u64 time | u32 raw size | raw bytes
                int rawSize = records.getInt(at + 24);
                if (28 + rawSize <= size) {
                    sink.sample(records.getInt(at + 8), records.getInt(at + 12), records.getLong(at + 16), records,
                            at + 28, rawSize);
                }
                break;
            case PERF_RECORD_LOST:
                // header(8) | u64 id | u64 lost
                sink.lost(records.getLong(at + 16));
                break;
            case PERF_RECORD_THROTTLE:
                throttled++;
                break;
            default:
                break;
        }
    }

    /** Unmaps the buffer; the descriptor is closed by its owner. Safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Mman.LIBC.munmap(base, mappedLength);
        } catch (LastErrorException e) {
            // Only EINVAL is possible, for a mapping that is not ours: nothing to undo.
        }
    }
}
