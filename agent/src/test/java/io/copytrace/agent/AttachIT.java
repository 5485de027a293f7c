// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.num;
import static io.copytrace.agent.RecordingView.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.agent.AttachedApp.Cli;
import io.copytrace.testing.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loading the agent into a running JVM (the Attach API): the hooked JDK classes, loaded and JIT-compiled
 * long before, are retransformed; what the app does afterwards is recorded exactly, what it did before is
 * not, and the kernel counters cover the threads that already existed.
 */
class AttachIT {
    private static final long MiB = 1 << 20;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void attachingRecordsWhatTheAppDoesAfterwards(Jdk jdk) throws Exception {
        // given: a JVM that has run the heap loop three times without the agent, and waits
        try (AttachedApp app = AttachedApp.start(jdk, AgentRun.tempDir("copytrace-attach"), "attach-loop")) {
            // when: the agent is loaded into it, and it runs the loop once more
            app.attach("out=" + app.rec + ",kernel=perf"); // the audit mode, for a short window
            AgentRun.Result result = app.finish("go");
            assertEquals("", result.stderr(), "nothing on the app's stderr");

            // then: exactly the last loop, at its own call sites, with the JVM's copies
            RecordingView recording = result.recording();
            assertEquals(Boolean.TRUE, recording.section("agent").get("attached"));
            assertOneLoop(recording);
            // and the kernel counted the same writes on the main thread, which existed long before the counters
            Map<String, Object> kernel = recording.section("kernel");
            assertEquals("perf", kernel.get("source"), kernel.toString());
            long writes = ((Number) ((Map<?, ?>) kernel.get("syscalls")).get("write")).longValue();
            assertTrue(writes >= 1024 && writes <= 1034, "write(2) calls in the window: " + writes);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void aLoadWhileAWindowIsOpenSaysSoAndChangesNothing(Jdk jdk) throws Exception {
        // given: a JVM started with -javaagent, which has run the heap loop three times
        Path work = AgentRun.tempDir("copytrace-attach");
        try (AttachedApp app = AttachedApp.start(jdk, work, "attach-loop",
                "-javaagent:" + AgentRun.agentJar() + "=out=" + work.resolve("rec"))) {
            // when: the agent is loaded into it once more, with other options
            Path other = work.resolve("other");
            app.attach("out=" + other + ",kernel=off");
            AgentRun.Result result = app.finish("go");

            // then: one line says so, and nothing else happens: no second recording, no hooks counted twice
            assertEquals("copytrace: a recording window is open in this JVM (recording to " + app.rec.resolve("recording-"
                    + app.pid + ".json") + "); this load (out=" + other + ",kernel=off) does nothing; 'stop' ends the"
                    + " window\n", result.stderr());
            assertTrue(!Files.exists(other), "the second load made " + other);
            RecordingView recording = result.recording();
            assertEquals(Boolean.FALSE, recording.section("agent").get("attached"));
            Map<String, Object> write = recording.one("file.write", "loopWrite");
            assertEquals(4 * 1024, num(write, "calls"));
            assertEquals(4 * 64 * MiB, num(write, "jvmCopiedBytes"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void anAttachAfterOneWithABadOptionInstalls(Jdk jdk) throws Exception {
        try (AttachedApp app = AttachedApp.start(jdk, AgentRun.tempDir("copytrace-attach"), "attach-loop")) {
            // given: a first attach that a typo disabled
            app.attach("out=" + app.rec + ",kernel=bogus");
            // when: the user attaches again with the typo fixed
            app.attach("out=" + app.rec + ",kernel=proc");
            AgentRun.Result result = app.finish("go");

            // then: the first said what was wrong, the second recorded the loop run afterwards
            assertEquals("copytrace: bad option kernel=bogus (not one of the allowed values): allowed: perf, sampled, proc or off;"
                    + " agent disabled\n", result.stderr());
            RecordingView recording = result.recording();
            assertEquals(Boolean.TRUE, recording.section("agent").get("attached"));
            assertOneLoop(recording);
            assertEquals("proc", recording.section("kernel").get("source"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void theAttachCommandChecksLoadsAndSaysWhatHappened(Jdk jdk) throws Exception {
        try (AttachedApp app = AttachedApp.start(jdk, AgentRun.tempDir("copytrace-attach"), "attach-loop")) {
            // a typo is caught on the user's terminal, and the app is not touched
            Cli typo = Cli.run(jdk, app.work, "attach", app.pid, "kernel=bogus");
            assertEquals(2, typo.exit());
            assertEquals("copytrace: bad option kernel=bogus (not one of the allowed values): allowed: perf, sampled, proc or"
                    + " off; nothing attached\n", typo.stderr());
            // a relative out= is the command's folder, not the app's
            Cli ok = Cli.run(jdk, app.work, "attach", app.pid, "out=rec,kernel=proc");
            Path file = app.rec.resolve("recording-" + app.pid + ".json");
            assertEquals(0, ok.exit(), ok.stderr());
            assertEquals("copytrace: attached to " + app.pid + ", recording to " + file + " until the JVM exits\n",
                    ok.stdout());
            // one window at a time: while it is open, the command says so and fails
            Cli again = Cli.run(jdk, app.work, "attach", app.pid, "out=other");
            assertEquals(2, again.exit());
            String already = "copytrace: a recording window is open in this JVM (recording to " + file + "); this load"
                    + " (out=" + app.work.resolve("other") + ") does nothing; 'stop' ends the window\n";
            assertEquals(already, again.stderr());
            assertEquals("", Cli.run(jdk, app.work, "attach", "not-a-pid").stdout());

            AgentRun.Result result = app.finish("go");
            assertEquals(already, result.stderr(), "the app's stderr has the second load's line only");
            RecordingView recording = result.recording();
            assertOneLoop(recording);
            // the tools' own work on the JVM's Attach Listener thread (the second load's line, the status
            // read-out, which loads the time zones) is not the app's
            List<Map<String, Object>> tools = recording.where(r -> r.get("threads").toString().contains("Attach"));
            assertEquals(List.of(), tools);
        }
    }

    /** Exactly one run of the 64 MiB heap-buffer loop (1024 chunks and the end-of-file read). */
    private static void assertOneLoop(RecordingView recording) {
        Map<String, Object> read = recording.one("file.read", "loopRead");
        assertEquals(1025, num(read, "calls"));
        assertEquals(64 * MiB, num(read, "bytesMoved"));
        assertEquals(64 * MiB, num(read, "jvmCopiedBytes"));
        assertEquals("heap", str(read, "buffer"));
        Map<String, Object> write = recording.one("file.write", "loopWrite");
        assertEquals(1024, num(write, "calls"));
        assertEquals(64 * MiB, num(write, "bytesMoved"));
    }
}
