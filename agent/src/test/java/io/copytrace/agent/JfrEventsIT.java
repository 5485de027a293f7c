// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.ForkedJvm;
import io.copytrace.testing.Jdk;
import io.copytrace.testing.ReportView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * While a JFR recording runs, the agent emits its own events: per row {@code copytrace.CopySite} (counts since
 * the window opened) and the recording itself ({@code copytrace.Recording}) at each chunk's start and end, so
 * JMC and {@code jfr print} show copy data next to CPU and GC, and {@code copytrace report FILE.jfr} writes the
 * same report as from the recording file.
 */
class JfrEventsIT {
    private static final long MiB = 1 << 20;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void theAgentsEventsCarryTheCountsAndTheRecording(Jdk jdk) throws Exception {
        // when: 64 MiB through a heap-buffer loop under the agent, with a JFR recording from the start
        AgentRun run = AgentRun.on(jdk).agent("");
        Path jfr = run.work().resolve("app.jfr");
        AgentRun.Result result = run.jvm("-XX:StartFlightRecording:filename=" + jfr).run("heap-loop");

        // then: the last CopySite event of the loop's read site has the exact totals
        assertEquals(0, result.exit(), result.stderr());
        assertEquals(64 * MiB, result.truth().get("bytes"));
        RecordedEvent read = null;
        int recordings = 0;
        RecordedEvent relay = null;
        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        for (RecordedEvent e : events) {
            String type = e.getEventType().getName();
            if (type.equals("copytrace.Recording")) recordings++;
            if (type.equals("copytrace.Finding") && e.getString("rule").equals("relay")) relay = e;
            if (type.equals("copytrace.CopySite") && e.getString("site").contains("FileChannelWorkloads.loopRead(")
                    && e.getString("operation").equals("file.read")
                    && (read == null || !e.getEndTime().isBefore(read.getEndTime()))) {
                read = e;
            }
        }
        assertTrue(recordings >= 1, "a copytrace.Recording event");
        assertTrue(read != null, "a copytrace.CopySite event for loopRead");
        assertEquals(1025, read.getLong("calls"));
        assertEquals(64 * MiB, read.getLong("bytesMoved"));
        assertEquals(64 * MiB, read.getLong("jvmCopiedBytes"));
        assertEquals(2.0, read.getDouble("cpuCopiesPerByte"));

        // and the report from the .jfr names the same findings as the report from the recording
        Path recording = recordingIn(run);
        List<String> fromRecording = rules(jdk, run.work(), recording);
        assertEquals(fromRecording, rules(jdk, run.work(), jfr));

        // and the copytrace.Finding events of the last emission are the report's findings at call sites (the kernel
        // cross-check needs the window's kernel counts, read only when it closes), with a priced saving
        assertEquals(fromRecording.stream().filter(r -> !r.endsWith(" null")).toList(), lastFindings(events));
        assertTrue(relay.getLong("cpuCopiedBytesSaved") > 0 && relay.getLong("estimatedNanosSaved") > 0,
                relay.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void aWindowThatClosesBeforeJfrLeavesItsFindingsInTheJfrFile(Jdk jdk) throws Exception {
        // when: the window ends after 1.5 s (duration) while the JVM and its JFR recording run on for 3 s more
        AgentRun run = AgentRun.on(jdk).agent("duration=1500ms");
        Path jfr = run.work().resolve("app.jfr");
        AgentRun.Result result = run.jvm("-XX:StartFlightRecording:filename=" + jfr).run("heap-loop-then-idle");
        assertEquals(0, result.exit(), result.stderr());

        // then: the last copytrace.Finding events are the window's findings at its close, the kernel's included
        assertEquals(rules(jdk, run.work(), recordingIn(run)), lastFindings(RecordingFile.readAllEvents(jfr)));
    }

    /** "rule site" of each copytrace.Finding event of the last emission, sorted; fails when there is none. */
    private static List<String> lastFindings(List<RecordedEvent> events) {
        java.util.TreeMap<java.time.Instant, List<String>> byEmission = new java.util.TreeMap<>();
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals("copytrace.Finding")) continue;
            byEmission.computeIfAbsent(e.getEndTime(), t -> new java.util.ArrayList<>())
                    .add(e.getString("rule") + " " + e.getString("site"));
        }
        assertTrue(!byEmission.isEmpty(), "copytrace.Finding events");
        return byEmission.lastEntry().getValue().stream().sorted().toList();
    }

    private static Path recordingIn(AgentRun run) throws java.io.IOException {
        try (Stream<Path> s = Files.list(run.work().resolve("rec"))) {
            return s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
    }

    private static List<String> rules(Jdk jdk, Path work, Path input) throws Exception {
        Path out = work.resolve(input.getFileName() + ".report.json");
        ForkedJvm.Exit exit = ForkedJvm.of(jdk).in(work).named("report-" + input.getFileName())
                .jar(AgentRun.agentJar(), "report", input.toString(), "--format", "json", "--out", out.toString()).run(120);
        assertEquals(0, exit.exit(), exit.stderr());
        List<String> rules = ReportView.read(out).list("findings").stream()
                .map(f -> ReportView.str(f, "rule") + " " + ReportView.str(f, "site")).sorted().toList();
        assertTrue(rules.stream().anyMatch(r -> r.startsWith("relay ")), rules.toString());
        return rules;
    }
}
