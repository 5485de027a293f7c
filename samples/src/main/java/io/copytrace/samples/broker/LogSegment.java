// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One segment file of the log: records are appended at its end and served from any position in it. */
final class LogSegment implements AutoCloseable {
    /** The log offset (in bytes) of this segment's first byte. */
    final long baseOffset;
    private final FileChannel channel;
    private volatile long size;

    LogSegment(Path file, long baseOffset) throws IOException {
        this.baseOffset = baseOffset;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    /** Bytes in this segment. */
    long size() {
        return size;
    }

    /**
     * Appends all of {@code records}. A heap buffer costs a JVM copy into a temporary direct buffer before
     * the kernel's copy into the page cache (Kafka's {@code FileRecords.append}).
     */
    void append(ByteBuffer records) throws IOException {
        long position = size;
        while (records.hasRemaining()) position += channel.write(records, position);
        size = position;
    }

    /** Sends {@code count} bytes from {@code position} with sendfile: no byte enters user space. */
    long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        long sent = 0;
        while (sent < count) sent += channel.transferTo(position + sent, count - sent, target);
        return sent;
    }

    /** The segment file, for code that reads it in a loop of its own. */
    FileChannel channel() {
        return channel;
    }

    /** Reads into {@code buffer} from {@code position} (a positional read, pread). */
    int read(ByteBuffer buffer, long position) throws IOException {
        return channel.read(buffer, position);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
