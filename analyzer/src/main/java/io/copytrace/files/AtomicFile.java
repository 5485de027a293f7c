// SPDX-License-Identifier: Apache-2.0
package io.copytrace.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The one way copytrace writes its files (recordings, reports, flame graphs): into a temporary sibling
 * created owner-only (rw-------: recordings and reports name files and peers), then renamed over the target,
 * so a reader sees the old file or the whole new one. The temporary file is removed on every failure (a full
 * disk leaves nothing behind). The woven-class cache has its own java.io writer: it runs inside class loading
 * of the NIO classes this one uses.
 */
public final class AtomicFile {
    private static final java.util.concurrent.atomic.AtomicLong NEXT = new java.util.concurrent.atomic.AtomicLong();

    private AtomicFile() {}

    /** Writes {@code text} (UTF-8) to {@code file}, replacing it atomically; the file is owner-only. */
    public static void write(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(file, out -> {
            out.write(bytes);
            return bytes.length;
        });
    }

    /** A file's bytes written as they are made, to an {@link OutputStream} (no array of them all). */
    @FunctionalInterface
    public interface Content {
        /** Writes the content to {@code out}; returns what the caller wants back (a length, for its own use). */
        long writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes the bytes {@code content} makes to {@code file}, replacing it atomically (a temporary owner-only
     * sibling renamed over it, removed on every failure); returns what {@link Content#writeTo} returned. The
     * stream is not buffered: write in pieces.
     */
    public static long write(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = createOwnerOnly(dir, file.getFileName().toString());
        try {
            long result;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                result = content.writeTo(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return result;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A new owner-only (rw-------) sibling named after the target, this process and a counter. Not
     * Files.createTempFile: its random names load SecureRandom and the security providers, tens of ms at
     * a JVM's exit, where the agent writes its recording.
     */
    private static Path createOwnerOnly(Path dir, String name) throws IOException {
        String stem = name + "." + ProcessHandle.current().pid() + ".";
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(stem + NEXT.incrementAndGet() + "." + System.nanoTime() + ".tmp");
            try {
                if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    return Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                }
                return Files.createFile(tmp);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                if (attempt >= 100) throw taken; // another writer keeps winning: give up rather than loop
            }
        }
    }
}
