// SPDX-License-Identifier: Apache-2.0
package io.copytrace.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.Analysis;
import io.copytrace.analysis.Finding;
import io.copytrace.analysis.Fixtures;
import io.copytrace.analysis.Report;
import io.copytrace.json.JsonReader;
import io.copytrace.json.JsonWriter;
import io.copytrace.recording.Recording;
import io.copytrace.report.ReportFormatFactory;
import io.copytrace.report.ReportFormatType;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A recording with a profile section: every report format shows the copy CPU time, per finding too. */
class CopyCpuReportTest {
    @Test
    void everyFormatShowsTheCopyCpuTimeOfEachFinding() throws Exception {
        // when
        Report report = analyze(Profiles.perf(), "heap-send-jdk17");
        // then
        Finding top = report.findings().get(0);
        assertTrue(top.evidence().get("copy CPU time").contains("kernel copy"), top.evidence().toString());
        String text = render(report, ReportFormatType.TEXT);
        assertTrue(text.contains("CPU profile:") && text.contains("_copy_to_iter") && text.contains("Flame graph: recording-1.flame.html"), text);
        assertTrue(render(report, ReportFormatType.MARKDOWN).contains("## CPU spent copying"));
        String html = render(report, ReportFormatType.HTML);
        assertTrue(html.contains("id=\"cpu-profile\"") && html.contains("href=\"recording-1.flame.html\""));
        Map<?, ?> json = (Map<?, ?>) JsonReader.parse(render(report, ReportFormatType.JSON));
        Map<?, ?> copyCpu = (Map<?, ?>) ((Map<?, ?>) ((List<?>) json.get("findings")).get(0)).get("copyCpu");
        assertTrue(((Number) copyCpu.get("copyNanos")).longValue() > 0, String.valueOf(copyCpu));
        assertEquals(true, copyCpu.get("kernelKnown"));
        // the evidence line holds the same figures as numbers
        Map<?, ?> line = ((List<?>) ((Map<?, ?>) ((List<?>) json.get("findings")).get(0)).get("evidence")).stream()
                .map(l -> (Map<?, ?>) l).filter(l -> "copyCpuTime".equals(l.get("name"))).findFirst().orElseThrow();
        assertEquals(copyCpu.get("copyNanos"), line.get("copyNanos"));
        assertEquals(copyCpu.get("method"), line.get("method"));
        assertEquals(true, line.get("kernelKnown"));
        assertEquals("perf_events", ((Map<?, ?>) json.get("profile")).get("engine"));
    }

    @Test
    void withoutKernelFramesTheReportsSayUnknown() throws Exception {
        Report report = analyze(Profiles.itimer(), "heap-send-itimer-jdk17");
        String text = render(report, ReportFormatType.TEXT);
        assertTrue(text.contains("kernel share unknown") && text.contains("kernel copy unknown"), text);
        assertTrue(report.findings().get(0).evidence().get("copy CPU time").contains("kernel copy time unknown"));
        Map<?, ?> json = (Map<?, ?>) JsonReader.parse(render(report, ReportFormatType.JSON));
        Map<?, ?> copyCpu = (Map<?, ?>) ((Map<?, ?>) ((List<?>) json.get("findings")).get(0)).get("copyCpu");
        Map<?, ?> byClass = (Map<?, ?>) copyCpu.get("nanosByClass");
        assertTrue(byClass.containsKey("kernelCopy") && byClass.get("kernelCopy") == null);
    }

    @Test
    void aFailedProfileIsOneLineAndNoFindingEvidence() throws Exception {
        Map<String, Object> tree = recordingTree();
        tree.put("profile", CpuProfile.failed("cpu", "async-profiler is already loaded in this JVM").toJson());
        Report report = Analysis.analyze(Recording.parse(JsonWriter.write(tree), "r.json"), Fixtures.COST);
        assertTrue(render(report, ReportFormatType.TEXT).contains("CPU profile (profile=cpu) failed: async-profiler"));
        assertFalse(report.findings().get(0).evidence().containsKey("copy CPU time"));
    }

    /** The heap-loop fixture recording with a profile whose copy methods map to its first two sites. */
    private static Report analyze(CpuProfile.Run run, String profile) throws Exception {
        Map<String, Object> tree = recordingTree();
        List<?> sites = (List<?>) tree.get("sites");
        Map<Long, String> frames = new LinkedHashMap<>();
        frames.put(((Number) ((Map<?, ?>) sites.get(0)).get("id")).longValue(), Profiles.WORKLOADS + "heapRead(P.java:1)");
        frames.put(((Number) ((Map<?, ?>) sites.get(1)).get("id")).longValue(), Profiles.WORKLOADS + "heapWrite(P.java:2)");
        tree.put("profile", CopyTimeAttribution.attribute(Profiles.load(profile), frames, run).toJson());
        return Analysis.analyze(Recording.parse(JsonWriter.write(tree), "r.json"), Fixtures.COST);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> recordingTree() throws Exception {
        return (Map<String, Object>) JsonReader.parse(Files.readString(Fixtures.path("heap-jdk17")));
    }

    private static String render(Report report, ReportFormatType type) {
        return ReportFormatFactory.getInstance(type).render(report);
    }
}
