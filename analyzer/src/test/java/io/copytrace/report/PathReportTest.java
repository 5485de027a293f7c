// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.CopyPath;
import io.copytrace.analysis.Finding;
import io.copytrace.analysis.Fixtures;
import io.copytrace.analysis.Report;
import io.copytrace.json.JsonReader;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The findings' path pictures in each format: SVG in HTML, data in JSON, one line each in text and Markdown. */
class PathReportTest {
    static final String RELAY = "netty-chunkedfile-jdk17";

    static String render(ReportFormatType type, Report report) {
        return ReportFormatFactory.getInstance(type).render(report);
    }

    @Test
    void htmlDrawsEachPictureAsAnSvgOfBoxesAndArrows() {
        // given
        Report report = Fixtures.analyze(RELAY);
        Finding relay = report.findings().get(0);
        // when
        String html = render(ReportFormatType.HTML, report);
        // then: one figure, now and after side by side, labelled, with the legend once above the findings
        assertEquals(1, count(html, "<figure class=\"paths\">"));
        assertEquals(2, count(html, "<svg class=\"paths\""));
        assertEquals(1, count(html, "class=\"legend paths-legend\""));
        String figure = html.substring(html.indexOf("<figure class=\"paths\">"), html.indexOf("</figure>"));
        // stations as boxes, arrows coloured by who moves the bytes, each labelled with bytes and copies
        assertEquals(7 + 4, count(figure, "<rect "));
        assertEquals(2 + 1, count(figure, "<g class=\"a kernel\">"));
        assertEquals(1, count(figure, "<g class=\"a jvm\">"));
        assertEquals(1, count(figure, "<g class=\"a framework\">"));
        assertEquals(4, count(figure, "<g class=\"a dma\">"));
        assertTrue(figure.contains(">16.0 MiB · 1 CPU copy in the framework</text>"), figure);
        assertTrue(figure.contains(">16.0 MiB · DMA, no CPU copy</text>"), figure);
        assertTrue(figure.contains(">4 CPU copies per byte · 64.0 MiB copied by the CPU</text>"), figure);
        assertTrue(figure.contains(">4,096 syscalls · 2 syscalls, 4 mode switches per chunk</text>"), figure);
        assertTrue(figure.contains(">after: DefaultFileRegion = sendfile</text>"), figure);
        // each SVG says its path in words for a screen reader
        assertTrue(figure.contains("aria-label=\"" + HtmlFormat.esc(relay.paths().get(0).line()) + "\""), figure);
        // the figure comes before the evidence, inside the finding
        assertTrue(html.indexOf("<figure class=\"paths\">") < html.indexOf("<table class=\"evidence\">"));
        assertFalse(figure.contains("href") || figure.contains("src=") || figure.contains("<script"), "self-contained");
    }

