// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.Finding;
import io.copytrace.testing.Jdk;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where sent file bytes came from: a 32 MiB file sent with transferTo by thread sender-1, once after the page
 * cache was dropped (the sender reads it from storage: a storage-read finding with the bytes) and once warm
 * (nothing from storage: no finding, and the zero-copy finding says the page cache served it).
 */
class StorageReadIT {
    private static final long BYTES = 32 << 20;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void aSenderThatReadsItsFileFromStorageIsNamedWithTheBytes(Jdk jdk) throws Exception {
        // when: the page cache is dropped between writing the file and sending it
        AgentRun.Result run = AgentRun.on(jdk).agent("").droppingPageCache().run("cold-send");

        // then: sender-1's group read the file from storage, as the kernel's per-thread view counted it
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(BYTES, run.truth().get("bytes"));
        assertEquals(BYTES, run.truth().get("received"));
        List<Finding> found = run.recording().findings("storage-read");
        assertEquals(1, found.size(), found.toString());
        Finding f = found.get(0);
        // drop_caches leaves a few pages it cannot drop at that moment (seen: 97 % of the file read back)
        assertTrue(f.bytes() >= BYTES * 9 / 10 && f.bytes() <= BYTES + (8 << 20), "storage bytes " + f.bytes());
        assertTrue(f.evidence().get("read from storage").contains("by thread group sender-# (kernel: sender-#)"),
                f.evidence().get("read from storage"));
        assertTrue(f.site().frame().startsWith(RecordingView.WORKLOADS + "ColdSend"), f.site().frame());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void aSenderServedByThePageCacheIsNoFinding(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("").run("cold-send");

        assertEquals(0, run.exit(), run.stderr());
        RecordingView rec = run.recording();
        assertEquals(List.of(), rec.findings("storage-read"));
        List<Finding> good = rec.findings("zero-copy"); // the 4 KiB warm-up send and the file's rest
        assertEquals(List.of(4096L, BYTES - 4096), good.stream().map(Finding::bytes).sorted().toList());
        // the thread's other reads (JDK classes faulted back in after the cold run dropped the cache) add some
        String from = good.stream().filter(f -> f.bytes() == BYTES - 4096).findFirst().orElseThrow().evidence()
                .get("file bytes from");
        assertTrue(from.matches("\\d+(\\.\\d)? (B|KiB|MiB) read from storage by the sending threads \\(sender-#\\) in the"
                + " window: mostly served from the page cache"), from);
    }
}
