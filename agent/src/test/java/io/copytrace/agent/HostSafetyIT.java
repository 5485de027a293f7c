// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.ForkedJvm;
import io.copytrace.testing.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the agent must never do to its host: leave files behind on a full disk, or open a socket nobody asked for. */
class HostSafetyIT {
    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void aFullDiskCostsOneLineAndLeavesNoTemporaryFile(Jdk jdk) throws Exception {
        // given: out= on a 4 KiB tmpfs (root only), too small for the recording
        Path full = AgentRun.tempDir("copytrace-full-disk");
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", full.toString()) == 0,
                "mounting a tmpfs needs root: skipped");
        try {
            // when
            AgentRun.Result r = AgentRun.on(jdk).agentRaw("out=" + full + ",kernel=off,checkpoint=off").run("heap-loop");

            // then: the app ran to the end, one line names the recording and the cause, nothing is left behind
            assertEquals(0, r.exit(), r.stderr());
            assertEquals(64L << 20, r.truth().get("bytes"));
            List<String> lines = r.stderr().lines().filter(l -> l.startsWith("copytrace:")).toList();
            assertEquals(1, lines.size(), r.stderr());
            assertTrue(lines.get(0).contains("could not write the recording " + full.resolve("recording-"))
                    && lines.get(0).contains("No space left on device"), lines.get(0));
            try (Stream<Path> s = Files.list(full)) {
                assertEquals(List.of(), s.toList());
            }
        } finally {
            run("umount", full.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void theAgentOpensNoSocketWithDefaultOptions(Jdk jdk) throws Exception {
        // given: a workload that uses no socket, under the agent with its default options (perf counters included)
        AgentRun run = AgentRun.on(jdk).agent("");
        ForkedJvm.Running p = run.start("until-killed");
        try {
            // when: the window is open and the workload writes
            Thread.sleep(2000);
            assertTrue(p.isAlive(), Files.readString(run.work().resolve("stderr")));

            // then: none of the JVM's sockets listens (TCP LISTEN, a bound UDP socket, a unix socket accepting)
            List<String> inodes = new ArrayList<>();
            try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(p.pid()), "fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
                    } catch (java.io.IOException closedMeanwhile) {
                        // a descriptor closed while listing
                    }
                }
            }
            List<String> sockets = new ArrayList<>();
            for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
                for (String line : Files.readAllLines(Path.of("/proc/net", table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 10 || !inodes.contains(f[9])) continue;
                    if (table.startsWith("udp") || f[3].equals("0A")) sockets.add(table + ": " + line.trim());
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
                String[] f = line.trim().split("\\s+");
                // Flags 00010000 = __SO_ACCEPTCON: a listening unix socket
                if (f.length >= 7 && inodes.contains(f[6]) && (Integer.parseInt(f[3], 16) & 0x10000) != 0) {
                    sockets.add("unix: " + line.trim());
                }
            }
            assertEquals(List.of(), sockets);
        } finally {
            p.kill();
        }
    }
}
