// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        Path work = AgentRun.tempDir("copytrace-checkpoint");
        Path rec = work.resolve("rec");
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(),
                "-javaagent:" + AgentRun.agentJar() + "=out=" + rec + ",kernel=off," + options,
                "-cp", AgentRun.classPath(), "io.copytrace.agent.workloads.Workloads", "until-killed",
                work.resolve("files").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("out").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            if (waitForRecording) {
                // two checkpoints at least: the first file, then a newer one
                while (recordings(rec).isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
                assertTrue(!recordings(rec).isEmpty(), "no checkpoint within 30 s: " + Files.readString(work.resolve("out")));
                Thread.sleep(600);
            } else {
                Thread.sleep(1500);
            }
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown hook runs
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        return rec;
    }

    private static List<Path> recordings(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().matches("recording-\\d+\\.json")).toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.agent.Jdk#all")
    void aHardKillLeavesTheLastCheckpoint(Jdk jdk) throws Exception {
        Path rec = runAndKill(jdk, "checkpoint=200ms", true);

        List<Path> files;
        try (Stream<Path> s = Files.list(rec)) {
            files = s.toList();
        }
        assertEquals(1, files.size(), "the checkpoint and nothing else (no temporary file): " + files);
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
    @MethodSource("io.copytrace.agent.Jdk#all")
    void withoutCheckpointsAHardKillLeavesNothing(Jdk jdk) throws Exception {
        Path rec = runAndKill(jdk, "checkpoint=off", false);
        assertEquals(List.of(), recordings(rec));
    }
}
