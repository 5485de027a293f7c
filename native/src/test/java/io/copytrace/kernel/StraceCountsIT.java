// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.copytrace.testing.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * copytrace's perf counts against {@code strace -f -c} for the same window, on JDK 17 and 25.
 *
 * <p>Alignment: the child sets everything up (and runs the workload once, so JNA and every class
 * is loaded), prints READY and blocks on stdin; strace attaches to all its threads; only then
 * does the child get GO and run start, workload, stop, print its report in one write, print DONE
 * and block again; then strace is interrupted. strace's window therefore contains copytrace's
 * window plus copytrace's own start/stop calls (perf_event_open, ioctl, /proc reads) and the one
 * report write.
 *
 * <p>Compared: write (10,000 workload calls), mmap, sendfile (one per {@code transferTo} loop
 * turn) and copy_file_range (JDK 21+ tries it first and gets EINVAL for a socket). For mmap the
 * workload makes 1,000 {@code FileChannel.map} calls instead of the usual 100: the JVM itself maps
 * memory at any time (JIT compiler arenas, heap commits, thread stacks), and the 0 to 4 such calls
 * that land in strace's longer window (attach slack, copytrace's own start/stop) would exceed 2% of
 * 100 but not of 1,000. read is not compared: the drain thread's blocking read straddles the edges.
 */
class StraceCountsIT {
    /** Our tracepoint name to strace's name on x86-64/aarch64. */
    private static final Map<String, String> STRACE_NAMES = Map.of("write", "write", "mmap", "mmap",
            "sendfile64", "sendfile", "copy_file_range", "copy_file_range");

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.copytrace.testing.Jdk#all")
    void countsMatchStrace(Jdk jdk) throws Exception {
        try (ChildJvm child = new ChildJvm(ChildJvm.command(jdk, ChildJvm.classpath(), List.of(),
                "mode=perf", "handshake=true", "maps=1000", "dir=" + dir), dir)) {
            // when
            Map<String, Long> strc = straceAroundWindow(child, dir);

            // then
            assertEquals("perf", child.report().get("source"), () -> "fallback: " + child.report().get("fallbackReason"));
            assertTrue(child.number("syscalls.write") >= 10_000, "the workload's writes");
            assertTrue(child.number("syscalls.mmap") >= 1000, "the workload's maps");
            assertTrue(child.number("syscalls.sendfile64") >= 1, "transferTo to a socket uses sendfile");
            StringBuilder table = new StringBuilder("syscall copytrace strace\n");
            for (Map.Entry<String, String> names : STRACE_NAMES.entrySet()) {
                long ours = child.number("syscalls." + names.getKey());
                long theirs = strc.getOrDefault(names.getValue(), 0L);
                table.append(names.getKey()).append(' ').append(ours).append(' ').append(theirs).append('\n');
            }
            System.out.println(jdk + "\n" + table);
            for (Map.Entry<String, String> names : STRACE_NAMES.entrySet()) {
                long ours = child.number("syscalls." + names.getKey());
                long theirs = strc.getOrDefault(names.getValue(), 0L);
                assertTrue(Math.abs(ours - theirs) <= 0.02 * Math.max(ours, theirs),
                        names.getKey() + " differs by more than 2%:\n" + table);
            }
        }
    }

    /**
     * The handshake: waits for the child's READY, attaches {@code strace -f -c} to all its threads, lets it run
     * its window (GO … DONE), stops strace, lets the child exit, and returns strace's calls by syscall name.
     */
    static Map<String, Long> straceAroundWindow(ChildJvm child, Path dir) throws Exception {
        Path straceOut = dir.resolve("strace.txt");
        child.awaitLine("READY");
        Process strace = new ProcessBuilder("strace", "-f", "-c", "-o", straceOut.toString(), "-p",
                Long.toString(child.pid())).redirectErrorStream(true).redirectOutput(dir.resolve("strace.log").toFile())
                .start();
        awaitTraced(child.pid(), strace.pid());
        child.send("GO");
        child.awaitLine("DONE");
        new ProcessBuilder("kill", "-INT", Long.toString(strace.pid())).start().waitFor();
        assertTrue(strace.waitFor(30, TimeUnit.SECONDS), "strace did not stop");
        child.send("EXIT");
        child.waitFor();
        return parseStraceSummary(Files.readString(straceOut));
    }

    /** Waits until strace traces every thread of the child (TracerPid in each task's status). */
    static void awaitTraced(long pid, long stracePid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    String status = Files.readString(task.resolve("status"));
                    all &= status.contains("TracerPid:\t" + stracePid + "\n");
                }
            }
            if (all) {
                Thread.sleep(200); // strace prints nothing when attached; a little slack after the last thread.
                return;
            }
            Thread.sleep(20);
        }
        fail("strace did not attach to every thread of " + pid);
    }

    /** The calls column of {@code strace -c} output, by syscall name. */
    static Map<String, Long> parseStraceSummary(String text) {
        Map<String, Long> calls = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            // % time, seconds, usecs/call, calls, [errors], syscall
            if (columns.length >= 5 && columns[0].matches("[0-9.]+") && !columns[columns.length - 1].equals("total")) {
                calls.put(columns[columns.length - 1], Long.parseLong(columns[3]));
            }
        }
        return calls;
    }
}