    @Test
    void stationsBothPicturesPassShareARow() {
        // now: disk, page cache, JNI, heap, direct, socket buffer, NIC; after: disk, page cache, socket buffer, NIC
        int[][] rows = PathSvg.align(List.of("disk", "page cache", "native", "heap", "direct", "socket buffer", "NIC"),
                List.of("disk", "page cache", "socket buffer", "NIC"));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, rows[0]);
        assertArrayEquals(new int[] {0, 1, 5, 6}, rows[1]);
        assertEquals(7, rows[2][0]);
        // the fix's own stations take the rows of the ones it replaces, from the top
        rows = PathSvg.align(List.of("heap", "temporary direct buffer", "page cache", "disk"),
                List.of("direct", "page cache", "disk"));
        assertArrayEquals(new int[] {0, 1, 2, 3}, rows[0]);
        assertArrayEquals(new int[] {0, 2, 3}, rows[1]);
        // nothing in common: side by side from the top
        rows = PathSvg.align(List.of("a", "b"), List.of("c", "d", "e"));
        assertArrayEquals(new int[] {0, 1}, rows[0]);
        assertArrayEquals(new int[] {0, 1, 2}, rows[1]);
        assertEquals(3, rows[2][0]);
    }

    @Test
    void everyTextInTheSvgIsEscaped() {
        CopyPath p = new CopyPath("now <b>&", 1024, List.of(new CopyPath.Station("user memory <script>", CopyPath.Space.USER),
                new CopyPath.Station("a \"quoted\" & 'odd' station", CopyPath.Space.KERNEL)),
                List.of(new CopyPath.Arrow(CopyPath.Mover.KERNEL, 1024, 1, "write <x> & y")), 1, 1, 2, "note </svg>");
        String figure = PathSvg.figure(List.of(p));
        assertFalse(figure.contains("<script>") || figure.contains("<b>") || figure.contains("<x>")
                || figure.contains("note </svg>"), figure);
        assertTrue(figure.contains("user memory &lt;script&gt;"), figure);
        assertTrue(figure.contains("a &quot;quoted&quot; &amp; &#39;odd&#39; station"), figure);
        assertTrue(figure.contains("write &lt;x&gt; &amp; y"), figure);
        assertEquals(1, count(figure, "<svg "));
    }

    @Test
    void htmlHasNoFigureWithoutPictures() {
        // given: only tiny writes (a small-io finding: calls, not copies)
        Report report = new Fixtures.Builder(17).site(1, "com.acme.Chat.say(Chat.java:20)")
                .record(1, "socket.write", "syscall", "direct", "memory", "socket", 10_000, 160_000, 0).analyze();
        assertEquals(1, report.findings().size());
        String html = render(ReportFormatType.HTML, report);
        assertFalse(html.contains("<figure class=\"paths\">"));
        assertFalse(html.contains("paths-legend\">"));
    }

    @Test
    void jsonGivesEachFindingItsPicturesByIndexWithTheirBytes() {
        // given
        Report report = Fixtures.analyze("mixed-kernel-jdk17");
        // when
        Map<?, ?> json = (Map<?, ?>) JsonReader.parse(render(ReportFormatType.JSON, report));
        // then: every finding has "paths"; each names a picture shape of the report's "pictures" and its own bytes
        List<?> pictures = (List<?>) json.get("pictures");
        List<?> findings = (List<?>) json.get("findings");
        int used = 0;
        for (int i = 0; i < findings.size(); i++) {
            List<?> paths = (List<?>) ((Map<?, ?>) findings.get(i)).get("paths");
            List<CopyPath> expected = report.findings().get(i).paths();
            assertEquals(expected.size(), paths.size());
            for (int k = 0; k < paths.size(); k++) {
                Map<?, ?> p = (Map<?, ?>) paths.get(k);
                CopyPath e = expected.get(k);
                Map<?, ?> shape = (Map<?, ?>) pictures.get(((Long) p.get("picture")).intValue());
                assertEquals(e.label(), shape.get("label"));
                assertEquals(e.stations().stream().map(CopyPath.Station::name).toList(), shape.get("stations"));
                assertEquals(e.stations().stream().map(s -> s.space().wireName()).toList(), shape.get("spaces"));
                List<?> arrows = (List<?>) shape.get("arrows");
                List<?> arrowBytes = (List<?>) p.get("arrowBytes");
                long copied = 0;
                for (int a = 0; a < arrows.size(); a++) {
                    Map<?, ?> arrow = (Map<?, ?>) arrows.get(a);
                    assertEquals(e.arrows().get(a).mover().wireName(), arrow.get("mover"));
                    assertEquals((long) e.arrows().get(a).cpuCopies(), arrow.get("cpuCopies"));
                    copied += (Long) arrowBytes.get(a) * (Long) arrow.get("cpuCopies");
                }
                assertEquals(e.bytes(), p.get("bytes"));
                assertEquals(e.cpuCopiedBytes(), copied, "the totals follow from the data");
                assertEquals(e.syscalls() < 0 ? null : e.syscalls(), p.get("syscalls"));
                used++;
            }
        }
        assertTrue(used > pictures.size(), "shapes are shared: " + used + " pictures, " + pictures.size() + " shapes");
    }

    @Test
    void textAndMarkdownWriteOneLinePerPicture() {
        Report report = Fixtures.analyze(RELAY);
        String now = report.findings().get(0).paths().get(0).line();
        assertTrue(now.startsWith("now: disk →DMA→ page cache →CPU→ native buffer (JNI) →CPU(JVM)→ user memory (byte[], "
                + "Netty heap ByteBuf) →CPU(framework)→ user memory (direct, Netty pooled) →CPU→ socket buffer →DMA→ NIC"), now);
        assertTrue(now.endsWith("(4 CPU copies/byte, 4,096 syscalls)"), now);
        String md = render(ReportFormatType.MARKDOWN, report);
        assertTrue(md.contains("**Path:**\n\n- " + now + "\n- after: DefaultFileRegion = sendfile: disk →DMA→ page cache"
                + " →CPU→ socket buffer →DMA→ NIC (1 CPU copy/byte, 2,048 syscalls)\n"), md);
        String text = render(ReportFormatType.TEXT, report);
        assertTrue(text.contains("   path:\n     now: disk →DMA→ page cache"), text);
        assertTrue(text.replaceAll("\n {7}", " ").contains(now), text);
    }

    private static int count(String s, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
