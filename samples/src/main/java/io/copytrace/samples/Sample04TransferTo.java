// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Lesson 4: {@link FileChannel#transferTo}, the zero-copy path.
 *
 * <p>To a {@link SocketChannel}, {@code transferTo} is {@code sendfile}: the kernel moves page-cache pages
 * into the socket, one in-kernel copy per byte (none with a scatter/gather-DMA NIC), no user-space copy
 * and about one syscall per file. JDK 21+ first tries {@code copy_file_range}, gets {@code EINVAL} from the
 * socket and then calls {@code sendfile}: two syscalls per call, still zero-copy. Between two
 * {@link FileChannel}s it is {@code sendfile} on JDK 17 and {@code copy_file_range} on 21+ (one in-kernel
 * copy on ext4, none on file systems that share extents).
 *
 * <p>copytrace reports both transfers as <b>zero-copy</b> "good" findings at {@link #sendToSocket} and
 * {@link #copyToFile}, and no opportunity at all: there is nothing left to fix.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -javaagent:dist/copytrace.jar=out=out/s04 -cp samples/target/classes \
 *      io.copytrace.samples.Sample04TransferTo [--mib=32]
 * java -jar dist/copytrace.jar report out/s04/recording-*.json
 * </pre>
 * Prints {@code TRUTH file.bytes}, {@code sent}, {@code received} and {@code copied}.
 */
public final class Sample04TransferTo {
    private Sample04TransferTo() {}

    public static void main(String[] args) throws Exception {
        run(args).print();
    }

    /** Runs the sample with {@code args} (see the class comment) and returns what it moved. */
    public static Totals run(String... args) throws Exception {
        Flags flags = Flags.parse(args);
        int mib = flags.positive("mib", 32);
        Path dir = SampleFiles.workDir(flags.string("dir", ""));
        flags.done();
        Totals totals = new Totals();
        try (Loopback peer = Loopback.sink()) {
            Path file = SampleFiles.create(dir.resolve("file.bin"), (long) mib * SampleFiles.MiB);
            try (FileChannel in = FileChannel.open(file)) {
                totals.add("file.bytes", in.size());
                try (SocketChannel out = peer.connect()) {
                    totals.add("sent", sendToSocket(in, out));
                }
                totals.add("received", peer.awaitReceived(totals.get("sent")));
                try (FileChannel out = FileChannel.open(dir.resolve("copy.bin"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    totals.add("copied", copyToFile(in, out));
                }
            }
        } finally {
            SampleFiles.deleteTree(dir);
        }
        return totals;
    }

    /** File to socket: sendfile (JDK 17), copy_file_range(EINVAL) + sendfile (JDK 21+). */
    static long sendToSocket(FileChannel in, SocketChannel out) throws IOException {
        long position = 0;
        long size = in.size();
        while (position < size) position += in.transferTo(position, size - position, out);
        return position;
    }

    /** File to file: sendfile (JDK 17), copy_file_range (JDK 21+). */
    static long copyToFile(FileChannel in, FileChannel out) throws IOException {
        long position = 0;
        long size = in.size();
        while (position < size) position += in.transferTo(position, size - position, out);
        return position;
    }
}
