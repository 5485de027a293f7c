// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.num;
import static io.copytrace.agent.RecordingView.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import io.copytrace.testing.Jdk;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    @MethodSource("io.copytrace.agent.Jdk#all")
    void attachingRecordsWhatTheAppDoesAfterwards(Jdk jdk) throws Exception {
        // given: a JVM that has run the heap loop three times without the agent, and waits
        try (App app = App.start(jdk)) {
            // when: the agent is loaded into it, and it runs the loop once more
            app.attach("out=" + app.rec + ",kernel=perf"); // the audit mode, for a short window
            AgentRun.Result result = app.finish();
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
    @MethodSource("io.copytrace.agent.Jdk#all")
    void aSecondLoadSaysTheAgentIsThereAndChangesNothing(Jdk jdk) throws Exception {
        // given: a JVM started with -javaagent, which has run the heap loop three times
        Path work = AgentRun.tempDir("copytrace-attach");
        try (App app = App.start(jdk, work, "-javaagent:" + AgentRun.agentJar() + "=out=" + work.resolve("rec"))) {
            // when: the agent is loaded into it once more, with other options
            Path other = work.resolve("other");
            app.attach("out=" + other + ",kernel=off");
            AgentRun.Result result = app.finish();

            // then: one line says so, and nothing else happens: no second recording, no hooks counted twice
            assertEquals("copytrace: already loaded in this JVM (recording to " + app.rec.resolve("recording-"
                    + app.pid + ".json") + ", window open); this load (out=" + other + ",kernel=off) does nothing\n",
                    result.stderr());
            assertTrue(!Files.exists(other), "the second load made " + other);
            RecordingView recording = result.recording();
            assertEquals(Boolean.FALSE, recording.section("agent").get("attached"));
            Map<String, Object> write = recording.one("file.write", "loopWrite");
            assertEquals(4 * 1024, num(write, "calls"));
            assertEquals(4 * 64 * MiB, num(write, "jvmCopiedBytes"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.agent.Jdk#all")
    void anAttachAfterOneWithABadOptionInstalls(Jdk jdk) throws Exception {
        try (App app = App.start(jdk)) {
            // given: a first attach that a typo disabled
            app.attach("out=" + app.rec + ",kernel=bogus");
            // when: the user attaches again with the typo fixed
            app.attach("out=" + app.rec + ",kernel=proc");
            AgentRun.Result result = app.finish();

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
    @MethodSource("io.copytrace.agent.Jdk#all")
    void theAttachCommandChecksLoadsAndSaysWhatHappened(Jdk jdk) throws Exception {
        try (App app = App.start(jdk)) {
            // a typo is caught on the user's terminal, and the app is not touched
            Cli typo = Cli.run(jdk, app.work, "attach", app.pid, "kernel=bogus");
            assertEquals(2, typo.exit);
            assertEquals("copytrace: bad option kernel=bogus (not one of the allowed values): allowed: perf, sampled, proc or"
                    + " off; nothing attached\n", typo.stderr);
            // a relative out= is the command's folder, not the app's
            Cli ok = Cli.run(jdk, app.work, "attach", app.pid, "out=rec,kernel=proc");
            Path file = app.rec.resolve("recording-" + app.pid + ".json");
            assertEquals(0, ok.exit, ok.stderr);
            assertEquals("copytrace: attached to " + app.pid + ", recording to " + file + " until the JVM exits\n",
                    ok.stdout);
            // once is enough: the command says so and fails
            Cli again = Cli.run(jdk, app.work, "attach", app.pid, "out=other");
            assertEquals(2, again.exit);
            String already = "copytrace: already loaded in this JVM (recording to " + file + ", window open); this load"
                    + " (out=" + app.work.resolve("other") + ") does nothing\n";
            assertEquals(already, again.stderr);
            assertEquals("", Cli.run(jdk, app.work, "attach", "not-a-pid").stdout);

            AgentRun.Result result = app.finish();
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

    /** {@code java -jar copytrace.jar ARGS} run in {@code dir}, and what it printed. */
    private record Cli(int exit, String stdout, String stderr) {
        static Cli run(Jdk jdk, Path dir, String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-jar", Path.of(AgentRun.agentJar())
                    .toAbsolutePath().toString()));
            cmd.addAll(List.of(args));
            Path out = Files.createTempFile(dir, "cli", ".out");
            Path err = Files.createTempFile(dir, "cli", ".err");
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "copytrace " + String.join(" ", args) + " did not end");
            return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
        }
    }

    /** The {@code attach-loop} workload in its own JVM, stopped at READY until {@link #finish}. */
    private static final class App implements AutoCloseable {
        final Process process;
        final Path work;
        final Path rec;
        final String pid;
        final BufferedReader lines;
        final StringBuilder out = new StringBuilder();

        private App(Process process, Path work, String pid, BufferedReader lines) {
            this.process = process;
            this.work = work;
            this.rec = work.resolve("rec");
            this.pid = pid;
            this.lines = lines;
        }

        static App start(Jdk jdk) throws Exception {
            return start(jdk, AgentRun.tempDir("copytrace-attach"));
        }

        static App start(Jdk jdk, Path work, String... jvmArgs) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-XX:+IgnoreUnrecognizedVMOptions",
                    "-XX:+EnableDynamicAgentLoading"));
            cmd.addAll(List.of(jvmArgs));
            cmd.addAll(List.of("-cp", AgentRun.classPath(), "io.copytrace.agent.workloads.Workloads", "attach-loop",
                    work.resolve("files").toString()));
            Process p = new ProcessBuilder(cmd).redirectError(work.resolve("stderr").toFile()).start();
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line; (line = lines.readLine()) != null; ) {
                seen.append(line).append('\n');
                if (line.startsWith("READY ")) {
                    App app = new App(p, work, line.substring(6).trim(), lines);
                    app.out.append(seen);
                    return app;
                }
            }
            p.destroyForcibly();
            throw new AssertionError("the app did not get ready: " + seen + Files.readString(work.resolve("stderr")));
        }

        /** Loads the agent jar into the waiting JVM with the Attach API. */
        void attach(String options) throws Exception {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(AgentRun.agentJar(), options);
            } finally {
                vm.detach();
            }
        }

        /** Lets the app run its last loop and exit; fails unless it exits 0. */
        AgentRun.Result finish() throws Exception {
            try (OutputStream in = process.getOutputStream()) {
                in.write("go\n".getBytes(StandardCharsets.UTF_8));
            }
            for (String line; (line = lines.readLine()) != null; ) out.append(line).append('\n');
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the app did not end");
            String stderr = Files.readString(work.resolve("stderr"));
            assertEquals(0, process.exitValue(), stderr);
            return new AgentRun.Result(0, out.toString(), stderr, work);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
