// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.Finding;
import io.copytrace.testing.Jdk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JDK's hidden buffer memory: eight threads each leave a 1 MiB temporary direct buffer cached after one
 * heap-buffer write; the recording reads the caches at the close (exactly 8 × 1 MiB), the heap-buffer finding
 * states it, and {@code -Djdk.nio.maxCachedBufferSize} below 1 MiB leaves nothing cached (a malloc per call).
 */
class TemporaryBuffersIT {
    private static final long MiB = 1 << 20;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void eachThreadKeepsItsTemporaryBufferCached(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("temp-buffers");

        assertEquals(0, run.exit(), run.stderr());
        assertEquals(8 * MiB, run.truth().get("bytes"));
        RecordingView rec = run.recording();
        Map<String, Object> caches = rec.section("temporaryDirectBuffers");
        Map<String, Object> holders = group(caches, "holder-#");
        assertEquals(8L, holders.get("threads"), caches.toString());
        assertEquals(8L, holders.get("buffers"), caches.toString());
        assertEquals(8 * MiB, holders.get("bytes"), caches.toString());
        Finding heap = rec.findings("heap-buffer").get(0);
        assertTrue(heap.evidence().get("cached temporary buffers").startsWith("8.0 MiB in 8 threads of holder-# ("),
                heap.evidence().get("cached temporary buffers"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void aCapBelowTheRequestLeavesNothingCachedAndAMallocPerCall(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").jvm("-Djdk.nio.maxCachedBufferSize=65536")
                .run("temp-buffers");

        assertEquals(0, run.exit(), run.stderr());
        RecordingView rec = run.recording();
        Map<String, Object> caches = rec.section("temporaryDirectBuffers");
        assertEquals("65536", caches.get("maxCachedBufferSize"));
        assertNull(group(caches, "holder-#"), caches.toString());
        Map<String, Object> write = rec.one("file.write", "TempBuffers.write");
        assertEquals(8L, RecordingView.num(write, "nativeAllocations"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> group(Map<String, Object> caches, String name) {
        for (Map<String, Object> g : (List<Map<String, Object>>) caches.get("byGroup")) {
            if (name.equals(g.get("group"))) return g;
        }
        return null;
    }
}
