// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a sample in a forked JVM under the real agent jar ({@code copytrace.jar}), then the real CLI's
 * {@code report --format json} on the recording it left, and returns both with the sample's own
 * {@code TOTAL} lines. Host costs are fixed (10 GB/s, 500 ns per syscall) so the estimates are repeatable.
 */
final class SampleRun {
    /** Exact per-site attribution, no kernel counters: fast and deterministic. */
    static final String AGENT_OPTIONS = "kernel=off,sample-interval=1";

    /** Work folders of this test JVM, deleted when it exits unless -Dcopytrace.keepWork=true. */
    private static final List<Path> TEMP = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (Boolean.getBoolean("copytrace.keepWork")) return;
            for (Path root : TEMP) {
                try (java.util.stream.Stream<Path> s = Files.walk(root)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (java.io.IOException | RuntimeException gone) {
                    // best effort: a temporary folder
                }
            }
        }));
    }

    private SampleRun() {}

    /** Runs {@code io.copytrace.samples.<sample> args} on {@code jdk} under the agent. */
    static Result run(Jdk jdk, String sample, String... args) throws Exception {
        Path work = Files.createTempDirectory("copytrace-sample-it");
        TEMP.add(work);
        Path rec = work.resolve("rec");
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(),
                "-javaagent:" + agentJar() + "=out=" + rec + "," + AGENT_OPTIONS,
                "-cp", System.getProperty("copytrace.samplesClasses", "target/classes"),
                "io.copytrace.samples." + sample));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(work.resolve("stdout").toFile())
                .redirectError(work.resolve("stderr").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(sample + " on " + jdk + " did not finish in 120 s");
        }
        String stdout = Files.readString(work.resolve("stdout"));
        String stderr = Files.readString(work.resolve("stderr"));
        if (p.exitValue() != 0) throw new AssertionError(sample + " on " + jdk + " exited " + p.exitValue() + "\n" + stderr);
        Path recording = onlyRecording(rec, stderr);
        Path report = work.resolve("report.json");
        Process r = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", agentJar(), "report", recording.toString(), "--format", "json", "--out", report.toString(),
                "--memcpy-gbps", "10", "--syscall-ns", "500")
                .redirectErrorStream(true).redirectOutput(work.resolve("report.log").toFile()).start();
        if (!r.waitFor(60, TimeUnit.SECONDS) || r.exitValue() != 0) {
            throw new AssertionError("copytrace report failed: " + Files.readString(work.resolve("report.log")));
        }
        return new Result(totals(stdout), Report.read(report), recording);
    }

    static String agentJar() {
        return System.getProperty("copytrace.jar", "../agent/target/copytrace.jar");
    }

    private static Path onlyRecording(Path dir, String stderr) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().matches("recording-\\d+\\.json")).toList();
        }
        if (files.size() != 1) throw new AssertionError("expected one recording in " + dir + ", found " + files
                + "\nstderr: " + stderr);
        return files.get(0);
    }

    private static Map<String, Long> totals(String stdout) {
        Map<String, Long> t = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("TOTAL ")) {
                String[] kv = line.substring(6).split("=");
                t.put(kv[0], Long.parseLong(kv[1].trim()));
            }
        }
        return t;
    }

    /** What a run left: the sample's totals, the analyzer's report, and the recording file. */
    record Result(Map<String, Long> totals, Report report, Path recording) {
        /** The {@code TOTAL key=value} the sample printed; fails when it did not print it. */
        long total(String key) {
            Long v = totals.get(key);
            if (v == null) throw new AssertionError("the sample printed no TOTAL " + key + ": " + totals);
            return v;
        }
    }
}
