// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.num;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The agent never harms the host: identical behaviour, bad options, a failing recorder, its own I/O. */
class SafetyIT {
    static Stream<Object[]> badOptions() {
        return Jdk.all().stream().flatMap(jdk -> Stream.of(
            new Object[] {jdk, "bogus=1", "bogus"},
            new Object[] {jdk, "stack-depth=abc", "stack-depth"},
            new Object[] {jdk, "stack-depth=0", "stack-depth"},
            new Object[] {jdk, "max-sites=-5", "max-sites"},
            new Object[] {jdk, "sample-interval=100000", "sample-interval"},
            new Object[] {jdk, "jdk-internal=maybe", "jdk-internal"},
            new Object[] {jdk, "kernel=ebpf", "kernel"},
            new Object[] {jdk, "kernel-samples=yes", "kernel-samples"},
            new Object[] {jdk, "duration=10 minutes", "duration"},
            new Object[] {jdk, "out=/proc/copytrace-cannot-write-here", "out"},
            new Object[] {jdk, "report=html,pdf", "report"},
            new Object[] {jdk, "notkeyvalue", "notkeyvalue"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void theAppBehavesIdenticallyWithTheAgent(Jdk jdk) throws Exception {
        // when: the same program runs with and without the agent (default options: kernel counters on)
        AgentRun plainRun = AgentRun.on(jdk);
        AgentRun.Result plain = plainRun.run("output");
        AgentRun tracedRun = AgentRun.on(jdk).agent("");
        AgentRun.Result traced = tracedRun.run("output");

        // then: exit status, both streams and every file it wrote are byte-identical
        assertEquals(3, plain.exit());
        assertEquals(plain.exit(), traced.exit());
        assertEquals(plain.stdout(), traced.stdout());
        assertEquals(plain.stderr(), traced.stderr());
        Path a = plainRun.work().resolve("files");
        Path b = tracedRun.work().resolve("files");
        List<Path> files;
        try (Stream<Path> s = Files.list(a)) {
            files = s.sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(f.getFileName())), f.toString());
        // and the recording was written, with the kernel's view of the same window: /proc by default, which costs
        // nothing per call and needs no privilege
        RecordingView rec = traced.recording();
        assertEquals("proc", rec.section("kernel").get("source"), "the default kernel view: " + rec.section("kernel"));
        // and its per-thread view: the app's writes under app, the agent's thread that closes the window apart
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> threads = (Map<String, Map<String, Object>>) rec.section("kernel").get("threads");
        assertTrue(num(threads.get("app"), "syscw") > 0 && num(threads.get("app"), "wchar") > 0, String.valueOf(threads));
        assertTrue(num(threads.get("own"), "threads") >= 1, "copytrace-shutdown reads the end: " + threads.get("own"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badOptions")
    void aBadOptionPrintsOneLineAndTheAgentStandsAside(Jdk jdk, String option, String name) throws Exception {
        AgentRun.Result plain = AgentRun.on(jdk).run("heap-loop");
        AgentRun bad = AgentRun.on(jdk);
        Path rec = bad.work().resolve("rec");
        AgentRun.Result run = bad.agentRaw(option.startsWith("out=") ? option : "out=" + rec + "," + option)
                .run("heap-loop");

        List<String> lines = run.stderr().lines().toList();
        assertEquals(1, lines.size(), "exactly one line: " + run.stderr());
        assertTrue(lines.get(0).startsWith("copytrace: ") && lines.get(0).contains(name)
                && (lines.get(0).contains("allowed")), lines.get(0));
        assertTrue(lines.get(0).endsWith("agent disabled"), lines.get(0));
        assertEquals(plain.exit(), run.exit());
        assertEquals(plain.stdout(), run.stdout());
        if (Files.exists(rec)) {
            try (Stream<Path> left = Files.list(rec)) {
                assertFalse(left.findAny().isPresent(), "a disabled agent writes no recording");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void aThrowingRecorderCannotBreakTheApp(Jdk jdk) throws Exception {
        AgentRun.Result plain = AgentRun.on(jdk).run("output");
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").jvm("-Dcopytrace.test.failing-inspector=true")
                .run("output");

        assertEquals(plain.exit(), run.exit());
        assertEquals(plain.stdout(), run.stdout());
        assertEquals(plain.stderr(), run.stderr());
        // heap-buffer I/O never asks the inspector, so it is still recorded exactly
        assertEquals(1025, num(run.recording().one("file.read", "loopRead"), "calls"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void durationClosesTheWindowWhileTheAppRuns(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off,duration=1s").run("sleepy");

        RecordingView rec = run.recording();
        assertEquals("duration", rec.section("window").get("endedBy"));
        // one write before the window closed, the second after: only the first is recorded
        assertEquals(1, num(rec.one("file.write", "insideWindow"), "calls"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void theAgentsOwnWritesAreNeverRecorded(Jdk jdk) throws Exception {
        AgentRun r = AgentRun.on(jdk).agent("");
        RecordingView rec = r.run("heap-loop").recording();
        String out = r.work().resolve("rec").toString();
        assertTrue(rec.where(x -> RecordingView.names(x, "target").stream().anyMatch(n -> n.startsWith(out))
                || RecordingView.names(x, "source").stream().anyMatch(n -> n.startsWith(out))).isEmpty());
        assertTrue(rec.where(x -> rec.frame(x).startsWith("io.copytrace.")
                && !rec.frame(x).startsWith("io.copytrace.agent.workloads.")).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void sitesPastTheCapFoldIntoOther(Jdk jdk) throws Exception {
        RecordingView rec = AgentRun.on(jdk).agent("kernel=off,max-sites=5,sample-interval=1").run("sites").recording();

        Map<String, Object> totals = rec.section("totals");
        assertTrue(num(totals, "distinctSites") <= 5, totals.toString());
        assertTrue(num(totals, "sitesFoldedIntoOther") > 0, totals.toString());
        long writes = rec.where(r -> "file.write".equals(r.get("operation"))
                && (rec.frame(r).contains("manySites") || num(r, "site") == -1))
                .stream().mapToLong(r -> num(r, "calls")).sum();
        assertEquals(12, writes, "totals stay exact when sites fold");
        assertFalse(rec.where(r -> num(r, "site") == -1).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void exactAttributionWalksEveryCall(Jdk jdk) throws Exception {
        RecordingView rec = AgentRun.on(jdk).agent("kernel=off,sample-interval=1").run("sites").recording();
        assertEquals("exact", rec.section("attribution").get("mode"));
        long distinct = rec.at("manySites").stream().filter(r -> "file.write".equals(r.get("operation"))).count();
        assertEquals(12, distinct, "twelve lines, twelve sites");
        rec.at("manySites").forEach(r -> assertEquals(num(r, "calls"), num(r, "walkedCalls")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void includeAndExcludeFoldSitesTogether(Jdk jdk) throws Exception {
        RecordingView excluded = AgentRun.on(jdk).agent("kernel=off,exclude=io.copytrace.agent.workloads")
                .run("heap-loop").recording();
        assertTrue(excluded.at("loopRead").isEmpty());
        Map<String, Object> bucket = excluded.where(r -> num(r, "site") == -2 && "file.read".equals(r.get("operation")))
                .get(0);
        assertEquals(1025, num(bucket, "calls"));

        RecordingView included = AgentRun.on(jdk).agent("kernel=off,include=com.example").run("heap-loop").recording();
        assertTrue(included.at("loopRead").isEmpty());
        assertFalse(included.where(r -> num(r, "site") == -2).isEmpty());
    }
}
