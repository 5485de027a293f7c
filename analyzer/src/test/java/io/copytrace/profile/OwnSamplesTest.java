// SPDX-License-Identifier: Apache-2.0
package io.copytrace.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.CopyCpuText;
import io.copytrace.json.JsonReader;
import io.copytrace.json.JsonWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which of a window's CPU samples were copytrace's own: its probe on application threads, and its own threads. */
class OwnSamplesTest {
    private static final String STACKS = String.join("\n",
            // an application thread in its hooked write, and in the probe recording it (kernel frames included)
            "java.lang.Thread.run_[j];com.example.Server.serve_[j];sun.nio.ch.FileChannelImpl.write_[j];"
                    + "sun.nio.ch.IOUtil.write_[i];write_[k] 70",
            "java.lang.Thread.run_[j];com.example.Server.serve_[j];sun.nio.ch.FileChannelImpl.write_[j];"
                    + "io.copytrace.boot.Probe.enterBuffer_[i];io.copytrace.boot.StateSlots.find_[i] 5",
            "java.lang.Thread.run_[j];com.example.Server.serve_[j];sun.nio.ch.FileChannelImpl.write_[j];"
                    + "io.copytrace.boot.Probe.exit_[j];getrusage_[k] 2",
            // copytrace's own threads: a checkpoint reading /proc, the warm-up, JNA under the agent
            "java.lang.Thread.run_[j];io.copytrace.agent.Recording.lambda$open$1_[j];"
                    + "io.copytrace.kernel.proc.ThreadSnapshot.read_[0];read_[k] 3",
            "java.lang.Thread.run_[j];io.copytrace.agent.Recording.warmWriter_[0];com.sun.jna.Native.invoke_[j] 1",
            // copytrace's sample applications and test workloads are applications, not the agent
            "io.copytrace.samples.Sample01.main_[j];java.io.FileOutputStream.write_[j] 11",
            "io.copytrace.bench.BenchWorkload.main_[j];io.copytrace.bench.BenchWorkload.fileWrites4k_[j] 13",
            "java.lang.Thread.run_[j];io.copytrace.agent.workloads.Workloads.send_[j] 17",
            // the JVM's own threads: no Java frame
            "G1 Young RemSet Sampling;SpinPause 19");

    @Test
    void probeSamplesAreApplicationStacksThroughTheAgentAndThreadSamplesTheAgentsOwnThreads() {
        OwnSamples own = OwnSamples.count(CollapsedStacks.parse(STACKS));
        assertEquals(7, own.probe());
        assertEquals(4, own.agentThreads());
        assertEquals(11, own.total());
    }

    @Test
    void theReportStatesItAndReadsItBack() throws Exception {
        CpuProfile p = CopyTimeAttribution.attribute(CollapsedStacks.parse(STACKS), Map.of(), Profiles.perf());
        Map<?, ?> json = (Map<?, ?>) JsonReader.parse(JsonWriter.write(p.toJson()));
        Map<?, ?> written = (Map<?, ?>) json.get("ownSamples");
        assertEquals(7L, written.get("probe"));
        assertEquals(4L, written.get("agentThreads"));
        assertEquals(p.nanos(11), ((Number) written.get("cpuNanos")).longValue());
        assertEquals(0.078, ((Number) written.get("share")).doubleValue(), 1e-9, "11 of 141 samples");
        assertEquals(p.own(), CpuProfile.fromJson(json).own());
        String text = CopyCpuText.ownCost(p);
        assertTrue(text.contains("(7.8% of the samples): 5.0% in its probe") && text.contains("2.8% on its own threads"),
                text);
    }

    @Test
    void aReportFromBeforeItWasMeasuredSaysNothing() throws Exception {
        CpuProfile p = CopyTimeAttribution.attribute(CollapsedStacks.parse(STACKS), Map.of(), Profiles.perf());
        Map<String, Object> json = new java.util.LinkedHashMap<>(p.toJson());
        json.remove("ownSamples");
        CpuProfile old = CpuProfile.fromJson(json);
        assertNull(old.own());
        assertNull(CopyCpuText.ownCost(old));
    }
}
