// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.Jdk;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's own JNA and Byte Buddy never meet the application's: an app with older versions of both on
 * its class path uses them (JNA's native library included) while the agent records with perf counters.
 */
class HostLibrariesIT {
    private static final Path LIBS = Path.of(System.getProperty("copytrace.hostLibs", "target/host-libs"));

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void theAppsOwnJnaAndByteBuddyWorkBesideTheAgents(Jdk jdk) throws Exception {
        AgentRun.Result r = AgentRun.on(jdk).agent("kernel=perf")
                .classPath(LIBS.resolve("jna-5.13.0.jar")).classPath(LIBS.resolve("byte-buddy-1.14.18.jar"))
                .run("host-libraries");

        assertEquals(0, r.exit(), r.stderr());
        // nothing on the app's stderr but the one line the audit mode prints when it starts, saying what it costs
        String audit = "copytrace: kernel=perf is the audit mode";
        assertEquals(List.of(audit), r.stderr().lines().map(l -> l.startsWith(audit) ? audit : l).toList(), r.stderr());
        // the app got its own versions, and they work
        assertTrue(r.stdout().contains("JNA jna-5.13.0.jar\n"), r.stdout());
        assertTrue(r.stdout().contains("BYTEBUDDY byte-buddy-1.14.18.jar made app.Made\n"), r.stdout());
        String getpid = r.stdout().lines().filter(l -> l.startsWith("GETPID ")).findFirst().orElseThrow();
        String[] pids = getpid.split(" ");
        assertEquals(pids[2], pids[1], "the app's JNA call returned its own pid");

        // and the agent recorded, with its own JNA for the kernel counters
        RecordingView recording = r.recording();
        Map<String, Object> write = recording.one("file.write", "HostLibraries.hostWrite");
        assertEquals(100, num(write, "calls"));
        assertEquals(409_600, num(write, "bytesMoved"));
        assertEquals(409_600, num(write, "jvmCopiedBytes"));
        Map<String, Object> kernel = recording.section("kernel");
        assertEquals("perf", kernel.get("source"), kernel.toString());
        long writes = ((Number) ((Map<?, ?>) kernel.get("syscalls")).get("write")).longValue();
        assertTrue(writes >= 100, "write(2) calls in the window: " + writes);
    }
}
