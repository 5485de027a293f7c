// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code profile=cpu}: the CPU time of copies, per kind and call site, on the real jar in forked JVMs; and
 * {@code profile=off} loads nothing of async-profiler.
 */
@SuppressWarnings("unchecked")
class ProfileIT {
    private static final String WORKLOADS = "io.copytrace.agent.workloads.ProfileWorkloads.";

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void theHeapBufferLoopSpendsAClearlyLargerShareOfCpuCopyingThanTransferTo(Jdk jdk) throws Exception {
        // when: the same 1 GiB goes from a file to a socket through a heap buffer, then with transferTo
        AgentRun.Result heapRun = AgentRun.on(jdk).agent("profile=cpu,kernel=off,report=json,text").run("profile-heap-send");
        AgentRun.Result transferRun = AgentRun.on(jdk).agent("profile=cpu,kernel=off").run("profile-transfer-send");

        // then
        assertEquals(0, heapRun.exit(), heapRun.stderr());
        assertEquals(0, transferRun.exit(), transferRun.stderr());
        assertEquals("", heapRun.stderr(), "profiling prints nothing on the application's stderr");
        // the recording holds the samples; what they mean (copy or not, which site) is the analyzer's
        assertTrue(heapRun.recording().section("profile").get("stacks") instanceof List<?>, "samples recorded");
        Map<String, Object> heap = heapRun.recording().analyzedProfile();
        Map<String, Object> transfer = transferRun.recording().analyzedProfile();
        Assumptions.assumeTrue("perf_events".equals(heap.get("engine")),
                "perf events are refused here (not root, perf_event_paranoid > 1): " + heap);
        assertEquals(true, heap.get("kernelFrames"));
        double heapShare = ((Number) heap.get("copyShare")).doubleValue();
        double transferShare = ((Number) transfer.get("copyShare")).doubleValue();
        System.out.printf("%s: copy share of CPU: heap buffer %.3f (%d samples), transferTo %.3f (%d samples)%n", jdk,
                heapShare, num(heap, "totalSamples"), transferShare, num(transfer, "totalSamples"));
        assertTrue(num(heap, "totalSamples") > 300, "enough samples: " + heap.get("totalSamples"));
        assertTrue(heapShare > 2 * transferShare, jdk + ": heap " + heapShare + " vs transferTo " + transferShare);
        Map<String, Object> classes = (Map<String, Object>) heap.get("copySamples");
        assertTrue(num(classes, "kernelCopy") > 0 && num(classes, "jvmCopy") > 0, "classified: " + classes);
        List<String> frames = ((List<Map<String, Object>>) heap.get("topCopyFrames")).stream()
                .map(f -> (String) f.get("frame")).toList();
        assertTrue(frames.stream().anyMatch(f -> f.contains("arraycopy")), "a JVM arraycopy stub: " + frames);
        assertTrue(frames.stream().anyMatch(f -> f.startsWith("_copy_to_iter") || f.startsWith("copy_page_to_iter")),
                "the kernel's read copy: " + frames);
        // per call site: the read and write sites of the loop carry the copy time; transferTo's site little
        long loop = copyAt(heap, "heapRead") + copyAt(heap, "heapWrite");
        assertTrue(loop > 4 * copyAt(transfer, "sendWithTransferTo"), loop + " vs " + copyAt(transfer, "sendWithTransferTo"));
        // the flame graph lies next to the recording and opens with the copy frames highlighted
        Path flame = heapRun.work().resolve("rec").resolve((String) heap.get("flameGraph"));
        String html = Files.readString(flame);
        assertTrue(html.contains("copytrace: highlight the copy frames"), "search patched in");
        // and the reports give each finding its copy CPU time
        String text = Files.readString(single(heapRun, ".report.txt"));
        assertTrue(text.contains("CPU profile:") && text.contains("copy CPU time:"), text);
        String json = Files.readString(single(heapRun, ".report.json"));
        assertTrue(json.contains("\"copyCpu\""), "json report has copyCpu per finding");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    @SuppressWarnings("unchecked")
    void theProfileMeasuresCopytracesOwnCostItsProbeAndItsThreads(Jdk jdk) throws Exception {
        // when: 64 MiB through an 8 KiB heap buffer, sampled every millisecond
        AgentRun.Result run = AgentRun.on(jdk).agent("profile=cpu,profile-interval=1ms,report=text").run("heap-loop");

        // then: the probe's samples (application threads inside copytrace) and the agent threads' are counted
        assertEquals(0, run.exit(), run.stderr());
        Map<String, Object> profile = run.recording().analyzedProfile();
        Assumptions.assumeTrue("perf_events".equals(profile.get("engine")), "perf events are refused here: " + profile);
        Map<String, Object> own = (Map<String, Object>) profile.get("ownSamples");
        System.out.println(jdk + ": copytrace's own samples " + own + " of " + profile.get("totalSamples"));
        assertTrue(num(own, "probe") > 0, "the probe ran on the application's calls: " + own);
        assertTrue(num(own, "probe") + num(own, "agentThreads") < num(profile, "totalSamples"), own.toString());
        String text = Files.readString(single(run, ".report.txt")).replaceAll("\\s+", " ");
        assertTrue(text.contains("copytrace's own code took") && text.contains("in its probe on the application's calls"),
                text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void profilingOffLoadsNothingOfAsyncProfiler(Jdk jdk) throws Exception {
        // when: the default (profile=off), then profile=cpu as the control
        AgentRun offRun = AgentRun.on(jdk).agent("kernel=off");
        offRun.jvm("-Xlog:class+load=info:file=" + offRun.work().resolve("classes.log"));
        AgentRun.Result off = offRun.run("profile-check");
        AgentRun onRun = AgentRun.on(jdk).agent("kernel=off,profile=cpu");
        onRun.jvm("-Xlog:class+load=info:file=" + onRun.work().resolve("classes.log"));
        AgentRun.Result on = onRun.run("profile-check");

        // then: off maps no library, loads no one.profiler class, writes no profile section nor flame graph
        assertEquals(0, off.exit(), off.stderr());
        assertEquals(0L, off.truth().get("asyncProfilerMapped"));
        String offClasses = Files.readString(offRun.work().resolve("classes.log"));
        assertTrue(offClasses.contains("io.copytrace.agent.Recording"), "the class log works");
        assertFalse(offClasses.contains("one.profiler"), "no async-profiler class with profile=off");
        assertFalse(offClasses.contains("io.copytrace.agent.profile."), "no profiling class with profile=off");
        assertNull(off.recording().section("profile"));
        try (var files = Files.list(offRun.work().resolve("rec"))) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".flame.html")));
        }
        assertEquals(0, on.exit(), on.stderr());
        assertEquals(1L, on.truth().get("asyncProfilerMapped"));
        assertTrue(Files.readString(onRun.work().resolve("classes.log")).contains("one.profiler.AsyncProfiler"));
        assertTrue(on.recording().section("profile").containsKey("engine"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void userFramesOnlySayTheKernelShareIsUnknown(Jdk jdk) throws Exception {
        // when
        AgentRun.Result run = AgentRun.on(jdk).agent("profile=itimer,kernel=off,report=text").run("profile-heap-send");

        // then
        assertEquals(0, run.exit(), run.stderr());
        Map<String, Object> p = run.recording().analyzedProfile();
        assertEquals("itimer", p.get("engine"));
        assertEquals(false, p.get("kernelFrames"));
        Map<String, Object> classes = (Map<String, Object>) p.get("copySamples");
        assertTrue(classes.containsKey("kernelCopy") && classes.get("kernelCopy") == null, "unknown, not 0: " + classes);
        assertTrue(num(classes, "jvmCopy") > 0, "user-space copies are still seen: " + classes);
        String report = Files.readString(single(run, ".report.txt"));
        assertTrue(report.contains("kernel share unknown"));
        // written in the app's JVM: its host costs opened no socket or file there, and the report says so
        assertTrue(report.replaceAll("\\s+", " ").contains("in the app's JVM: copies of memory in no CPU cache, socket"
                + " sends, page faults, kernel file copies, thread hand-offs and memory between cores at typical figures"
                + " (no socket, file, thread or large array is made in the app)"), report);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void aProfilerThatCannotStartCostsOneLineAndNothingElse(Jdk jdk) throws Exception {
        // when: the library cannot be extracted (no temporary directory)
        AgentRun.Result run = AgentRun.on(jdk).agent("profile=cpu,kernel=off").jvm("-Djava.io.tmpdir=/nonexistent/tmp")
                .run("profile-check");

        // then: the application ran, the recording says why, stderr has one line
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(65536L, run.truth().get("bytes"));
        Map<String, Object> p = run.recording().section("profile");
        assertTrue(String.valueOf(p.get("error")).contains("nonexistent"), String.valueOf(p));
        List<String> ours = run.stderr().lines().filter(l -> l.startsWith("copytrace")).toList();
        assertEquals(1, ours.size(), run.stderr());
        assertTrue(ours.get(0).startsWith("copytrace: CPU profiling is off for this run:"), run.stderr());
    }

    private static long copyAt(Map<String, Object> profile, String method) {
        long n = 0;
        for (Map<String, Object> m : (List<Map<String, Object>>) profile.get("sites")) {
            if ((WORKLOADS + method).equals(m.get("method"))) n += num(m, "copySamples");
        }
        return n;
    }

    private static Path single(AgentRun.Result run, String suffix) throws Exception {
        try (var files = Files.list(run.work().resolve("rec"))) {
            return files.filter(f -> f.toString().endsWith(suffix)).findFirst().orElseThrow();
        }
    }
}
