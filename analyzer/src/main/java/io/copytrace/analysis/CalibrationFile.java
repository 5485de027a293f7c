// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One temporary file of zeros ({@link #BYTES} unless asked otherwise), written once (its pages then in the page
 * cache) for the calibrations that need a file ({@link PageFaultCost} maps it, {@link FileCopyCost} copies it,
 * {@link ShortDistanceCopy} reads its first 64 KiB), and deleted
 * on close. Only ever made in the reporting process, never in the app's JVM.
 */
final class CalibrationFile implements AutoCloseable {
    static final int BYTES = 32 << 20;
    private static final int CHUNK = 1 << 20;
    final Path path;

    private CalibrationFile(Path path) {
        this.path = path;
    }

    /** Writes the file in {@code dir}; on failure nothing is left behind. */
    static CalibrationFile create(Path dir) throws IOException {
        return create(dir, BYTES);
    }

    /** Writes a file of {@code bytes} (whole MiB) in {@code dir}; on failure nothing is left behind. */
    static CalibrationFile create(Path dir, long bytes) throws IOException {
        Path file = Files.createTempFile(dir, "copytrace-calibration", ".bin");
        CalibrationFile made = new CalibrationFile(file);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
            for (long done = 0; done < bytes; done += CHUNK) {
                chunk.clear();
                while (chunk.hasRemaining()) out.write(chunk);
            }
            return made;
        } catch (IOException | RuntimeException e) {
            made.close();
            throw e;
        }
    }

    /**
     * Reads from {@code in} at file offset {@code at} into {@code into} until it is full or the file ends, without
     * moving the channel's position (pread): a page-cache read returns it all at once, a short one goes on.
     */
    static void readFully(FileChannel in, ByteBuffer into, long at) throws IOException {
        int start = into.position();
        while (into.hasRemaining() && in.read(into, at + into.position() - start) > 0) {
            // on where the last read ended
        }
    }

    /** The directory the file is in (where copies of it go). */
    Path dir() {
        return path.getParent();
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a temporary file left behind
        }
    }
}
