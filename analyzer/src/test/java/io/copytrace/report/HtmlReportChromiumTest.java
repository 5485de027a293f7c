// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.Fixtures;
import io.copytrace.analysis.Report;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Opens the HTML report in real headless Chromium: it must render, run its script without errors and
 * show the findings. Keeps target/report-screenshot.png (and target/report.html) for a human look.
 */
class HtmlReportChromiumTest {
    static final Path TARGET = Path.of("target");

    @Test
    void rendersInChromiumWithoutErrors() throws Exception {
        String chromium = findChromium();
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install -y chromium): skipped");
        // given
        Report report = io.copytrace.analysis.Analysis.analyze(Fixtures.load("mixed-kernel-jdk17"), Fixtures.COST);
        Path html = TARGET.resolve("report.html").toAbsolutePath();
        Files.writeString(html, ReportFormatFactory.getInstance(ReportFormatType.HTML).render(report), StandardCharsets.UTF_8);
        Path screenshot = TARGET.resolve("report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        // when
        String dom = chromium(chromium, "--dump-dom", html);
        chromium(chromium, "--screenshot=" + screenshot, html);
        // then
        assertTrue(dom.contains("data-rendered=\"yes\""), "the page script did not finish");
        Matcher errors = Pattern.compile("<pre id=\"js-errors\"([^>]*)>([^<]*)</pre>").matcher(dom);
        assertTrue(errors.find(), "no error box in the DOM");
        assertTrue(errors.group(1).contains("hidden") && errors.group(2).isEmpty(), "script errors: " + errors.group(2));
        Matcher findings = Pattern.compile("data-findings=\"(\\d+)\"").matcher(dom);
        assertTrue(findings.find());
        assertEquals(report.findings().size(), Integer.parseInt(findings.group(1)));
        assertTrue(dom.contains(report.findings().get(0).title().replace("→", "→")));
        assertTrue(dom.contains("<svg"), "no chart");
        assertTrue(Files.size(screenshot) > 10_000, "screenshot missing or blank");
    }

    private static String chromium(String binary, String action, Path html) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("copytrace-chromium");
        List<String> cmd = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1400,2000", action,
                html.toUri().toString()));
        Path out = Files.createTempFile("chromium", ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish within 60 s: " + cmd);
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            deleteTree(profile);
        }
    }

    private static String findChromium() {
        for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
                File f = new File(dir, name);
                if (f.canExecute()) return f.getPath();
            }
        }
        return null;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
