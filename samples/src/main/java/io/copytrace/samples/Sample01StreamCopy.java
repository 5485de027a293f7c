// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Lesson 1: copying a file with {@code java.io} streams.
 *
 * <p>The loop every Java programmer has written: read a {@code byte[]} from a {@link FileInputStream},
 * write it to a {@link FileOutputStream}. Each byte is copied four times by the CPU: the kernel copies
 * the page cache into the JVM's native buffer ({@code read}), JNI copies that into the array
 * ({@code SetByteArrayRegion}), JNI copies the array out again ({@code GetByteArrayRegion}) and the kernel
 * copies it into the destination's page cache ({@code write}). With a buffer above 8 KiB the JVM also
 * {@code malloc}s and frees a native buffer on every call.
 *
 * <p>copytrace reports this once, as a <b>read-write-loop</b> at {@link #copyWithStreams}: the read and the
 * write sit in one method and move the same bytes. The fix, {@code --copy=files-copy}, is one
 * {@link Files#copy(Path, Path, java.nio.file.CopyOption...)}: {@code sendfile} on JDK 17,
 * {@code copy_file_range} on JDK 21+, no byte in user space (a <b>zero-copy</b> "good" finding).
 *
 * <h2>How to run</h2>
 * <pre>
 * make build
 * java -javaagent:dist/copytrace.jar=out=out/s01 -cp samples/target/classes \
 *      io.copytrace.samples.Sample01StreamCopy [--copy=streams|files-copy] [--mib=32]
 * java -jar dist/copytrace.jar report out/s01/recording-*.json
 * </pre>
 * Prints {@code TRUTH file.bytes=...} and {@code TRUTH copied=...}.
 */
public final class Sample01StreamCopy {
    /** The array size most copy loops use; above 8 KiB, java.io mallocs a native buffer per call. */
    static final int BUFFER_SIZE = 64 * SampleFiles.KiB;

    private Sample01StreamCopy() {}

    public static void main(String[] args) throws Exception {
        run(args).print();
    }

    /** Runs the sample with {@code args} (see the class comment) and returns what it moved. */
    public static Totals run(String... args) throws Exception {
        Flags flags = Flags.parse(args);
        String copy = flags.choice("copy", "streams", "files-copy");
        int mib = flags.positive("mib", 32);
        Path dir = SampleFiles.workDir(flags.string("dir", ""));
        flags.done();
        Totals totals = new Totals();
        try {
            Path source = SampleFiles.create(dir.resolve("source.bin"), (long) mib * SampleFiles.MiB);
            Path target = dir.resolve("target.bin");
            totals.add("file.bytes", Files.size(source));
            totals.add("copied", totals.timed(() -> copy.equals("streams")
                    ? copyWithStreams(source, target)
                    : copyWithFiles(source, target)));
        } finally {
            SampleFiles.deleteTree(dir);
        }
        return totals;
    }

    /** The copy-heavy way: 4 CPU copies per byte, two syscalls and a malloc/free pair per 64 KiB. */
    static long copyWithStreams(Path source, Path target) throws IOException {
        long copied = 0;
        try (FileInputStream in = new FileInputStream(source.toFile());
             FileOutputStream out = new FileOutputStream(target.toFile())) {
            byte[] buffer = new byte[BUFFER_SIZE];
            for (int n; (n = in.read(buffer)) != -1; copied += n) {
                out.write(buffer, 0, n);
            }
        }
        return copied;
    }

    /** The fix: the kernel copies the file (sendfile on JDK 17, copy_file_range on 21+). */
    static long copyWithFiles(Path source, Path target) throws IOException {
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        return Files.size(target);
    }
}
