// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import io.copytrace.testing.ForkedJvm;
import io.copytrace.testing.Jdk;
import io.copytrace.testing.ReportView;
import io.copytrace.testing.StdoutProtocol;
import io.copytrace.testing.WorkFolders;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs a sample in a forked JVM under the real agent jar ({@code copytrace.jar}), then the real CLI's
 * {@code report --format json} on the recording it left, and returns both with the sample's own
 * {@code TRUTH} lines. Host costs are fixed (10 GB/s, 500 ns per syscall) so the estimates are repeatable.
 */
final class SampleRun {
    /** Exact per-site attribution, no kernel counters: fast and deterministic. */
    static final String AGENT_OPTIONS = "kernel=off,sample-interval=1";
    /** The package a finding's method is named relative to. */
    static final String SAMPLES = "io.copytrace.samples.";

    private SampleRun() {}

    /** Runs {@code io.copytrace.samples.<sample> args} on {@code jdk} under the agent. */
    static Result run(Jdk jdk, String sample, String... args) throws Exception {
        return run(jdk, List.of(), sample, args);
    }

    /** Runs {@code io.copytrace.samples.<sample> args} on {@code jdk} under the agent, with more JVM options. */
    static Result run(Jdk jdk, List<String> jvmOptions, String sample, String... args) throws Exception {
        return run(jdk, AGENT_OPTIONS, jvmOptions, sample, args);
    }

    /** Runs {@code io.copytrace.samples.<sample> args} on {@code jdk} under the agent with these options (not {@code out}). */
    static Result run(Jdk jdk, String agentOptions, List<String> jvmOptions, String sample, String... args) throws Exception {
        Path work = WorkFolders.create("copytrace-sample-it");
        Path rec = work.resolve("rec");
        ForkedJvm.Exit run = ForkedJvm.of(jdk).in(work).jvm("-javaagent:" + agentJar() + "=out=" + rec + "," + agentOptions)
                .jvm(jvmOptions)
                .classPath(List.of(System.getProperty("copytrace.samplesClasses", "target/classes")))
                .main(SAMPLES + sample, args).run(120);
        if (run.exit() != 0) throw new AssertionError(sample + " on " + jdk + " exited " + run.exit() + "\n" + run.stderr());
        Path recording = ReportView.onlyRecording(rec, run.stderr());
        Path report = work.resolve("report.json");
        ForkedJvm.Exit cli = ForkedJvm.of(Jdk.current()).in(work).named("report").jar(agentJar(), "report",
                recording.toString(), "--format", "json", "--out", report.toString(), "--memcpy-gbps", "10",
                "--syscall-ns", "500").run(60);
        if (cli.exit() != 0) throw new AssertionError("copytrace report failed: " + cli.stdout() + cli.stderr());
        return new Result(StdoutProtocol.truth(run.stdout()), ReportView.read(report, SAMPLES), recording);
    }

    static String agentJar() {
        return System.getProperty("copytrace.jar", "../agent/target/copytrace.jar");
    }

    /** What a run left: the sample's totals, the analyzer's report, and the recording file. */
    record Result(Map<String, Long> totals, ReportView report, Path recording) {
        /** The {@code TRUTH key=value} the sample printed; fails when it did not print it. */
        long total(String key) {
            Long v = totals.get(key);
            if (v == null) throw new AssertionError("the sample printed no TRUTH " + key + ": " + totals);
            return v;
        }
    }
}
