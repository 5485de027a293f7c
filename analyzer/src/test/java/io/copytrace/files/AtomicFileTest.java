// SPDX-License-Identifier: Apache-2.0
package io.copytrace.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one atomic writer: whole files, owner-only, nothing left behind when it fails. */
class AtomicFileTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writesTheWholeTextOwnerOnlyAndReplacesTheOldFile() throws Exception {
        Path file = dir.resolve("recording-1.json");
        Files.writeString(file, "old");
        AtomicFile.write(file, "{\"new\": true}");
        assertEquals("{\"new\": true}", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of(file), files());
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFile() throws Exception {
        // the rename cannot replace a non-empty directory: the write fails after the temporary file is full
        Path target = dir.resolve("recording-2.json");
        Files.createDirectories(target.resolve("in-the-way"));
        assertThrows(IOException.class, () -> AtomicFile.write(target, "x".repeat(100_000)));
        assertEquals(List.of(target), files());
    }
}
