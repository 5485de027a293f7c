// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of the API that need no perf: off and proc modes, options, the JSON contract. */
class KernelMonitorTest {
    @TempDir
    Path dir;

    @Test
    void offRecordsNothing() {
        KernelWindow window = KernelMonitor.start(new KernelOptions(KernelMode.OFF, true, 8, null)).stop();
        assertEquals("off", window.source());
        assertNull(window.fallbackReason());
        assertEquals(-1, window.syscallCount("write"));
        assertEquals(-1, window.lostSamples());
        assertEquals(List.of("source", "fallbackReason", "windowStartEpochNanos", "windowEndEpochNanos", "syscalls",
                "counters", "sampling", "proc", "perf", "samples", "threads"), List.copyOf(window.toJson().keySet()));
        assertNull(window.threads(), "no /proc reads with kernel=off");
        assertJsonReady(window.toJson());
    }

    @Test
    void procModeCountsOurWritesAndSaysWhyNotPerf() throws Exception {
        KernelMonitor monitor = KernelMonitor.start(new KernelOptions(KernelMode.PROC, false, 0, null));
        try (FileOutputStream out = new FileOutputStream(dir.resolve("x").toFile())) {
            for (int i = 0; i < 100; i++) {
                out.write(new byte[1000]);
            }
        }
        KernelWindow window = monitor.stop();
        assertSame(window, monitor.stop(), "stop is idempotent");
        assertEquals("proc", window.source());
        assertEquals("kernel=proc was requested; perf was not tried", window.fallbackReason());
        assertTrue(window.procValue("syscw") >= 100, window::toString);
        assertTrue(window.procValue("wchar") >= 100_000, window::toString);
        assertEquals(Map.of(), window.syscalls());
        assertEquals(-1, window.syscallCount("write"));
        assertTrue(window.windowEndEpochNanos() >= window.windowStartEpochNanos());
        // This test thread wrote; the per-thread view finds it among the JVM's threads.
        @SuppressWarnings("unchecked")
        Map<String, Object> app = (Map<String, Object>) window.threads().get("app");
        assertTrue((Long) app.get("syscw") >= 100, window::toString);
        assertTrue((Long) window.threads().get("threadsAtEnd") > 5, window::toString);
        assertJsonReady(window.toJson());
    }

    @Test
    void warmRehearsesTheCloseOnItsOwnHistory() throws Exception {
        java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch second = new java.util.concurrent.CountDownLatch(1);
        Thread early = parked(first, "rehearsal-early");
        Thread late = parked(second, "rehearsal-late");
        KernelMonitor monitor = KernelMonitor.start(new KernelOptions(KernelMode.PROC, false, 0, null));
        first.countDown();
        awaitGone(early); // alive at the start, gone by the warm-up: the close's ended-threads path runs in the rehearsal

        KernelWindow rehearsal = monitor.warm();
        assertEquals("proc", rehearsal.source());
        assertEquals(1L, ((Map<?, ?>) rehearsal.threads().get("endedThreads")).get("threads"), rehearsal::toString);
        assertJsonReady(rehearsal.toJson());
        second.countDown();
        awaitGone(late); // ends after the rehearsal: the window's own history must still fold it
        KernelWindow window = monitor.stop();
        assertEquals(2L, ((Map<?, ?>) window.threads().get("endedThreads")).get("threads"),
                "the rehearsal folded a history of its own, not the window's: " + window.threads().get("endedThreads"));
        assertNull(monitor.warm(), "no rehearsal after the close");
    }

    /** Joins {@code t} and waits until its kernel task has gone too (join returns a moment before it exits). */
    private static void awaitGone(Thread t) throws Exception {
        t.join();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() - deadline < 0) {
            boolean listed = false;
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        listed |= Files.readString(task.resolve("comm")).strip().equals(t.getName());
                    } catch (java.io.IOException gone) {
                        // ended while listed
                    }
                }
            }
            if (!listed) {
                return;
            }
            Thread.sleep(5);
        }
        fail(t.getName() + " still listed in /proc/self/task");
    }

    private static Thread parked(java.util.concurrent.CountDownLatch until, String name) {
        Thread t = new Thread(() -> {
            try {
                until.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.start();
        return t;
    }

    @Test
    void nullOptionsAreDefaultsAndNeverThrow() {
        KernelWindow window = KernelMonitor.start(null).stop();
        assertTrue(List.of("perf", "proc").contains(window.source()));
        assertJsonReady(window.toJson());
    }

    @Test
    void ringBufferPagesBecomeAPowerOfTwo() {
        assertEquals(KernelOptions.DEFAULT_RING_BUFFER_PAGES, new KernelOptions(null, false, 0, null).ringBufferPages());
        assertEquals(1, new KernelOptions(null, false, 1, null).ringBufferPages());
        assertEquals(64, new KernelOptions(null, false, 33, null).ringBufferPages());
        assertEquals(64, new KernelOptions(null, false, 64, null).ringBufferPages());
        assertEquals(KernelOptions.MAX_RING_BUFFER_PAGES, new KernelOptions(null, false, 1 << 30, null).ringBufferPages());
        KernelOptions defaults = KernelOptions.defaults(Thread::new);
        assertEquals(KernelMode.PERF, defaults.mode());
        assertEquals(false, defaults.samples());
    }

    /** Only the types the agent's JSON writer accepts. */
    @SuppressWarnings("unchecked")
    static void assertJsonReady(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Integer || value instanceof Double) {
            return;
        }
        if (value instanceof java.util.LinkedHashMap) {
            ((Map<String, Object>) value).values().forEach(KernelMonitorTest::assertJsonReady);
        } else if (value instanceof List) {
            ((List<Object>) value).forEach(KernelMonitorTest::assertJsonReady);
        } else {
            fail("not JSON-ready: " + value.getClass() + " " + value);
        }
    }

    @Test
    void fixturesAreThere() {
        assertTrue(Files.isDirectory(Fixtures.path("proc-self/task")));
    }
}
