// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.ForkedJvm;
import io.copytrace.testing.Jdk;
import io.copytrace.testing.ReportView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hard kill ({@code kill -9}) of a JVM recording with checkpoints leaves the last checkpoint: a whole,
 * readable recording of the window so far, marked as a checkpoint, and no temporary file; with
 * {@code checkpoint=off} it leaves nothing, as before.
 */
class CheckpointIT {
    /** Starts the until-killed workload under the agent, waits for {@code ready} to hold, then SIGKILLs it. */
    private static Path runAndKill(Jdk jdk, String options, boolean waitForRecording) throws Exception {
        AgentRun run = AgentRun.on(jdk).agent("kernel=off," + options);
        Path rec = run.work().resolve("rec");
        ForkedJvm.Running p = run.start("until-killed");
        int exit;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            if (waitForRecording) {
                // two checkpoints at least: the first file, then a newer one
                while (ReportView.recordings(rec).isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
                assertTrue(!ReportView.recordings(rec).isEmpty(), "no checkpoint within 30 s: "
                        + Files.readString(run.work().resolve("stderr")));
                Thread.sleep(600);
            } else {
                Thread.sleep(1500);
            }
        } finally {
            exit = p.kill(); // SIGKILL: no shutdown hook runs
        }
        assertEquals(137, exit, "killed by SIGKILL");
        return rec;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void aHardKillLeavesTheLastCheckpoint(Jdk jdk) throws Exception {
        Path rec = runAndKill(jdk, "checkpoint=200ms", true);

        List<Path> all;
        try (Stream<Path> s = Files.list(rec)) {
            all = s.toList();
        }
        // a SIGKILL that lands while a checkpoint is being written leaves that one write's temporary file (no
        // process can remove it); every finished write removed or renamed its own: at most one is left
        List<Path> files = all.stream().filter(f -> !f.toString().endsWith(".tmp")).toList();
        assertEquals(1, files.size(), "the checkpoint and nothing else: " + all);
        assertTrue(all.size() - files.size() <= 1, "temporary files of finished writes left behind: " + all);
        RecordingView view = RecordingView.read(files.get(0));
        assertEquals("checkpoint", view.section("window").get("endedBy"));
        Map<String, Object> write = view.one("file.write", "UntilKilled.writeChunk");
        long moved = num(write, "bytesMoved");
        assertTrue(moved >= 64 * 1024 && moved % (64 * 1024) == 0, "whole 64 KiB writes: " + moved);
        assertEquals(moved / (64 * 1024), num(write, "calls"));
        // the analyzer reads it and says what it is
        assertTrue(io.copytrace.recording.Recording.read(files.get(0)).warnings().stream()
                .anyMatch(w -> w.startsWith("a checkpoint: the window was still open")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void withoutCheckpointsAHardKillLeavesNothing(Jdk jdk) throws Exception {
        Path rec = runAndKill(jdk, "checkpoint=off", false);
        assertEquals(List.of(), ReportView.recordings(rec));
    }
}
