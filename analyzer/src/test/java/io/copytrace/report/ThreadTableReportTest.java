// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.Analysis;
import io.copytrace.analysis.Fixtures;
import io.copytrace.analysis.Report;
import io.copytrace.json.JsonReader;
import io.copytrace.recording.KernelThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "kernel, per thread group" table: a real per-thread kernel section in every format, and its absence. */
class ThreadTableReportTest {
    private static final String RECORDING = "tiny-jdk17";

    @SuppressWarnings("unchecked")
    private static Map<String, Object> kernel() throws IOException {
        return (Map<String, Object>) JsonReader.parse(Files.readString(Path.of("src/test/resources/kernel/threads-proc-jdk17.json")));
    }

    private static Report report(Map<String, Object> kernel) {
        return Analysis.analyze(Fixtures.withKernel(RECORDING, kernel), Fixtures.COST);
    }

    @Test
    void everyFormatMatchesItsGolden() throws IOException {
        Report report = report(kernel());
        for (ReportFormatType type : ReportFormatType.values()) {
            Golden.check("tiny-threads-jdk17.report." + type.extension(), ReportFormatFactory.getInstance(type).render(report));
        }
    }

    @Test
    void textTableShowsGroupsTotalsAndTheEndedThreadsWithWhatIsLost() throws IOException {
        String text = ReportFormatFactory.getInstance(ReportFormatType.TEXT).render(report(kernel()));
        String table = text.substring(text.indexOf("Kernel, per thread group"), text.indexOf("Call sites by CPU-copied"));
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(1).contains("syscalls r/w") && lines.get(1).contains("storage r / w"), lines.get(1));
        assertEquals("  pool-#-thread-#          3     0 / 1,536       0 B / 6.0 MiB       0 B / 6.0 MiB       18        0",
                lines.get(2), "busiest group first: 3 threads, 1,536 writes of 4 KiB");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  copytrace-write*")), "copytrace's own group marked: " + table);
        assertTrue(lines.get(3).startsWith("  ender-#                  1       0 / 400"),
                "ender-1 ended after an interim reading: its 400 writes up to it stay in its group: " + lines.get(3));
        String ended = lines.stream().filter(l -> l.startsWith("  ended threads")).findFirst().orElseThrow();
        assertTrue(ended.contains("0 / 100") && ended.contains("400.0 KiB") && ended.contains("lost"),
                "its last 100 writes, after the reading: " + ended);
        String note = table.replaceAll("\\s+", " ");
        assertTrue(note.contains("minus the live threads and those last readings: ender-# ×1, and any thread born and "
                + "ended inside the window, which no snapshot saw; their"), table);
        assertTrue(note.contains("voluntary context switches and involuntary context switches are lost"), table);
        assertFalse(note.contains("did nothing"), "no idle group counted in this recording: " + table);
        for (String line : lines) assertTrue(line.length() <= TextFormat.WIDTH, "wider than the report: " + line);
    }

    @Test
    @SuppressWarnings("unchecked")
    void groupsThatDidNothingAreCountedUnderTheTable() throws IOException {
        Map<String, Object> kernel = new LinkedHashMap<>(kernel());
        Map<String, Object> threads = new LinkedHashMap<>((Map<String, Object>) kernel.get("threads"));
        threads.put("idleGroupsNotListed", 9L);
        kernel.put("threads", threads);
        String text = ReportFormatFactory.getInstance(ReportFormatType.TEXT).render(report(kernel));
        assertTrue(text.replaceAll("\\s+", " ").contains("9 groups did nothing in the window (every counter 0): not listed."),
                text);
        assertEquals(9, report(kernel).recording().kernel().orElseThrow().threadView().orElseThrow().idleGroups());
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonReportCarriesTheViewAndOlderRecordingsHaveNone() throws IOException {
        Map<String, Object> json = (Map<String, Object>) JsonReader.parse(
                ReportFormatFactory.getInstance(ReportFormatType.JSON).render(report(kernel())));
        Map<String, Object> threads = (Map<String, Object>) json.get("kernelThreads");
        assertEquals(25L, ((Number) threads.get("threadsAtStart")).longValue());
        Map<String, Object> ended = (Map<String, Object>) threads.get("endedThreads");
        assertEquals(100L, ((Number) ended.get("syscw")).longValue());
        assertEquals(1L, ((Number) threads.get("interimSnapshots")).longValue());
        assertEquals(-1L, ((Number) ended.get("voluntaryContextSwitches")).longValue());
        assertEquals(List.of("voluntaryContextSwitches", "nonvoluntaryContextSwitches"), ended.get("lost"));
        assertEquals(Map.of("ender-#", 1L), ended.get("groups"));
        List<Map<String, Object>> groups = (List<Map<String, Object>>) threads.get("groups");
        assertEquals("pool-#-thread-#", groups.get(0).get("group"));

        Map<String, Object> withoutThreads = new LinkedHashMap<>(kernel());
        withoutThreads.remove("threads");
        Report older = report(withoutThreads);
        assertTrue(older.recording().kernel().orElseThrow().threadView().isEmpty());
        assertNull(((Map<String, Object>) JsonReader.parse(ReportFormatFactory.getInstance(ReportFormatType.JSON)
                .render(older))).get("kernelThreads"));
        for (ReportFormatType type : ReportFormatType.values()) {
            assertFalse(ReportFormatFactory.getInstance(type).render(older).contains("per thread group"), type.name());
        }
    }

    @Test
    void oddThreadSectionsAreReadTolerantly() throws IOException {
        Map<String, Object> kernel = new LinkedHashMap<>(kernel());
        kernel.put("threads", "not an object");
        assertTrue(report(kernel).recording().kernel().orElseThrow().threadView().isEmpty());

        kernel.put("threads", Map.of("byGroup", List.of("not a row", Map.of("group", "x-#", "syscw", 5L)), "endedThreads", Map.of()));
        KernelThreads t = report(kernel).recording().kernel().orElseThrow().threadView().orElseThrow();
        assertEquals(1, t.groups().size());
        assertEquals(5, t.groups().get(0).get("syscw"));
        assertEquals(-1, t.groups().get(0).get("rchar"), "missing = unknown");
        assertEquals(-1, t.threadsAtStart());
        for (ReportFormatType type : ReportFormatType.values()) {
            assertTrue(ReportFormatFactory.getInstance(type).render(report(kernel)).contains("x-#"), type.name());
        }
    }
}
