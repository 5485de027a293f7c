// SPDX-License-Identifier: Apache-2.0
package io.copytrace.files;

import java.io.IOException;
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
    private AtomicFile() {}

    /** Writes {@code text} (UTF-8) to {@code file}, replacing it atomically; the file is owner-only. */
    public static void write(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString() + ".", ".tmp"); // rw------- on POSIX
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
