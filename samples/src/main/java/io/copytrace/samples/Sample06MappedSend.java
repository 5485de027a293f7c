// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Lesson 6: sending a large file with mmap + write.
 *
 * <p>Mapping the file and writing the {@link MappedByteBuffer} to a socket avoids the JVM's copies (a
 * mapped buffer is native memory) and leaves one kernel copy per byte, page cache into the socket: the
 * same as {@code sendfile}. But it pays for the mapping: an {@code mmap} and {@code munmap} per region, a
 * page fault per 4 KiB page touched, TLB shootdowns on unmap, and a {@code write} per call. And unlike
 * {@code sendfile} it can never reach zero copies with a scatter/gather-DMA NIC.
 *
 * <p>copytrace reports a <b>mapped-send</b> finding at {@link #sendMapped} (large sequential writes of a
 * mapping). mmap is the right tool for small random reads, not for streaming a file out. The fix,
 * {@code --send=transferTo}, is {@code sendfile}.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -javaagent:dist/copytrace.jar=out=out/s06 -cp samples/target/classes \
 *      io.copytrace.samples.Sample06MappedSend [--send=mmap|transferTo] [--mib=64]
 * java -jar dist/copytrace.jar report out/s06/recording-*.json
 * </pre>
 * Prints {@code TRUTH file.bytes}, {@code sent} and {@code received}.
 */
public final class Sample06MappedSend {
    /** Bytes per socket write: a large sequential send, the case the finding is about. */
    static final int WRITE_SIZE = SampleFiles.MiB;

    private Sample06MappedSend() {}

    public static void main(String[] args) throws Exception {
        run(args).print();
    }

    /** Runs the sample with {@code args} (see the class comment) and returns what it moved. */
    public static Totals run(String... args) throws Exception {
        Flags flags = Flags.parse(args);
        String send = flags.choice("send", "mmap", "transferTo");
        int mib = flags.positive("mib", 64);
        Path dir = SampleFiles.workDir(flags.string("dir", ""));
        flags.done();
        Totals totals = new Totals();
        try (Loopback peer = Loopback.sink()) {
            Path file = SampleFiles.create(dir.resolve("large.bin"), (long) mib * SampleFiles.MiB);
            try (FileChannel in = FileChannel.open(file); SocketChannel out = peer.connect()) {
                totals.add("file.bytes", in.size());
                totals.add("sent", totals.timed(() -> send.equals("mmap") ? sendMapped(in, out) : sendWithTransferTo(in, out)));
            }
            totals.add("received", peer.awaitReceived(totals.get("sent")));
        } finally {
            SampleFiles.deleteTree(dir);
        }
        return totals;
    }

    /** The mapped way: one read-only mapping, written to the socket 1 MiB per call. */
    static long sendMapped(FileChannel in, SocketChannel out) throws IOException {
        MappedByteBuffer map = in.map(FileChannel.MapMode.READ_ONLY, 0, in.size());
        long sent = 0;
        while (map.hasRemaining()) {
            int end = Math.min(map.position() + WRITE_SIZE, map.capacity());
            map.limit(end);
            while (map.hasRemaining()) sent += out.write(map);
            map.limit(map.capacity());
        }
        return sent;
    }

    /** The fix: sendfile, no mapping, no page faults, one syscall per file. */
    static long sendWithTransferTo(FileChannel in, SocketChannel out) throws IOException {
        long position = 0;
        long size = in.size();
        while (position < size) position += in.transferTo(position, size - position, out);
        return position;
    }
}
