// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Lesson 8: the JDK's copy helpers, {@code Files.copy} and {@code InputStream.transferTo}.
 *
 * <p>They look alike and are not. Which one reaches the kernel depends on both ends and on the JDK:
 * <table>
 * <caption>what each helper runs (zero-copy primer §3)</caption>
 * <tr><th>call</th><th>JDK 17</th><th>JDK 21/25</th></tr>
 * <tr><td>{@code Files.copy(Path, Path)}</td><td>sendfile</td><td>copy_file_range</td></tr>
 * <tr><td>{@code Files.copy(Path, FileOutputStream)}</td><td>8 KiB loop</td><td>16 KiB loop</td></tr>
 * <tr><td>{@code FileInputStream.transferTo(FileOutputStream)}</td><td>loop</td><td>copy_file_range</td></tr>
 * <tr><td>{@code FileInputStream.transferTo(socket stream)}</td><td>loop</td><td>loop</td></tr>
 * </table>
 * copytrace reports the direct ones as <b>zero-copy</b> "good" findings and each loop as a
 * <b>transfer-fallback</b> at its method ({@link #pathToPath}, {@link #pathToStream}, {@link #fileStreams},
 * {@link #fileToSocketStream}): on JDK 17 three fallbacks, on JDK 21+ two.
 * A loop keeps every byte in user space: four CPU copies per byte instead of one.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -javaagent:dist/copytrace.jar=out=out/s08 -cp samples/target/classes \
 *      io.copytrace.samples.Sample08FilesCopy [--mib=16]
 * java -jar dist/copytrace.jar report out/s08/recording-*.json
 * </pre>
 * Prints {@code TRUTH file.bytes}, {@code path-to-path}, {@code path-to-stream}, {@code file-streams},
 * {@code file-to-socket-stream} and {@code received}.
 */
public final class Sample08FilesCopy {
    private Sample08FilesCopy() {}

    public static void main(String[] args) throws Exception {
        run(args).print();
    }

    /** Runs the sample with {@code args} (see the class comment) and returns what it moved. */
    public static Totals run(String... args) throws Exception {
        Flags flags = Flags.parse(args);
        int mib = flags.positive("mib", 16);
        Path dir = SampleFiles.workDir(flags.string("dir", ""));
        flags.done();
        Totals totals = new Totals();
        try (Loopback peer = Loopback.sink()) {
            Path source = SampleFiles.create(dir.resolve("source.bin"), (long) mib * SampleFiles.MiB);
            totals.add("file.bytes", Files.size(source));
            totals.add("path-to-path", pathToPath(source, dir.resolve("a.bin")));
            totals.add("path-to-stream", pathToStream(source, dir.resolve("b.bin")));
            totals.add("file-streams", fileStreams(source, dir.resolve("c.bin")));
            try (Socket socket = new Socket()) {
                socket.connect(peer.address());
                totals.add("file-to-socket-stream", fileToSocketStream(source, socket));
            }
            totals.add("received", peer.awaitReceived(totals.get("file-to-socket-stream")));
        } finally {
            SampleFiles.deleteTree(dir);
        }
        return totals;
    }

    /** Files.copy(Path, Path): in the kernel on every JDK. */
    static long pathToPath(Path source, Path target) throws IOException {
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        return Files.size(target);
    }

    /** Files.copy(Path, OutputStream): a buffer loop, whatever the stream is. */
    static long pathToStream(Path source, Path target) throws IOException {
        try (OutputStream out = new FileOutputStream(target.toFile())) {
            return Files.copy(source, out);
        }
    }

    /** FileInputStream.transferTo(FileOutputStream): a loop on JDK 17, copy_file_range on 21+. */
    static long fileStreams(Path source, Path target) throws IOException {
        try (InputStream in = new FileInputStream(source.toFile());
             OutputStream out = new FileOutputStream(target.toFile())) {
            return in.transferTo(out);
        }
    }

    /** FileInputStream.transferTo(a Socket's stream): a loop on every JDK; a SocketChannel would get sendfile. */
    static long fileToSocketStream(Path source, Socket socket) throws IOException {
        try (InputStream in = new FileInputStream(source.toFile())) {
            long n = in.transferTo(socket.getOutputStream());
            socket.shutdownOutput();
            return n;
        }
    }
}
