// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Input files for the samples. They are written through one reused direct buffer in 1 MiB calls, so
 * setting a sample up adds no JVM copy and no finding of its own to the recording.
 */
public final class SampleFiles {
    public static final int MiB = 1 << 20;
    public static final int KiB = 1 << 10;

    private SampleFiles() {}

    /** The sample's working directory: {@code --dir} when given, else a new temporary directory. */
    public static Path workDir(String dir) throws IOException {
        if (dir.isEmpty()) return Files.createTempDirectory("copytrace-sample");
        return Files.createDirectories(Path.of(dir));
    }

    /** Writes {@code size} pseudo-random bytes to {@code file} (replacing it) and returns the file. */
    public static Path create(Path file, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(MiB);
        SplittableRandom random = new SplittableRandom(size);
        while (chunk.remaining() >= 8) chunk.putLong(random.nextLong());
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long written = 0; written < size; ) {
                chunk.clear().limit((int) Math.min(MiB, size - written));
                while (chunk.hasRemaining()) written += out.write(chunk);
            }
        }
        return file;
    }

    /** Deletes {@code dir} and everything in it (the samples clean up after themselves). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
