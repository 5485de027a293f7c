// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-thread snapshots of generated /proc trees, and the window made of two of them. */
class ThreadWindowTest {
    @TempDir
    Path dir;

    @Test
    void parsersFindKeysAtLineStartsAndStatFieldsAfterTheLastParenthesis() {
        String status = "Name:\tpool-1-thread-2\nvoluntary_ctxt_switches:\t12\nnonvoluntary_ctxt_switches:\t3\n";
        assertEquals(12, KeyValueLines.value(status, "voluntary_ctxt_switches"), "not the nonvoluntary line");
        assertEquals(3, KeyValueLines.value(status, "nonvoluntary_ctxt_switches"));
        assertEquals(-1, KeyValueLines.value(status, "syscw"));
        assertEquals(-1, KeyValueLines.value("rchar: many\n", "rchar"));
        String stat = stat(77, "a) (b c", 1_234, 5, 999_888);
        assertEquals(List.of(1_234L, 5L, 999_888L), List.of(ProcStat.fields(stat, 10, 12, 22)[0],
                ProcStat.fields(stat, 10, 12, 22)[1], ProcStat.fields(stat, 10, 12, 22)[2]));
        assertEquals(-1, ProcStat.fields("77 (x) S 1", 10)[0], "a short line has no field 10");
        assertEquals(-1, ProcStat.fields("no parenthesis", 10)[0]);
        assertEquals("a) (b c", ThreadSnapshot.name("Uid: 0\n", stat), "no Name: line: stat's comm");
        assertEquals("pool-1-thread-2", ThreadSnapshot.name(status, stat));
        assertEquals("pool-#-thread-#", ThreadWindow.group("pool-12-thread-345"));
        for (String name : List.of("", "7", "G1 Conc#0", "12ab3", "C2 CompilerThre", "x-٣-9", "a00b")) {
            assertEquals(name.replaceAll("[0-9]+", "#"), ThreadWindow.group(name), name); // the rule as a regex
        }
    }

    @Test
    void snapshotReadsEveryTaskAndLeavesOutOneThatVanished() throws Exception {
        Path proc = javaAndPool(dir.resolve("start"));
        Files.createDirectories(proc.resolve("task/3")); // listed, then gone: no files

        ThreadSnapshot snapshot = ThreadSnapshot.read(proc, -1, true);

        assertEquals(2, snapshot.tasks().size());
        assertEquals(1, snapshot.unreadable());
        ThreadSnapshot.Task pool = snapshot.tasks().get(2);
        assertEquals("pool-1-thread-1", pool.name());
        assertEquals(2, pool.startTime());
        for (int i = 0; i < ThreadCounters.KEYS.size(); i++) {
            assertEquals(i + 1, pool.counters().get(i), ThreadCounters.KEYS.get(i));
        }
        assertEquals(100, snapshot.process().get("syscr"));
        assertEquals(500, snapshot.process().get("pageFaultsMinor"));
        assertEquals(-1, snapshot.process().get("voluntaryContextSwitches"), "no process-wide file sums them");
        assertEquals(0, snapshot.ownReads(), "no own thread in a fixture");
        ThreadSnapshot missing = ThreadSnapshot.read(dir.resolve("nothing"), -1, false);
        assertTrue(missing.tasks().isEmpty());
        assertEquals(-1, missing.process().get("syscr"));
    }

