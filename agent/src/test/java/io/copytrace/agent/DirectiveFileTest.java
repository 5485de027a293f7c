// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A compiler directive's file: kept in the cache folder, else next to the recording and deleted once read. */
class DirectiveFileTest {
    private static final String TEXT = "[{match: \"io/copytrace/none/Nothing.*\", c2: {Exclude: true}}]";

    @Test
    void theKeptFileIsWrittenOnceAndRewrittenWhenItsTextDiffers() throws Exception {
        Path folder = AgentRun.tempDir("directive kept");
        File kept = DirectiveFile.kept(folder, "d.json", TEXT);
        assertNotNull(kept);
        assertEquals(TEXT, Files.readString(kept.toPath()));
        long written = kept.lastModified();
        assertTrue(kept.setLastModified(written - 60_000));
        assertEquals(kept, DirectiveFile.kept(folder, "d.json", TEXT));
        assertEquals(written - 60_000, kept.lastModified(), "the same text is not written again");

        // Same length, other text (a length check alone would keep it).
        String other = TEXT.replace("true", "TRUE");
        Files.writeString(kept.toPath(), other);
        assertEquals(kept, DirectiveFile.kept(folder, "d.json", TEXT));
        assertEquals(TEXT, Files.readString(kept.toPath()));
        try (var files = Files.list(folder)) {
            assertEquals(List.of(kept.toPath()), files.toList(), "no sibling left behind");
        }
    }

    @Test
    void noFolderOrOneThatCannotBeWrittenKeepsNothing() {
        assertNull(DirectiveFile.kept(null, "d.json", TEXT));
        assertNull(DirectiveFile.kept(Path.of("/proc/no-such-dir"), "d.json", TEXT));
    }

    @Test
    void withoutAKeptFileTheDirectiveIsAddedFromTheRecordingsFolderAndTheFileDeleted() throws Exception {
        ExitCompiles jit = ExitCompiles.prepare(null);
        assertNotNull(jit, "JDK 17+ HotSpot has the diagnostic command");
        Path folder = AgentRun.tempDir("directive next to the recording");
        String before = jit.run("Compiler.directives_print");
        assertFalse(before.contains("io/copytrace/none/Nothing"), before);

        assertTrue(DirectiveFile.add(jit, null, TEXT, folder.resolve("recording-1.json"), ".walk"));
        try {
            assertTrue(jit.run("Compiler.directives_print").contains("io/copytrace/none/Nothing"));
            try (var files = Files.list(folder)) {
                assertEquals(0, files.count(), "deleted once read");
            }
        } finally {
            jit.release();
        }
        assertEquals(before, jit.run("Compiler.directives_print"));
        assertFalse(DirectiveFile.add(jit, null, TEXT, Path.of("/proc/no-such-dir/recording-1.json"), ".walk"));
    }
}
