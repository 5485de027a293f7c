// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.ForkedJvm;
import io.copytrace.testing.Jdk;
import io.copytrace.testing.ReportView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fleet: three JVMs of one service (the same code, 4, 12 and 8 MiB of load) under the real agent, their
 * recordings merged with {@code java -jar copytrace.jar merge}; every summed count and every JVM's share checked
 * against what each JVM counted itself, then report, diff and check run on the merged recording.
 */
class FleetIT {
    static final long MiB = 1 << 20;
    static final List<Integer> LOADS = List.of(4, 12, 8);
    static final String[] COST = {"--memcpy-gbps", "10", "--syscall-ns", "250"};

    private record Member(AgentRun.Result run, RecordingView recording) {}

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void mergedRecordingSumsEveryJvmExactlyAndSaysWhoCopiedMost(Jdk jdk) throws Exception {
        // given: three JVMs of the service, each with its own recording
        List<Member> members = new ArrayList<>();
        List<String> mergeArgs = new ArrayList<>(List.of("merge"));
        Path work = AgentRun.tempDir("copytrace-fleet");
        Path merged = work.resolve("fleet.json");
        mergeArgs.add(merged.toString());
        for (int mib : LOADS) {
            AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off,sample-interval=1")
                    .jvm("-Dcopytrace.fleet.mib=" + mib).run("fleet-service");
            assertEquals(0, run.exit(), run.stderr());
            assertEquals(mib * MiB, run.truth().get("bytes"));
            RecordingView rec = run.recording();
            members.add(new Member(run, rec));
            mergeArgs.add(rec.file.toString());
        }

        // when: the CLI merges them
        ForkedJvm.Exit merge = cli(jdk, work, mergeArgs.toArray(String[]::new));
        assertEquals(0, merge.exit(), merge.stderr());
        assertTrue(merge.stderr().contains("merged 3 recordings (3 JVMs, "), merge.stderr());

        // then: each row is the exact sum of the JVMs' counts, and says what each JVM gave
        RecordingView fleet = RecordingView.read(merged);
        check(fleet, members, "file.read", "serviceRead", "readCalls", "bytes", true);
        check(fleet, members, "file.write", "serviceWrite", "writeCalls", "bytes", true);
        check(fleet, members, "file.transferTo", "serviceSend", "sendCalls", "sent", false);
        // the fleet's totals are the JVMs' totals summed, and each JVM keeps its own
        List<Map<String, Object>> jvms = list(fleet.section("fleet"), "members");
        assertEquals(3, jvms.size());
        for (String key : List.of("calls", "bytesMoved", "jvmCopiedBytes")) {
            long sum = 0;
            for (int i = 0; i < members.size(); i++) {
                long own = num(members.get(i).recording().section("totals"), key);
                assertEquals(own, num(ReportView.obj(jvms.get(i), "totals"), key), key + " of JVM " + i);
                assertEquals(members.get(i).recording().section("jvm").get("pid"), jvms.get(i).get("pid"));
                sum += own;
            }
            assertEquals(sum, num(fleet.section("totals"), key), key);
        }

        // report: the fleet section names the JVM with the most load first; every finding still has its site
        Path json = work.resolve("fleet.report.json");
        ForkedJvm.Exit report = cli(jdk, work, with("report", merged.toString(), "--format", "json", "--out", json.toString()));
        assertEquals(0, report.exit(), report.stderr());
        ReportView view = ReportView.read(json);
        Map<String, Object> top = list(view.section("fleet"), "members").get(0);
        assertEquals(members.get(1).recording().section("jvm").get("pid"), top.get("pid"));
        assertEquals(3L, view.section("fleet").get("jvms"));
        ForkedJvm.Exit text = cli(jdk, work, with("report", merged.toString()));
        assertEquals(0, text.exit(), text.stderr());
        assertTrue(text.stdout().contains("A fleet of 3 JVMs: "), text.stdout());
        // diff against one JVM's recording, and check as a CI gate
        ForkedJvm.Exit diff = cli(jdk, work, with("diff", members.get(0).recording().file.toString(), merged.toString()));
        assertEquals(0, diff.exit(), diff.stderr());
        assertTrue(diff.stdout().matches("(?s).*\\nJVMs +1 +3 +\\+2\\n.*"), diff.stdout());
        ForkedJvm.Exit over = cli(jdk, work, "check", merged.toString(), "--max-jvm-copied-bytes", "1");
        assertEquals(1, over.exit(), over.stdout() + over.stderr());
        long fleetJvmCopied = num(fleet.section("totals"), "jvmCopiedBytes");
        ForkedJvm.Exit within = cli(jdk, work, "check", merged.toString(), "--max-jvm-copied-bytes",
                String.valueOf(fleetJvmCopied));
        assertEquals(0, within.exit(), within.stdout() + within.stderr());
    }

    /** The merged record at {@code method}: calls and bytes summed, each JVM's share its own TRUTH. */
    private static void check(RecordingView fleet, List<Member> members, String operation, String method,
                              String callsKey, String bytesKey, boolean heapCopied) {
        Map<String, Object> record = fleet.one(operation, method);
        List<Map<String, Object>> shares = list(record, "jvms");
        assertEquals(members.size(), shares.size(), record.toString());
        long calls = 0, bytes = 0;
        for (Map<String, Object> share : shares) {
            Map<String, Long> truth = members.get((int) num(share, "jvm")).run().truth();
            long ownCalls = truth.get(callsKey); // the workload counts the read that saw EOF too
            assertEquals(ownCalls, num(share, "calls"), operation + " " + share);
            assertEquals((long) truth.get(bytesKey), num(share, "bytesMoved"), operation + " " + share);
            assertEquals(heapCopied ? truth.get(bytesKey) : 0L, num(share, "jvmCopiedBytes"), operation + " " + share);
            calls += ownCalls;
            bytes += truth.get(bytesKey);
        }
        assertEquals(calls, num(record, "calls"), operation);
        assertEquals(bytes, num(record, "bytesMoved"), operation);
        assertEquals(heapCopied ? bytes : 0, num(record, "jvmCopiedBytes"), operation);
        assertEquals(24 * MiB, bytes, operation + ": 4 + 12 + 8 MiB");
    }

    private static ForkedJvm.Exit cli(Jdk jdk, Path work, String... args) throws Exception {
        return ForkedJvm.of(jdk).in(work).named(args[0]).jar(AgentRun.agentJar(), args).run(120);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    private static String[] with(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + COST.length);
        System.arraycopy(COST, 0, all, args.length, COST.length);
        return all;
    }
}
