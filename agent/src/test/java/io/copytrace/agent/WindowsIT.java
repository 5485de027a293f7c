// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.agent.AttachedApp.Cli;
import io.copytrace.testing.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Windows opened one after another on one running JVM (the {@code windows} workload): each recording holds
 * exactly the I/O done while it was open, the JDK classes lose their hooks when a window ends, and the agent
 * leaves no threads, descriptors or classes behind, window after window.
 */
class WindowsIT {
    private static final int KiB = 1024;
    private static final int WINDOWS = 20;
    /** Windows that end by {@code duration=} (the others by {@code stop}). */
    private static final List<Integer> TIMED = List.of(7, 14);
    /** The windows after which the agent has loaded all it loads: one of each kernel mode. */
    private static final int SETTLED = 3;
    /** Threads and descriptors more after the last window than after {@link #SETTLED}: none. */
    private static final int MORE_THREADS = 0;
    /** One: the Attach Listener may still be closing the connection of the {@code stop} just answered. */
    private static final int MORE_FDS = 1;
    /**
     * Classes, not counting the boot loader's named classes (a name there is one class, loaded once at its
     * first use, whenever that comes: {@code AbstractQueuedSynchronizer$Node} at the first contended lock): a
     * few the JVM generates once on the way (JDK 17's reflection accessors, one per agent entry point once it
     * has been called 15 times; method-handle forms), and per window what the JVM itself makes: the lambdas the
     * app runs in a redefined JDK class are linked anew after each weave and un-weave ({@code Files.list} in the
     * census: one lambda class a window).
     */
    private static final int MORE_CLASSES = 12;
    private static final int MORE_CLASSES_PER_WINDOW = 2;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void twentyWindowsEachCountOnlyTheirOwnIoAndLeaveNothingBehind(Jdk jdk) throws Exception {
        try (AttachedApp app = AttachedApp.start(jdk, AgentRun.tempDir("copytrace-windows"), "windows")) {
            Census settled = null;
            for (int i = 1; i <= WINDOWS; i++) {
                // given: a window, counting in one of the kernel modes (perf and sampled open descriptors and threads)
                String kernel = List.of("proc", "perf", "sampled").get(i % 3);
                boolean timed = TIMED.contains(i);
                Path file = app.rec.resolve("recording-" + app.pid + (i == 1 ? "" : "-" + i) + ".json");
                String status = app.attach("out=" + app.rec + ",kernel=" + kernel + (timed ? ",duration=5s" : ""));
                assertTrue(status.startsWith("recording to " + file + (timed ? " for 5s" : " until the JVM exits")),
                        "window " + i + ": " + status);

                // when: the app does I/O of a size of its own inside it, the window ends, and it does more outside
                int bytes = i * 64 * KiB;
                assertEquals("OK", app.ask("io " + bytes));
                if (timed) {
                    awaitFile(file);
                } else {
                    assertEquals(Bootstrap.STOPPED + file, app.attach(AgentMain.STOP), "window " + i);
                }
                String census = app.ask("census");
                Census now = Census.of(census, i == SETTLED || i == WINDOWS ? Classes.of(jdk, app.pid) : null);
                assertEquals("PROBE 0", app.ask("probe"), "window " + i + ": the JDK classes still call the probe");
                assertEquals("OK", app.ask("io " + 3 * bytes));

                // then: the recording has exactly the window's own I/O, the agent's threads are gone, and past the
                // first window (which loads the agent) nothing grows
                assertExactly(RecordingView.read(file), bytes, timed ? "duration" : "stop", i);
                assertEquals(List.of(), now.threads.stream().filter(t -> t.startsWith("copytrace-")).toList(),
                        "window " + i);
                if (i == SETTLED) {
                    settled = now;
                } else if (i == WINDOWS) {
                    System.out.println("WindowsIT " + jdk + ": after window " + SETTLED + " " + settled
                            + ", after window " + WINDOWS + " " + now + ", classes new since " + SETTLED + ": "
                            + now.classes.since(settled.classes));
                    settled.assertNoGrowth(now, WINDOWS - SETTLED);
                }
            }
            assertEquals("", app.stderr(), "nothing on the app's stderr");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void stopEndsTheWindowOpenedAtLaunchAndALaterAttachOpensTheNext(Jdk jdk) throws Exception {
        Path work = AgentRun.tempDir("copytrace-windows");
        Path rec = work.resolve("rec");
        try (AttachedApp app = AttachedApp.start(jdk, work, "windows", "-javaagent:" + AgentRun.agentJar() + "=out=" + rec)) {
            // given: a window open since launch (the app's first MiB of I/O is in it), and some I/O
            assertEquals("OK", app.ask("io " + 64 * KiB));
            Path first = rec.resolve("recording-" + app.pid + ".json");
            String refused = app.attach("out=" + rec + ",kernel=off");
            assertEquals("copytrace: a recording window is open in this JVM (recording to " + first + "); this load"
                    + " (out=" + rec + ",kernel=off) does nothing; 'stop' ends the window", refused);

            // when: the user stops it, stops again, and attaches later
            Cli stopped = Cli.run(jdk, work, "attach", app.pid, "stop");
            Cli again = Cli.run(jdk, work, "attach", app.pid, "stop");
            assertEquals("PROBE 0", app.ask("probe"), "the JDK classes still call the probe");
            assertEquals("OK", app.ask("io " + 8 * KiB));
            Cli next = Cli.run(jdk, work, "attach", app.pid, "out=rec,kernel=off");
            byte[] firstRecording = Files.readAllBytes(first);
            assertEquals("OK", app.ask("io " + 128 * KiB));
            AgentRun.Result result = app.finish("quit");

            // then: stop wrote the first window and took the hooks out; a second stop has nothing to stop; the
            // next window has a file of its own, written at the JVM's exit, and the first file is left as it was
            assertEquals(0, stopped.exit(), stopped.stderr());
            assertEquals("copytrace: " + app.pid + ": " + Bootstrap.STOPPED + first + "\n", stopped.stdout());
            assertEquals(2, again.exit());
            assertEquals(Bootstrap.NOTHING_TO_STOP + "\n", again.stderr());
            assertEquals(0, next.exit(), next.stderr());
            Path second = rec.resolve("recording-" + app.pid + "-2.json");
            assertEquals("copytrace: attached to " + app.pid + ", recording to " + second + " until the JVM exits\n",
                    next.stdout());
            RecordingView one = RecordingView.read(first);
            assertEquals(Boolean.FALSE, one.section("agent").get("attached"));
            assertExactly(one, 1024 * KiB + 64 * KiB, "stop", 1);
            assertExactly(RecordingView.read(second), 128 * KiB, "exit", 2);
            assertTrue(Arrays.equals(firstRecording, Files.readAllBytes(first)), "the first recording was rewritten");
            assertEquals(refused + "\n", result.stderr(), "the app's stderr has the refused load's line only");
        }
    }

    /** The window's file I/O and socket I/O of {@code bytes} each, exactly, and no other I/O of the app. */
    private static void assertExactly(RecordingView recording, long bytes, String endedBy, int window) {
        String where = "window " + window + " (" + recording.file + ")";
        assertEquals(endedBy, recording.section("window").get("endedBy"), where);
        Map<String, Object> write = recording.one("file.write", "Windows.windowWrite");
        assertEquals(bytes / 4096, num(write, "calls"), where);
        assertEquals(bytes, num(write, "bytesMoved"), where);
        Map<String, Object> read = recording.one("file.read", "Windows.windowRead");
        assertEquals(bytes / 4096, num(read, "calls"), where);
        assertEquals(bytes, num(read, "bytesMoved"), where);
        Map<String, Object> send = recording.one("socket.write", "Windows.windowSend");
        assertEquals(bytes / 8192, num(send, "calls"), where);
        assertEquals(bytes, num(send, "bytesMoved"), where);
        assertEquals(bytes, num(recording.one("socket.read", "Windows.windowReceive"), "bytesMoved"), where);
        // the app's answers on stdout and its census of /proc (at start, in a window opened at launch) aside,
        // those four are all its I/O
        List<String> sites = recording.where(r -> recording.frame(r).startsWith(RecordingView.WORKLOADS)
                && !((String) r.get("operation")).startsWith("stream.")
                && !recording.frame(r).startsWith(RecordingView.WORKLOADS + "Windows.census(")).stream()
                .map(recording::frame).toList();
        assertEquals(4, sites.size(), where + ": " + sites);
    }

    private static void awaitFile(Path file) throws InterruptedException {
        for (int i = 0; i < 600 && !Files.exists(file); i++) Thread.sleep(100);
        assertTrue(Files.exists(file), "no " + file + " within a minute of its 5 s window");
    }

    /** The app's {@code CENSUS} answer (threads by name, open descriptors, memory) and its classes. */
    private record Census(List<String> threads, long fds, long heapKb, long metaspaceKb, long rssKb, Classes classes) {
        static Census of(String line, Classes classes) {
            assertTrue(line.startsWith("CENSUS "), line);
            Map<String, String> v = new HashMap<>();
            for (String field : line.substring(7).split(" ", 5)) { // thread names, last, have spaces
                int eq = field.indexOf('=');
                v.put(field.substring(0, eq), field.substring(eq + 1));
            }
            return new Census(List.of(v.get("threads").split("\\|")), Long.parseLong(v.get("fds")),
                    Long.parseLong(v.get("heapKb")), Long.parseLong(v.get("metaspaceKb")), Long.parseLong(v.get("rssKb")),
                    classes);
        }

        void assertNoGrowth(Census later, int windows) {
            String what = "after window " + (SETTLED + windows) + " against after window " + SETTLED + ": " + later
                    + " / " + this;
            assertTrue(later.threads.size() <= threads.size() + MORE_THREADS, "threads " + what);
            assertTrue(later.fds <= fds + MORE_FDS, "descriptors " + what);
            assertTrue(later.classes.count() <= classes.count() + MORE_CLASSES + MORE_CLASSES_PER_WINDOW * windows,
                    "classes " + what + "; new: " + later.classes.since(classes));
        }
    }

    /**
     * The classes loaded in a JVM ({@code jcmd PID VM.class_hierarchy}), each counted once: the previous
     * versions the JVM keeps of a redefined class are that class, not more classes.
     */
    private record Classes(Set<String> names) {
        /** The classes that could be more of the same: all but the boot loader's named ones ("name/null"). */
        long count() {
            return names.stream().filter(c -> !c.matches("[^/]+/null")).count();
        }

        /** The classes here that {@code earlier} did not have, sorted. */
        List<String> since(Classes earlier) {
            return names.stream().filter(c -> !earlier.names.contains(c)).sorted().toList();
        }

        @Override
        public String toString() {
            return "Classes[count=" + count() + "]";
        }

        static Classes of(Jdk jdk, String pid) throws Exception {
            Process p = new ProcessBuilder(jdk.home().resolve("bin/jcmd").toString(), pid, "VM.class_hierarchy")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
            // lines are "|--name/loader (...)", indented by depth
            Set<String> classes = new HashSet<>();
            for (String line : out.split("\n")) {
                String c = line.replaceFirst("^[ |-]*", "").split(" ")[0];
                if (c.contains("/")) classes.add(c);
            }
            return new Classes(classes);
        }
    }
}
