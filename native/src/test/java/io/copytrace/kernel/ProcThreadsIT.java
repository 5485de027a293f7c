// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.copytrace.testing.Jdk;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The per-thread /proc view against threads of known syscalls ({@link ThreadWorkload}): per group
 * counts, a thread born inside the window, and one that ended inside it in the ended-threads row.
 */
class ProcThreadsIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.copytrace.testing.Jdk#all")
    void groupsCountTheirThreadsSyscallsAndEndedThreadsKeepTheirLastReading(Jdk jdk) throws Exception {
        // when
        ChildJvm child = ChildJvm.run(ChildJvm.command(jdk, ChildJvm.classpath(), List.of(),
                ThreadWorkload.class, "mode=proc", "dir=" + dir), dir);

        // then
        assertEquals("[]", child.workload("failures"));
        Map<String, String> report = child.report();
        String writer = group(report, "writer-#");
        assertEquals("1", report.get(writer + ".threads"));
        assertEquals("0", report.get(writer + ".born"), "started before the window");
        long writes = ThreadWorkload.WRITER_WRITES;
        long block = ThreadWorkload.BLOCK;
        assertBetween(writes, writes + 5, child.number(writer + ".syscw"), "writer-1: one write(2) per block");
        assertBetween(writes * block, writes * block + block, child.number(writer + ".wchar"), "writer-1's bytes");

        String reader = group(report, "reader-#");
        assertEquals("2", report.get(reader + ".threads"));
        assertEquals("2", report.get(reader + ".born"), "born inside the window: counted from zero");
        long reads = 2L * (ThreadWorkload.READ_FILE / ThreadWorkload.READ_CHUNK + 1);
        assertBetween(reads, reads + 10, child.number(reader + ".syscr"), "16 reads and the one at the end, each");
        assertBetween(2L * ThreadWorkload.READ_FILE, 2L * ThreadWorkload.READ_FILE + ThreadWorkload.READ_CHUNK,
                child.number(reader + ".rchar"), "1 MiB each");

        String own = group(report, "copytrace-aux");
        assertEquals("true", report.get(own + ".own"));
        assertBetween(ThreadWorkload.OWN_WRITES, ThreadWorkload.OWN_WRITES + 5, child.number(own + ".syscw"),
                "copytrace's helper");
        assertEquals("false", report.get(writer + ".own"));

        assertEquals(2, child.number("threads.endedThreads.threads"), "ender-1 and ender-2 ended inside the window");
        assertEquals("2", report.get("threads.endedThreads.groups.ender-#"));
        assertEquals(1, child.number("threads.interimSnapshots"));
        // ender-2 was read after 300 writes: those stay with its group; ender-1 ended unread.
        String enders = group(report, "ender-#");
        assertEquals("2", report.get(enders + ".ended"));
        long before = ThreadWorkload.ENDER2_BEFORE_SAMPLE;
        assertBetween(before, before + 5, child.number(enders + ".syscw"), "ender-2 up to its last reading");
        assertBetween(before, before + 5, child.number("threads.endedThreads.upToLastReading.syscw"), "the same");
        long left = ThreadWorkload.ENDER_WRITES + ThreadWorkload.ENDER2_AFTER_SAMPLE;
        assertBetween(left, left + 20, child.number("threads.endedThreads.syscw"),
                "process minus live threads and last readings: ender-1's 500 writes and ender-2's last 20");
        assertBetween(left * block, left * block + (64 << 10), child.number("threads.endedThreads.wchar"),
                "and their bytes");
        assertEquals(-1, child.number("threads.endedThreads.voluntaryContextSwitches"), "lost with the thread");
        assertEquals("voluntaryContextSwitches", report.get("threads.endedThreads.lost[0]"));

        assertEquals(child.number("threads.process.syscw"), child.number("threads.app.syscw")
                + child.number("threads.own.syscw") + child.number("threads.endedThreads.syscw"),
                "app + own + ended = process");
        assertTrue(child.number("threads.own.syscw") >= ThreadWorkload.OWN_WRITES);
        assertTrue(child.number("threads.app.syscw") >= writes, "the app's threads, copytrace's not among them");
        assertTrue(child.number("threads.threadsAtStart") > 10, "a JVM has many threads");
        assertEquals(2, child.number("threads.born"));
        assertEquals(2, child.number("threads.ended"));
    }

    private static String group(Map<String, String> report, String name) {
        for (int i = 0; report.containsKey("threads.byGroup[" + i + "].group"); i++) {
            if (name.equals(report.get("threads.byGroup[" + i + "].group"))) {
                return "threads.byGroup[" + i + "]";
            }
        }
        fail("no group " + name + " in " + report);
        return null;
    }

    private static void assertBetween(long low, long high, long actual, String what) {
        assertTrue(actual >= low && actual <= high, what + ": expected " + low + ".." + high + ", was " + actual);
    }
}
