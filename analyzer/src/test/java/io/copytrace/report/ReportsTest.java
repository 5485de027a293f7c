// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.Fixtures;
import io.copytrace.json.JsonReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
    @TempDir
    Path tmp;

    @Test
    void writesEveryRequestedFormatNextToEachOther() throws Exception {
        // when
        List<Path> files = Reports.write(Fixtures.path("heap-jdk17"), "html,md,json", tmp.resolve("out"));
        // then
        assertEquals(List.of("heap-jdk17.report.html", "heap-jdk17.report.md", "heap-jdk17.report.json"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        for (Path f : files) assertTrue(Files.size(f) > 1000, f.toString());
        Map<?, ?> json = (Map<?, ?>) JsonReader.parse(Files.readString(files.get(2)));
        assertEquals("copytrace-report", json.get("format"));
        assertTrue(((Map<?, ?>) json.get("hostCost")).get("measured").equals(Boolean.TRUE));
    }

    @Test
    void jsonFindingsGiveTheirAdviceAndFixByIndexIntoTexts() {
        // given: findings that share advice and fix texts (mixed-kernel has several heap-buffer findings)
        io.copytrace.analysis.Report report = Fixtures.analyze("mixed-kernel-jdk17");
        // when
        Map<?, ?> json = (Map<?, ?>) JsonReader.parse(ReportFormatFactory.getInstance(ReportFormatType.JSON).render(report));
        // then: each finding's index leads back to its own texts, and each text is written once
        List<?> texts = (List<?>) json.get("texts");
        List<?> findings = (List<?>) json.get("findings");
        assertEquals(report.findings().size(), findings.size());
        for (int i = 0; i < findings.size(); i++) {
            Map<?, ?> f = (Map<?, ?>) findings.get(i);
            io.copytrace.analysis.Finding expected = report.findings().get(i);
            assertEquals(expected.advice(), texts.get(((Long) f.get("advice")).intValue()));
            if (expected.fix().isEmpty()) {
                assertEquals(null, f.get("fix"));
            } else {
                assertEquals(expected.fix(), texts.get(((Long) f.get("fix")).intValue()));
            }
        }
        assertEquals(texts.size(), new java.util.HashSet<>(texts).size(), "no text twice");
        assertTrue(texts.size() < 2 * findings.size(), "some texts are shared");
    }

    @Test
    void unknownFormatsAreRefused() {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> Reports.parseFormats("html,pdf"));
        assertTrue(x.getMessage().contains("'pdf'"));
    }

    @Test
    void htmlIsSelfContained() {
        String html = ReportFormatFactory.getInstance(ReportFormatType.HTML).render(Fixtures.analyze("mixed-kernel-jdk17"));
        assertTrue(!html.contains("<!--@"), "unfilled marker");
        assertTrue(!html.contains("http://") || html.replace("http://www.w3.org/2000/svg", "").indexOf("http://") < 0);
        assertTrue(!html.contains("https://") && !html.contains("src=\""), "no network resources");
    }
}
