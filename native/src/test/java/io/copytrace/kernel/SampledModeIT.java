// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kernel=sampled in this (root) JVM: the slicer's thread, its release at stop, short windows, failures. */
class SampledModeIT {
    @TempDir
    Path dir;

    @Test
    void slicesComeFromOneFactoryDaemonAndStopReleasesEverything() throws Exception {
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "agent-owned");
            made.add(thread);
            return thread;
        };
        KernelMonitor monitor = KernelMonitor.start(new KernelOptions(KernelMode.SAMPLED, false, 0, factory,
                new SlicePlan(10, 50, 0)));
        assertTrue(KernelMonitorIT.perfDescriptors() > 20, "counters are open while recording");
        writeFor(800);
        KernelWindow window = monitor.stop();

        assertEquals("perf-sampled", window.source(), window::toString);
        assertNull(window.fallbackReason());
        Map<String, Object> sampling = window.sampling();
        assertTrue((Long) sampling.get("slices") >= 8, window::toString);
        assertEquals(false, sampling.get("weak"));
        assertTrue((Long) sampling.get("countedPermille") < 400, "a part of the window: " + sampling);
        Map<?, ?> write = (Map<?, ?>) ((Map<?, ?>) sampling.get("syscalls")).get("write");
        long estimate = (Long) write.get("estimate");
        assertEquals(estimate, window.syscallCount("write"), "syscalls carries the estimates");
        assertTrue((Long) write.get("counted") < estimate, sampling::toString);
        assertTrue((Long) write.get("low") <= estimate && estimate <= (Long) write.get("high"), sampling::toString);
        assertEquals(0, KernelMonitorIT.perfDescriptors(), "every perf descriptor closed");
        assertEquals(1, made.size(), "only the slicer thread, made by our factory");
        assertTrue(made.get(0).isDaemon());
        assertFalse(made.get(0).isAlive(), "the slicer ended at stop");
        KernelMonitorTest.assertJsonReady(window.toJson());
    }

    @Test
    void aWindowWithinTheHeadIsCountedWholeAndExact() throws Exception {
        KernelMonitor monitor = KernelMonitor.start(new KernelOptions(KernelMode.SAMPLED, false, 0, null,
                new SlicePlan(100, 1000, 10_000)));
        writeFor(100);
        Map<String, Object> sampling = monitor.stop().sampling();
        Map<?, ?> write = (Map<?, ?>) ((Map<?, ?>) sampling.get("syscalls")).get("write");
        assertEquals(0L, sampling.get("slices"), sampling::toString);
        assertEquals(1000L, sampling.get("countedPermille"));
        assertEquals(false, sampling.get("weak"));
        assertTrue((Long) write.get("counted") >= 100, sampling::toString);
        for (String key : List.of("estimate", "low", "high")) {
            assertEquals(write.get("counted"), write.get(key), key + " of an exact count: " + sampling);
        }
    }

    @Test
    void aFactoryThatFailsCountsTheWholeWindow() throws Exception {
        ThreadFactory throwsUp = runnable -> {
            throw new IllegalStateException("no threads today");
        };
        for (ThreadFactory factory : List.of(throwsUp, runnable -> null)) {
            KernelMonitor monitor = KernelMonitor.start(new KernelOptions(KernelMode.SAMPLED, false, 0, factory,
                    new SlicePlan(10, 50, 0)));
            writeFor(100);
            KernelWindow window = monitor.stop();
            assertEquals("perf-sampled", window.source(), window::toString);
            Map<String, Object> sampling = window.sampling();
            assertTrue(((String) sampling.get("note")).startsWith("the slicer thread could not start"), sampling::toString);
            Map<?, ?> write = (Map<?, ?>) ((Map<?, ?>) sampling.get("syscalls")).get("write");
            assertEquals(write.get("counted"), write.get("estimate"));
            assertTrue((Long) write.get("counted") >= 100, sampling::toString);
            assertEquals(0, KernelMonitorIT.perfDescriptors());
        }
    }

    @Test
    void aShortSampledRestIsMarkedWeak() throws Exception {
        KernelMonitor monitor = KernelMonitor.start(new KernelOptions(KernelMode.SAMPLED, false, 0, null,
                new SlicePlan(20, 200, 0)));
        writeFor(300);
        Map<String, Object> sampling = monitor.stop().sampling();
        assertEquals(true, sampling.get("weak"), sampling::toString);
        assertTrue(((String) sampling.get("note")).contains("too few slices"), sampling::toString);
    }

    /** 64-byte writes for about {@code millis} (at least 100 of them). */
    private void writeFor(long millis) throws Exception {
        long end = System.nanoTime() + millis * 1_000_000;
        try (FileOutputStream out = new FileOutputStream(dir.resolve("x").toFile())) {
            for (int i = 0; i < 100 || System.nanoTime() < end; i++) {
                out.write(new byte[64]);
            }
        }
    }
}
