// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Lesson 5: {@code transferTo} calls that silently stop being zero-copy.
 *
 * <p>{@link FileChannel#transferTo} never fails when it cannot use the kernel: it falls back, quietly.
 * <ol>
 * <li><b>A wrapper target.</b> Only the JDK's own {@code FileChannel} and {@code SocketChannel} get
 * {@code sendfile}. Wrap the socket in a {@link WritableByteChannel} of your own (here one that counts
 * bytes, a common decorator) and the JDK runs its 8 KiB heap-buffer loop: 2 JVM copies and 2 syscalls per
 * 8 KiB more than lesson 4. Reported as <b>transfer-fallback</b>, reason {@code target-type}.</li>
 * <li><b>An append-mode target file.</b> {@code sendfile}/{@code copy_file_range} write at an offset, which
 * an {@code APPEND} channel cannot honour, so the JDK maps the source and writes the mapping (mmap + write,
 * no user-space copy but a mapping per 8 MiB). Reported as <b>transfer-fallback</b>, reason
 * {@code append-target}.</li>
 * <li><b>The sticky flag (JDK 17 and 21).</b> That append-mode transfer switches the direct file-to-file
 * path off for the rest of the JVM's life: the next, perfectly ordinary file-to-file {@code transferTo}
 * is mapped too. Reported as <b>transfer-fallback</b>, reason {@code sticky-flag}. JDK 25 is not sticky:
 * there the same call is {@code copy_file_range}, a <b>zero-copy</b> "good" finding.</li>
 * </ol>
 * The fix, {@code --target=real}, passes the real {@code SocketChannel} and opens the log without
 * {@code APPEND} (writing at {@code size()} instead).
 *
 * <h2>How to run</h2>
 * <pre>
 * java -javaagent:dist/copytrace.jar=out=out/s05 -cp samples/target/classes \
 *      io.copytrace.samples.Sample05SilentFallbacks [--target=wrapped|real] [--mib=16]
 * java -jar dist/copytrace.jar report out/s05/recording-*.json
 * </pre>
 * Prints {@code TRUTH file.bytes}, {@code sent}, {@code received}, {@code appended} and {@code copied}.
 */
public final class Sample05SilentFallbacks {
    private Sample05SilentFallbacks() {}

    public static void main(String[] args) throws Exception {
        run(args).print();
    }

    /** Runs the sample with {@code args} (see the class comment) and returns what it moved. */
    public static Totals run(String... args) throws Exception {
        Flags flags = Flags.parse(args);
        boolean wrapped = flags.choice("target", "wrapped", "real").equals("wrapped");
        int mib = flags.positive("mib", 16);
        Path dir = SampleFiles.workDir(flags.string("dir", ""));
        flags.done();
        Totals totals = new Totals();
        try (Loopback peer = Loopback.sink()) {
            Path file = SampleFiles.create(dir.resolve("file.bin"), (long) mib * SampleFiles.MiB);
            try (FileChannel in = FileChannel.open(file)) {
                totals.add("file.bytes", in.size());
                try (SocketChannel socket = peer.connect()) {
                    WritableByteChannel target = wrapped ? new CountingChannel(socket) : socket;
                    totals.add("sent", sendToChannel(in, target));
                }
                totals.add("received", peer.awaitReceived(totals.get("sent")));
                try (FileChannel log = wrapped
                        ? FileChannel.open(dir.resolve("log.bin"), StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                        : FileChannel.open(dir.resolve("log.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    totals.add("appended", appendToLog(in, log));
                }
                try (FileChannel copy = FileChannel.open(dir.resolve("copy.bin"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
                    totals.add("copied", copyToFile(in, copy));
                }
            }
        } finally {
            SampleFiles.deleteTree(dir);
        }
        return totals;
    }

    /** transferTo into whatever channel it is given: sendfile for a SocketChannel, the 8 KiB loop otherwise. */
    static long sendToChannel(FileChannel in, WritableByteChannel out) throws IOException {
        long position = 0;
        long size = in.size();
        while (position < size) position += in.transferTo(position, size - position, out);
        return position;
    }

    /** transferTo at the end of a log: mapped when the log is in APPEND mode, direct when written at size(). */
    static long appendToLog(FileChannel in, FileChannel log) throws IOException {
        long position = 0;
        long size = in.size();
        long end = log.size();
        while (position < size) {
            if (log.position() != end + position) log.position(end + position); // a no-op in APPEND mode
            position += in.transferTo(position, size - position, log);
        }
        return position;
    }

    /** An ordinary file-to-file transferTo: direct, unless an earlier APPEND transfer set JDK 17's sticky flag. */
    static long copyToFile(FileChannel in, FileChannel out) throws IOException {
        long position = 0;
        long size = in.size();
        while (position < size) position += in.transferTo(position, size - position, out);
        return position;
    }

    /** A decorator that counts what goes through it: to the JDK, "some other channel". */
    static final class CountingChannel implements WritableByteChannel {
        private final WritableByteChannel delegate;
        private long written;

        CountingChannel(WritableByteChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = delegate.write(src);
            written += n;
            return n;
        }

        long written() {
            return written;
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
