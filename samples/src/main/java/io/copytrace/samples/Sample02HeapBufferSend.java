// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Lesson 2: sending a file to a socket through a heap {@link ByteBuffer}.
 *
 * <p>{@code FileChannel.read(heap)} then {@code SocketChannel.write(heap)}: NIO channels only do I/O on
 * native memory, so {@code sun.nio.ch.IOUtil} copies every read out of a temporary direct buffer into the
 * heap buffer, and every write back into one. With the kernel's two copies that is <b>4 CPU copies per
 * byte</b> (K + U + U + K) and two syscalls per 64 KiB.
 *
 * <p>copytrace reports one <b>read-write-loop</b> finding at {@link #sendWithHeapBuffer}, saving 3 of the
 * 4 copies per byte; the two heap copies are part of it and not reported again as heap-buffer findings.
 * The fix, {@code --send=transferTo}, is {@link FileChannel#transferTo}: {@code sendfile}, one
 * in-kernel copy and ~one syscall per file (lesson 4).
 *
 * <h2>How to run</h2>
 * <pre>
 * java -javaagent:dist/copytrace.jar=out=out/s02 -cp samples/target/classes \
 *      io.copytrace.samples.Sample02HeapBufferSend [--send=heap-loop|transferTo] [--mib=32]
 * java -jar dist/copytrace.jar report out/s02/recording-*.json
 * </pre>
 * Prints {@code TRUTH file.bytes}, {@code sent} and {@code received} (what the loopback peer got).
 */
public final class Sample02HeapBufferSend {
    static final int BUFFER_SIZE = 64 * SampleFiles.KiB;

    private Sample02HeapBufferSend() {}

    public static void main(String[] args) throws Exception {
        run(args).print();
    }

    /** Runs the sample with {@code args} (see the class comment) and returns what it moved. */
    public static Totals run(String... args) throws Exception {
        Flags flags = Flags.parse(args);
        String send = flags.choice("send", "heap-loop", "transferTo");
        int mib = flags.positive("mib", 32);
        Path dir = SampleFiles.workDir(flags.string("dir", ""));
        flags.done();
        Totals totals = new Totals();
        try (Loopback peer = Loopback.sink()) {
            Path file = SampleFiles.create(dir.resolve("file.bin"), (long) mib * SampleFiles.MiB);
            try (FileChannel in = FileChannel.open(file); SocketChannel out = peer.connect()) {
                totals.add("file.bytes", in.size());
                ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
                totals.add("sent", totals.timed(() -> send.equals("heap-loop")
                        ? sendWithHeapBuffer(in, out, buffer)
                        : sendWithTransferTo(in, out)));
            }
            totals.add("received", peer.awaitReceived(totals.get("sent")));
        } finally {
            SampleFiles.deleteTree(dir);
        }
        return totals;
    }

    /** The copy-heavy way: a read/write loop through a heap buffer. */
    static long sendWithHeapBuffer(FileChannel in, SocketChannel out, ByteBuffer buffer) throws IOException {
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
