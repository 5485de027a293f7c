// SPDX-License-Identifier: Apache-2.0
package io.copytrace.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.CopyCpuText;
import io.copytrace.json.JsonReader;
import io.copytrace.json.JsonWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Copy time per class and per call site on real profiles from JDK 17 and 25. */
class CopyTimeAttributionTest {
    @Test
    void theHeapBufferLoopSpendsAClearlyLargerShareCopyingThanTransferTo() {
        for (String jdk : Profiles.JDKS) {
            // when
            CpuProfile heap = CopyTimeAttribution.attribute(Profiles.load("heap-send-" + jdk), Profiles.workloadSites(),
                    Profiles.perf());
            CpuProfile transfer = CopyTimeAttribution.attribute(Profiles.load("transfer-send-" + jdk),
                    Profiles.workloadSites(), Profiles.perf());
            // then
            double heapShare = heap.share(heap.copyTotal());
            double transferShare = transfer.share(transfer.copyTotal());
            assertTrue(heapShare > 1.5 * transferShare, jdk + ": heap " + heapShare + " vs transferTo " + transferShare);
            long sender = copy(heap, "heapRead") + copy(heap, "heapWrite");
            assertTrue(sender > 4 * copy(transfer, "sendWithTransferTo"), jdk + ": sender copies " + sender + " vs "
                    + copy(transfer, "sendWithTransferTo"));
            assertTrue(heap.forSite(1).orElseThrow().copySamples().get(CopyClass.JVM_COPY) > 0, jdk + " heapRead JVM copy");
            assertTrue(heap.run().kernelFrames());
            assertTrue(heap.topCopyFrames().stream().anyMatch(f -> f.frame().contains("arraycopy")), jdk + " arraycopy");
            assertTrue(heap.topCopyFrames().stream().anyMatch(f -> f.frame().startsWith("_copy_")), jdk + " _copy_*_iter");
            assertTrue(heap.unattributed() < heap.copyTotal() / 10, jdk + ": copies reach their call site");
        }
    }

    @Test
    void userFramesOnlySaysKernelTimeIsUnknownNotZero() {
        for (String jdk : Profiles.JDKS) {
            CpuProfile p = CopyTimeAttribution.attribute(Profiles.load("heap-send-itimer-" + jdk), Profiles.workloadSites(),
                    Profiles.itimer());
            assertFalse(p.known(CopyClass.KERNEL_COPY));
            assertFalse(p.copySamples().containsKey(CopyClass.KERNEL_COPY));
            Map<?, ?> json = p.toJson();
            Map<?, ?> classes = (Map<?, ?>) json.get("copySamples");
            assertTrue(classes.containsKey("kernelCopy"));
            assertNull(classes.get("kernelCopy"), "unknown is null, not 0");
            assertNull(classes.get("syscallOverhead"));
            assertTrue(((Number) classes.get("jvmCopy")).longValue() > 0);
            assertTrue(CopyCpuText.headline(p).contains("kernel share unknown"), CopyCpuText.headline(p));
        }
    }

    @Test
    void perfEventsWithoutAnyKernelFrameAreCorrectedToUnknown() {
        CpuProfile p = CopyTimeAttribution.attribute(Profiles.load("heap-send-itimer-jdk17"), Profiles.workloadSites(),
                Profiles.perf());
        // fewer samples than the evidence threshold: trust the engine
        assertEquals(p.totalSamples() >= CopyTimeAttribution.KERNEL_EVIDENCE_SAMPLES, !p.run().kernelFrames());
        CpuProfile big = CopyTimeAttribution.attribute(CollapsedStacks.parse("a.B.main_[j];a.B.c_[j] 500\n"), Map.of(),
                Profiles.perf());
        assertFalse(big.run().kernelFrames());
        assertTrue(big.run().warnings().get(0).contains("kernel"));
    }

    @Test
    void theSectionSurvivesTheRecordingRoundTrip() throws Exception {
        CpuProfile p = CopyTimeAttribution.attribute(Profiles.load("heap-send-jdk25"), Profiles.workloadSites(),
                Profiles.perf());
        CpuProfile back = CpuProfile.fromJson((Map<?, ?>) JsonReader.parse(JsonWriter.write(p.toJson())));
        assertEquals(p, back);
        assertEquals(CpuProfile.failed("cpu", "no perf"), CpuProfile.fromJson(CpuProfile.failed("cpu", "no perf").toJson()));
    }

    @Test
    void sitesInOneMethodShareItsTime() {
        Map<Long, String> sites = Map.of(1L, "a.B.c(B.java:10)", 2L, "a.B.c(B.java:12)", 3L, "a.B.d(B.java:20)");
        CpuProfile p = CopyTimeAttribution.attribute(CollapsedStacks.parse(
                "a.B.main_[0];a.B.c_[j];sun.nio.ch.IOUtil.write_[i];jlong_disjoint_arraycopy_avx3 7\n"
                        + "a.B.main_[0];a.B.d_[j];a.B.c_[i];read_[k];_copy_to_iter_[k] 3\n"
                        + "a.B.main_[0];x.Y.z_[j];_copy_to_iter_[k] 2\n"), sites, Profiles.perf());
        assertEquals(12, p.totalSamples());
        assertEquals(7, p.forSite(2).orElseThrow().copySamples().get(CopyClass.JVM_COPY));
        assertEquals(10, p.forSite(1).orElseThrow().copyTotal(), "the innermost site method takes the sample");
        assertTrue(p.forSite(3).isEmpty());
        assertEquals(2, p.unattributed());
        assertTrue(CopyCpuText.forSite(p, 1).orElseThrow().render().contains("shared by its 2 call sites"));
    }

    private static long copy(CpuProfile p, String method) {
        return p.methods().stream().filter(m -> m.method().equals(Profiles.WORKLOADS + method))
                .mapToLong(CpuProfile.MethodTime::copyTotal).sum();
    }
}
