// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The exit's compiler directive, on this test JVM (the package is opened by surefire's argLine, not an agent). */
class ExitCompilesTest {
    private static String directives(ExitCompiles jit) {
        return jit.run("Compiler.directives_print");
    }

    @Test
    void holdAddsAnExcludeEverythingDirectiveAndTheReleaseRemovesIt() throws Exception {
        ExitCompiles jit = ExitCompiles.prepare(null);
        assertNotNull(jit, "JDK 17+ HotSpot has the diagnostic command");
        assertFalse(directives(jit).contains("Exclude:true"), directives(jit));
        Path dir = AgentRun.tempDir("exit compiles"); // a space in the path: the command's argument is quoted
        Path recording = dir.resolve("recording-1.json");

        ExitCompiles held = ExitCompiles.hold(null, recording);

        assertNotNull(held, "added");
        String printed = directives(jit);
        assertTrue(printed.contains("matching: *.*") && printed.contains("Exclude:true"), printed);
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "the directive file is deleted once read");
        }
        held.release();
        assertFalse(directives(jit).contains("Exclude:true"), directives(jit));
    }

    @Test
    void theWarmUpKeepsTheDirectiveInTheCacheFolderAndTheHoldOnlyRunsTheCommand() throws Exception {
        Path cache = AgentRun.tempDir("exit compiles cache");
        ExitCompiles jit = ExitCompiles.prepare(null, cache);
        assertNotNull(jit);
        Path kept = cache.resolve(ExitCompiles.KEPT_NAME);
        assertEquals(ExitCompiles.EXCLUDE_ALL, Files.readString(kept));

        // Next to a recording where nothing can be written: only the kept file can be the one read.
        ExitCompiles held = ExitCompiles.hold(null, Path.of("/proc/no-such-dir/recording-1.json"));
        try {
            assertNotNull(held, "added from the kept file");
            assertTrue(directives(jit).contains("Exclude:true"), directives(jit));
            assertTrue(Files.exists(kept), "kept for the next run");
        } finally {
            if (held != null) held.release();
        }
        assertFalse(directives(jit).contains("Exclude:true"), directives(jit));
        Files.writeString(kept, "[{match: \"*.*\", Exclude: false}]"); // changed since: rewritten
        ExitCompiles.prepare(null, cache);
        assertEquals(ExitCompiles.EXCLUDE_ALL, Files.readString(kept));
        Files.delete(kept); // gone: a hold writes the directive next to the recording again (the other tests)
    }

    @Test
    void aDirectiveThatCannotBeWrittenIsNotAddedAndNothingIsRemoved() throws Exception {
        ExitCompiles jit = ExitCompiles.prepare(null);
        String before = directives(jit);

        assertNull(ExitCompiles.hold(null, Path.of("/proc/no-such-dir/recording-1.json")));
        assertNull(ExitCompiles.hold(null, AgentRun.tempDir("quote").resolve("a\"quote.json")));

        assertEquals(before, directives(jit));
    }

    @Test
    void onlyACloseKnownToBeSmallIsHeldBack() {
        assertTrue(ExitCompiles.small(18_000, 18), "a short service's recording");
        assertTrue(ExitCompiles.small(ExitCompiles.SMALL_RECORDING_CHARS, -1), "kernel=off: no threads to read");
        assertFalse(ExitCompiles.small(-1, 18), "nothing written yet: size unknown");
        assertFalse(ExitCompiles.small(9_000_000, 18), "10,000 call sites run faster compiled");
        assertFalse(ExitCompiles.small(18_000, ExitCompiles.SMALL_THREADS + 1), "many threads' /proc files");
    }
}
