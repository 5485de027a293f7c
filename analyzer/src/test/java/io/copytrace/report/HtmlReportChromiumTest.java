// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.Finding;
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
 * show the findings. Keeps target/report-screenshot.png (and target/report.html) for a human look, and
 * target/report-paths-screenshot.png (target/report-paths.html): a relay's path now and after, drawn.
 */
class HtmlReportChromiumTest {
    static final Path TARGET = Path.of("target");
    /** Added to a copy of the page: writes the rendered size of every path SVG into the DOM Chromium dumps. */
    static final String SIZE_PROBE = "<script>(function () { var sizes = [];"
            + " document.querySelectorAll('svg.paths').forEach(function (svg) { var r = svg.getBoundingClientRect();"
            + " sizes.push(Math.round(r.width) + 'x' + Math.round(r.height)); });"
            + " document.body.setAttribute('data-path-svgs', sizes.join(' ')); })();</script>";

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
        Run run = chromium(chromium, "--dump-dom", html);
        String dom = run.out();
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
        assertEquals(List.of(), run.console(), "console messages while rendering");
        assertTrue(Files.size(screenshot) > 10_000, "screenshot missing or blank");
    }

    @Test
    void drawsARelaysPathNowAndAfterWithoutConsoleErrors() throws Exception {
        String chromium = findChromium();
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install -y chromium): skipped");
        // given: a Netty ChunkedFile relay (file -> heap ByteBuf -> Netty's direct copy -> socket), finding #1
        Report report = io.copytrace.analysis.Analysis.analyze(Fixtures.load("netty-chunkedfile-jdk17"), Fixtures.COST);
        Finding relay = report.findings().get(0);
        assertEquals("relay", relay.rule());
        assertEquals(2, relay.paths().size());
        String page = ReportFormatFactory.getInstance(ReportFormatType.HTML).render(report);
        Path html = TARGET.resolve("report-paths.html").toAbsolutePath();
        Files.writeString(html, page, StandardCharsets.UTF_8);
        Path probe = TARGET.resolve("report-paths-probe.html").toAbsolutePath();
        Files.writeString(probe, page.replace("</body>", SIZE_PROBE + "</body>"), StandardCharsets.UTF_8);
        Path screenshot = TARGET.resolve("report-paths-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        // when
        Run dom = chromium(chromium, "--dump-dom", probe);
        Run shot = chromium(chromium, "--screenshot=" + screenshot, html);
        // then: rendered, no script error, nothing on the console (SVG attribute errors land there too)
        assertTrue(dom.out().contains("data-rendered=\"yes\""), "the page script did not finish");
        Matcher errors = Pattern.compile("<pre id=\"js-errors\"([^>]*)>([^<]*)</pre>").matcher(dom.out());
        assertTrue(errors.find() && errors.group(1).contains("hidden") && errors.group(2).isEmpty(), "script errors");
        assertEquals(List.of(), dom.console(), "console messages while rendering");
        assertEquals(List.of(), shot.console(), "console messages while rendering");
        // both pictures drawn, with a size
        Matcher sizes = Pattern.compile("data-path-svgs=\"([^\"]*)\"").matcher(dom.out());
        assertTrue(sizes.find(), "the size probe did not run");
        String[] svgs = sizes.group(1).split(" ");
        assertEquals(2, svgs.length, sizes.group(1));
        for (String size : svgs) {
            String[] wh = size.split("x");
            assertTrue(Integer.parseInt(wh[0]) > 300 && Integer.parseInt(wh[1]) > 300, "path SVG of size " + size);
        }
        assertTrue(dom.out().contains("after: DefaultFileRegion = sendfile"), "the after picture's label");
        assertTrue(dom.out().contains("16.0 MiB · 1 CPU copy in the framework"), "Netty's copy on its arrow");
        assertTrue(Files.size(screenshot) > 10_000, "screenshot missing or blank");
    }

    /** What Chromium printed: the dumped DOM (or nothing), and the page's console messages from its log. */
    record Run(String out, List<String> console) {}

    private static Run chromium(String binary, String action, Path html) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("copytrace-chromium");
        List<String> cmd = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1400,2000",
                "--enable-logging=stderr", "--v=0", action, html.toUri().toString()));
        Path out = Files.createTempFile("chromium", ".out");
        Path err = Files.createTempFile("chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish within 60 s: " + cmd);
            }
            List<String> console = new ArrayList<>();
            for (String line : Files.readAllLines(err, StandardCharsets.UTF_8)) {
                if (line.contains(":CONSOLE")) console.add(line);
            }
            return new Run(Files.readString(out, StandardCharsets.UTF_8), console);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
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
