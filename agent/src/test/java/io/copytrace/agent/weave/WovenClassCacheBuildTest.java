// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache's build folder changes with any change to the agent jar: woven bytes inline the advice, so
 * advice moved to another class (or changed) must never meet classes woven by an older build.
 */
class WovenClassCacheBuildTest {
    @TempDir
    Path dir;

    private Path jar(String name, String... entries) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (int i = 0; i < entries.length; i += 2) {
                out.putNextEntry(new ZipEntry(entries[i]));
                out.write(entries[i + 1].getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void theSameEntriesAreTheSameBuild() throws IOException {
        assertEquals(WovenClassCache.buildId(jar("a.jar", "hooks/MiscHooks$Load.class", "advice")),
                WovenClassCache.buildId(jar("b.jar", "hooks/MiscHooks$Load.class", "advice")));
    }

    @Test
    void anAdviceClassRenamedIsAnotherBuild() throws IOException {
        assertNotEquals(WovenClassCache.buildId(jar("a.jar", "hooks/MiscHooks$Load.class", "advice")),
                WovenClassCache.buildId(jar("b.jar", "hooks/MappedBufferHooks$Load.class", "advice")));
    }

    @Test
    void anAdviceChangedIsAnotherBuild() throws IOException {
        assertNotEquals(WovenClassCache.buildId(jar("a.jar", "hooks/MappedBufferHooks$Load.class", "advice")),
                WovenClassCache.buildId(jar("b.jar", "hooks/MappedBufferHooks$Load.class", "advice 2")));
    }
}