    @Test
    void anEndSnapshotGivesTheProcessViewWithoutItsOwnReadsBeforeTheProcessFiles() throws Exception {
        Path proc = javaAndPool(dir.resolve("end"));
        long taskFileBytes = 0;
        try (var files = Files.walk(proc.resolve("task"))) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) taskFileBytes += Files.size(f);
        }

        ProcSnapshot derived = ThreadSnapshot.read(proc, -1, false).processSnapshot();
        ProcSnapshot read = ProcSnapshot.read(proc);

        // The same fixture read both ways: equal but for the six task files read before the process io.
        assertEquals(new ProcIo(4_000 - taskFileBytes, 2_000, 100 - 6, 10), derived.io());
        assertEquals(new ProcIo(4_000, 2_000, 100, 10), read.io());
        assertEquals(read.stat(), derived.stat());
        assertEquals(14, derived.voluntaryContextSwitches());
        assertEquals(read.voluntaryContextSwitches(), derived.voluntaryContextSwitches());
        assertEquals(read.nonvoluntaryContextSwitches(), derived.nonvoluntaryContextSwitches());
        assertEquals(read.tasks(), derived.tasks());
        ProcSnapshot none = ThreadSnapshot.read(dir.resolve("nothing"), -1, false).processSnapshot();
        assertEquals(new ProcSnapshot(null, -1, -1, null, 0), none, "unreadable: unknown, as ProcSnapshot.read says");
    }

    @Test
    @SuppressWarnings("unchecked")
    void windowGivesPerThreadAndGroupDeltasAndWhatEndedThreadsLeftInTheProcessTotals() throws Exception {
        Path start = dir.resolve("start");
        Path end = dir.resolve("end");
        // tid 1 lives on; 2 ends inside the window; 3 is ours; 4 is born; tid 5 is reused by a new thread.
        process(start, 1_000, 100, 10_000, 50_000, 200);
        task(start, 1, "java", 1, new long[] {10, 10, 100, 100, 0, 0, 5, 5, 100, 0});
        task(start, 2, "pool-1-thread-1", 2, new long[] {20, 20, 200, 200, 0, 0, 5, 5, 10, 0});
        task(start, 3, "copytrace-kerne", 3, new long[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        task(start, 5, "worker-7", 5, new long[] {50, 50, 500, 500, 0, 0, 5, 5, 5, 0});
        task(start, 6, "G1 Conc#0", 6, new long[] {0, 0, 0, 0, 0, 0, 3, 0, 7, 0}); // idle all along
        // In the window: java +1,000 writes of 4 KiB; pool-1-thread-1 +300 writes then exits; copytrace +7
        // reads; writer-1 born, 40 writes; worker-7 exits after +2 reads, and tid 5 comes back as "worker-8".
        process(end, 1_000 + 7 + 2 + 3, 100 + 1_000 + 300 + 40 + 6, 10_000 + 70 + 20 + 9,
                50_000 + 4_096_000 + 300 * 4096 + 40 * 100 + 6, 200 + 100 + 11);
        task(end, 1, "java", 1, new long[] {10, 1_010, 100, 100 + 4_096_000, 0, 4_096_000, 9, 5, 200, 0});
        task(end, 3, "copytrace-kerne", 3, new long[] {7, 0, 70, 0, 0, 0, 2, 0, 0, 0});
        task(end, 4, "writer-1", 40, new long[] {0, 40, 0, 4_000, 0, 0, 40, 1, 0, 0});
        task(end, 5, "worker-8", 41, new long[] {3, 6, 9, 6, 0, 0, 1, 0, 1, 0});
        task(end, 6, "G1 Conc#0", 6, new long[] {0, 0, 0, 0, 0, 0, 3, 0, 7, 0});

        Map<String, Object> json = ThreadWindow.toJson(ThreadSnapshot.read(start, -1, true),
                ThreadSnapshot.read(end, -1, false), 2, 3);

        assertEquals(5L, json.get("threadsAtStart"));
        assertEquals(5L, json.get("threadsAtEnd"));
        assertEquals(2L, json.get("born"), "writer-1, and worker-8 on a reused tid");
        assertEquals(2L, json.get("ended"), "pool-1-thread-1 and worker-7");
        Map<String, Object> app = (Map<String, Object>) json.get("app");
        assertEquals(6L, app.get("threads"), "4 live and 2 ended; copytrace's own thread is not the app's");
        assertEquals(2L, app.get("ended"));
        assertEquals(1_000L + 40 + 6, app.get("syscw"));
        Map<String, Object> own = (Map<String, Object>) json.get("own");
        assertEquals(7L, own.get("syscr"));
        Map<String, Object> ended = (Map<String, Object>) json.get("endedThreads");
        assertEquals(2L, ended.get("threads"));
        assertEquals(Map.of("pool-#-thread-#", 1L, "worker-#", 1L), ended.get("groups"));
        assertEquals(300L, ended.get("syscw"), "process delta minus every live thread's delta");
        assertEquals(2L, ended.get("syscr"));
        assertEquals(300L * 4096, ended.get("wchar"));
        assertEquals(20L, ended.get("rchar"));
        assertEquals(10L, ended.get("pageFaultsMinor"));
        assertEquals(-1L, ended.get("voluntaryContextSwitches"), "lost with the thread");
        assertEquals(List.of("voluntaryContextSwitches", "nonvoluntaryContextSwitches"), ended.get("lost"));
        List<Map<String, Object>> groups = (List<Map<String, Object>>) json.get("byGroup");
        assertEquals(2, groups.size(), "bounded to 2");
        assertEquals("java", groups.get(0).get("group"));
        assertEquals(4_096_000L, groups.get(0).get("writeBytes"));
        assertEquals("writer-#", groups.get(1).get("group"));
        assertEquals(false, groups.get(1).get("own"));
        assertEquals(3L, json.get("groupsNotListed"), "worker-#, copytrace-kerne, pool-#-thread-#");
        assertEquals(1L, json.get("idleGroupsNotListed"), "G# Conc##: nothing moved, only counted");
        Map<String, Object> others = (Map<String, Object>) json.get("otherGroups");
        assertEquals(4L, others.get("threads"), "worker-8, worker-7 (ended), copytrace-kerne, pool-1-thread-1 (ended)");
        assertEquals(10L, others.get("syscr"));
        List<Map<String, Object>> threads = (List<Map<String, Object>>) json.get("byThread");
        assertEquals(3, threads.size());
        assertEquals(1L, json.get("threadsNotListed"));
        assertEquals(1L, json.get("idleThreadsNotListed"), "G1 Conc#0");
        assertEquals(List.of("java", "writer-1", "copytrace-kerne"), threads.stream().map(t -> t.get("name")).toList(),
                "busiest first: storage and character bytes");
        assertEquals(true, threads.get(1).get("born"));
        assertEquals(40L, threads.get(1).get("syscw"), "born inside the window: counts from zero");
        assertEquals(6L, others.get("syscw"), "worker-8 on a reused tid counts from zero too");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInterimSnapshotKeepsWhatAThreadDidUntilItsLastReading() throws Exception {
        Path start = dir.resolve("start");
        Path middle = dir.resolve("middle");
        Path end = dir.resolve("end");
        process(start, 0, 0, 0, 0, 0);
        task(start, 1, "java", 1, new long[10]);
        task(start, 2, "pool-1-thread-1", 2, new long[10]);
        // Seen at the interim snapshot after 100 writes; born there: pool-1-thread-2 with 30 writes.
        task(middle, 1, "java", 1, new long[10]);
        task(middle, 2, "pool-1-thread-1", 2, new long[] {0, 100, 0, 409_600, 0, 0, 4, 0, 2, 0});
        task(middle, 3, "pool-1-thread-2", 3, new long[] {0, 30, 0, 300, 0, 0, 1, 0, 0, 0});
        // Both end before the end snapshot; pool-1-thread-1 wrote 10 more after its last reading.
        process(end, 0, 140, 0, 409_600 + 300 + 40_960, 2);
        task(end, 1, "java", 1, new long[10]);
        ThreadHistory history = new ThreadHistory(ThreadSnapshot.read(start, -1, true));
        history.sample(ThreadSnapshot.read(middle, -1, false));

        Map<String, Object> json = ThreadWindow.toJson(history, ThreadSnapshot.read(end, -1, false));

        assertEquals(1L, json.get("interimSnapshots"));
        assertEquals(2L, json.get("ended"));
        Map<String, Object> pool = ((List<Map<String, Object>>) json.get("byGroup")).get(0);
        assertEquals("pool-#-thread-#", pool.get("group"));
        assertEquals(2L, pool.get("threads"));
        assertEquals(2L, pool.get("ended"));
        assertEquals(130L, pool.get("syscw"), "both threads up to their last reading");
        assertEquals(5L, pool.get("voluntaryContextSwitches"), "switches up to the last reading survive");
        Map<String, Object> ended = (Map<String, Object>) json.get("endedThreads");
        assertEquals(10L, ended.get("syscw"), "only the writes after the last reading are left over");
        assertEquals(40_960L, ended.get("wchar"));
        assertEquals(130L, ((Map<String, Object>) ended.get("upToLastReading")).get("syscw"));
        assertEquals(Map.of("pool-#-thread-#", 2L), ended.get("groups"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void unknownProcessFilesMakeTheRemainderUnknownNotWrong() throws Exception {
        Path start = dir.resolve("start");
        Path end = dir.resolve("end");
        task(start, 1, "java", 1, new long[10]);
        task(end, 1, "java", 1, new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        Map<String, Object> json = ThreadWindow.toJson(ThreadSnapshot.read(start, -1, true),
                ThreadSnapshot.read(end, -1, false));
        Map<String, Object> ended = (Map<String, Object>) json.get("endedThreads");
        assertEquals(-1L, ended.get("syscw"));
        assertEquals(0L, json.get("groupsNotListed"));
        assertNull(json.get("otherGroups"));
        assertEquals(1L, ((Map<String, Object>) json.get("app")).get("syscw"));
    }

    static void process(Path proc, long syscr, long syscw, long rchar, long wchar, long minflt)
            throws IOException {
        Files.createDirectories(proc.resolve("task"));
        Files.writeString(proc.resolve("io"), io(new long[] {syscr, syscw, rchar, wchar, 0, 0}));
        Files.writeString(proc.resolve("stat"), stat(1, "java", minflt, 0, 1));
    }

    /** The process and two threads, "java" and "pool-1-thread-1" (counters 1 to 10 in key order). */
    private static Path javaAndPool(Path proc) throws IOException {
        process(proc, 100, 10, 4_000, 2_000, 500);
        task(proc, 1, "java", 1, new long[] {5, 2, 700, 300, 4096, 0, 7, 1, 90, 1});
        task(proc, 2, "pool-1-thread-1", 2, new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        return proc;
    }

    /** A task whose files hold {@code values} in {@link ThreadCounters#KEYS} order. */
    static void task(Path proc, int tid, String name, long startTime, long[] values) throws IOException {
        Path task = Files.createDirectories(proc.resolve("task/" + tid));
        Files.writeString(task.resolve("io"), io(values));
        Files.writeString(task.resolve("stat"), stat(tid, name, values[8], values[9], startTime));
        Files.writeString(task.resolve("status"), "Name:\t" + name + "\nState:\tS (sleeping)\nTgid:\t1\n"
                + "voluntary_ctxt_switches:\t" + values[6] + "\nnonvoluntary_ctxt_switches:\t" + values[7] + "\n");
    }

    private static String io(long[] values) {
        return "rchar: " + values[2] + "\nwchar: " + values[3] + "\nsyscr: " + values[0] + "\nsyscw: " + values[1]
                + "\nread_bytes: " + values[4] + "\nwrite_bytes: " + values[5] + "\ncancelled_write_bytes: 0\n";
    }

    /** A stat line as proc(5) lays it out: minflt is field 10, majflt 12, starttime 22. */
    private static String stat(int tid, String comm, long minflt, long majflt, long startTime) {
        return tid + " (" + comm + ") S 1 1 1 0 -1 4194624 " + minflt + " 0 " + majflt
                + " 0 3 1 0 0 20 0 1 0 " + startTime + " 4096 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0\n";
    }
}
