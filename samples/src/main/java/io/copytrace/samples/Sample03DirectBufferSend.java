// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Lesson 3: the same loop as lesson 2 with a direct {@link ByteBuffer}.
 *
 * <p>A direct buffer lives in native memory, so {@code IOUtil} hands it to {@code read}/{@code write} as is:
 * the two JVM copies of lesson 2 are gone and <b>2 CPU copies per byte</b> remain, both made by the kernel
 * (page cache into the buffer, buffer into the socket), plus two syscalls per 64 KiB.
 *
 * <p>Still, every byte crosses into user space and back for nothing: copytrace reports one
 * <b>read-write-loop</b> finding at {@link #sendWithDirectBuffer}, saving 1 copy per byte and almost every
 * syscall. The fix, {@code --send=transferTo}, is {@code sendfile} (lesson 4).
 *
 * <h2>How to run</h2>
 * <pre>
 * java -javaagent:dist/copytrace.jar=out=out/s03 -cp samples/target/classes \
 *      io.copytrace.samples.Sample03DirectBufferSend [--send=direct-loop|transferTo] [--mib=32]
 * java -jar dist/copytrace.jar report out/s03/recording-*.json
 * </pre>
 * Prints {@code TRUTH file.bytes}, {@code sent} and {@code received} (what the loopback peer got).
 */
public final class Sample03DirectBufferSend {
    static final int BUFFER_SIZE = 64 * SampleFiles.KiB;

    private Sample03DirectBufferSend() {}

    public static void main(String[] args) throws Exception {
        run(args).print();
    }

    /** Runs the sample with {@code args} (see the class comment) and returns what it moved. */
    public static Totals run(String... args) throws Exception {
        Flags flags = Flags.parse(args);
        String send = flags.choice("send", "direct-loop", "transferTo");
        int mib = flags.positive("mib", 32);
        Path dir = SampleFiles.workDir(flags.string("dir", ""));
        flags.done();
        Totals totals = new Totals();
        try (Loopback peer = Loopback.sink()) {
            Path file = SampleFiles.create(dir.resolve("file.bin"), (long) mib * SampleFiles.MiB);
            try (FileChannel in = FileChannel.open(file); SocketChannel out = peer.connect()) {
                totals.add("file.bytes", in.size());
                ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
                totals.add("sent", totals.timed(() -> send.equals("direct-loop")
                        ? sendWithDirectBuffer(in, out, buffer)
                        : sendWithTransferTo(in, out)));
            }
            totals.add("received", peer.awaitReceived(totals.get("sent")));
        } finally {
            SampleFiles.deleteTree(dir);
        }
        return totals;
    }

    /** Better, still not best: a read/write loop through a direct buffer (2 copies per byte, 2 syscalls per 64 KiB). */
    static long sendWithDirectBuffer(FileChannel in, SocketChannel out, ByteBuffer buffer) throws IOException {
        long sent = 0;
        while (in.read(buffer) != -1) {
            buffer.flip();
            while (buffer.hasRemaining()) sent += out.write(buffer);
            buffer.clear();
        }
        return sent;
    }

    /** The fix: sendfile, one in-kernel copy; one call usually moves the whole file (at most 2 GiB - 4 KiB). */
    static long sendWithTransferTo(FileChannel in, SocketChannel out) throws IOException {
        long position = 0;
        long size = in.size();
        while (position < size) position += in.transferTo(position, size - position, out);
        return position;
    }
}
