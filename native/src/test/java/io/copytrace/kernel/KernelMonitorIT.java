// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In this (root) JVM: perf works, and stop gives back every descriptor, mapping and thread. */
class KernelMonitorIT {
    @TempDir
    Path dir;

    @Test
    void stopReleasesEveryDescriptorMappingAndThread() throws Exception {
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "agent-owned");
            made.add(thread);
            return thread;
        };
        KernelMonitor.start(KernelOptions.defaults(factory)).stop(); // loads JNA, whose own fds stay open
        Map<String, String> fdsBefore = descriptors();

        // when
        KernelMonitor monitor = KernelMonitor.start(new KernelOptions(KernelMode.PERF, true, 16, factory));
        assertTrue(perfDescriptors() > 100, "counters and samples are open while recording");
        assertTrue(perfMappings() >= 1, "one ring buffer per CPU is mapped");
        try (FileOutputStream out = new FileOutputStream(dir.resolve("x").toFile())) {
            for (int i = 0; i < 1000; i++) {
                out.write(new byte[64]);
            }
        }
        KernelWindow window = monitor.stop();

        // then
        assertEquals("perf", window.source(), window::toString);
        assertNull(window.fallbackReason());
        assertTrue(window.syscallCount("write") >= 1000, window::toString);
        assertTrue(window.counters().get("contextSwitches") >= 0);
        assertSame(window, monitor.stop(), "stop is idempotent");
        assertEquals(0, perfDescriptors(), "every perf descriptor closed");
        assertEquals(0, perfMappings(), "every ring buffer unmapped");
        // none left open: every descriptor open now was open before (the JVM may close one of its own meanwhile)
        Map<String, String> opened = new java.util.TreeMap<>(descriptors());
        opened.entrySet().removeIf(e -> e.getValue().equals(fdsBefore.get(e.getKey())));
        assertEquals(Map.of(), opened, "descriptors opened by the window and left open");
        assertEquals(1, made.size(), "only the sample reader thread, made by our factory");
        assertTrue(made.get(0).isDaemon());
        assertFalse(made.get(0).isAlive(), "the reader thread ended at stop");
        KernelMonitorTest.assertJsonReady(window.toJson());
    }

    @Test
    void aFactoryThatFailsCostsTheSamplesNotTheCounters() throws IOException {
        ThreadFactory returnsNull = runnable -> null;
        ThreadFactory throwsUp = runnable -> {
            throw new IllegalStateException("no threads today");
        };
        for (ThreadFactory factory : List.of(returnsNull, throwsUp)) {
            KernelWindow window = KernelMonitor.start(new KernelOptions(KernelMode.PERF, true, 4, factory)).stop();
            assertEquals("perf", window.source(), window::toString);
            Map<?, ?> samples = (Map<?, ?>) window.toJson().get("samples");
            assertEquals(false, samples.get("enabled"));
            assertTrue(((String) samples.get("reason")).startsWith("starting the sample reader thread failed"),
                    window::toString);
            assertEquals(0, perfDescriptors());
            assertEquals(0, perfMappings());
        }
    }

    /** This process's open descriptors and what each is, less the listing's own (its number may move). */
    private static Map<String, String> descriptors() throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : entries.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (!target.matches("/proc/\\d+/fd")) out.put(fd.getFileName().toString(), target);
                } catch (IOException closed) {
                    // closed while listed: the listing's own
                }
            }
        }
        return out;
    }

    static long perfDescriptors() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.filter(KernelMonitorIT::isPerfEvent).count();
        }
    }

    private static boolean isPerfEvent(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString().equals("anon_inode:[perf_event]");
        } catch (IOException e) {
            return false;
        }
    }

    private static long perfMappings() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(line -> line.contains("perf_event")).count();
    }
}
