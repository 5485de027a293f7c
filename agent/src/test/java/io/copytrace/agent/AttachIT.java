// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.num;
import static io.copytrace.agent.RecordingView.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Path work = AgentRun.tempDir("copytrace-attach");
        Path rec = work.resolve("rec");
        // given: a JVM that has run the heap loop three times without the agent, and waits
        Process app = new ProcessBuilder(jdk.java().toString(), "-XX:+IgnoreUnrecognizedVMOptions",
                "-XX:+EnableDynamicAgentLoading", "-cp", AgentRun.classPath(), "io.copytrace.agent.workloads.Workloads",
                "attach-loop", work.resolve("files").toString())
                .redirectError(work.resolve("stderr").toFile()).start();
        StringBuilder out = new StringBuilder();
        BufferedReader lines = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        String ready = null;
        for (String line; (line = lines.readLine()) != null; ) {
            out.append(line).append('\n');
            if (line.startsWith("READY ")) {
                ready = line;
                break;
            }
        }
        assertTrue(ready != null, "the app did not get ready: " + out + Files.readString(work.resolve("stderr")));

        // when: the agent is loaded into it, and it runs the loop once more
        VirtualMachine vm = VirtualMachine.attach(ready.substring(6).trim());
        try {
            vm.loadAgent(AgentRun.agentJar(), "out=" + rec);
        } finally {
            vm.detach();
        }
        try (OutputStream in = app.getOutputStream()) {
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        for (String line; (line = lines.readLine()) != null; ) out.append(line).append('\n');
        assertTrue(app.waitFor(120, TimeUnit.SECONDS), "the app did not end");
        String stderr = Files.readString(work.resolve("stderr"));
        assertEquals(0, app.exitValue(), stderr);
        assertEquals("", stderr, "nothing on the app's stderr");

        // then: exactly the last loop, at its own call sites, with the JVM's copies
        RecordingView recording = new AgentRun.Result(0, out.toString(), stderr, work).recording();
        assertEquals(Boolean.TRUE, recording.section("agent").get("attached"));
        Map<String, Object> read = recording.one("file.read", "loopRead");
        assertEquals(1025, num(read, "calls"));
        assertEquals(64 * MiB, num(read, "bytesMoved"));
        assertEquals(64 * MiB, num(read, "jvmCopiedBytes"));
        assertEquals("heap", str(read, "buffer"));
        Map<String, Object> write = recording.one("file.write", "loopWrite");
        assertEquals(1024, num(write, "calls"));
        assertEquals(64 * MiB, num(write, "bytesMoved"));
        // and the kernel counted the same writes on the main thread, which existed long before the counters
        Map<String, Object> kernel = recording.section("kernel");
        assertEquals("perf", kernel.get("source"), kernel.toString());
        long writes = ((Number) ((Map<?, ?>) kernel.get("syscalls")).get("write")).longValue();
        assertTrue(writes >= 1024 && writes <= 1034, "write(2) calls in the window: " + writes);
    }
}
