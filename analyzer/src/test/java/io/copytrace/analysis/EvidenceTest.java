// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One line of evidence read two ways: the sentence people read and the figures tools read. */
class EvidenceTest {
    @Test
    void aLineIsProseForPeopleAndFiguresForTools() {
        Evidence e = new Evidence.Builder().put("read", Prose.of("read  ").fig(Figure.SITE, "A.b(A.java:1)"),
                Prose.of(Figure.CALLS, 14_747).text(" calls, ").fig(Figure.BYTES_MOVED, 971_980L).text(" moved, ")
                        .fig(Figure.CPU_COPIES_PER_BYTE, 2.0).text(" vs ").fig(Figure.CPU_COPIES_PER_BYTE_WITH_SG_DMA, 0)
                        .fact(Figure.ENDPOINT_NAMES, List.of())
                        .text(" (").items(Figure.KERNEL_ROWS, "; ", List.of(Prose.of(Figure.FAMILY, "read family").text(" ")
                                .fig(Figure.KERNEL_CALLS, 3), Prose.of(Figure.FAMILY, "write family"))).text(")")).build();
        Evidence.Line line = e.lines().get(0);
        assertEquals("read  A.b(A.java:1)", line.label());
        assertEquals("14,747 calls, 949.2 KiB moved, 2.00 vs 0 (read family 3; write family)", line.text());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("site", "A.b(A.java:1)");
        figures.put("calls", 14_747L);
        figures.put("bytesMoved", 971_980L);
        figures.put("cpuCopiesPerByte", 2.0);
        figures.put("cpuCopiesPerByteWithSgDma", 0);
        figures.put("endpointNames", List.of());
        figures.put("kernelRows", List.of(Map.of("family", "read family", "kernelCalls", 3L), Map.of("family", "write family")));
        assertEquals(figures, line.figures());
        assertEquals(line.text(), e.get("read  A.b(A.java:1)"));
    }

    @Test
    void aFigureHasOneValuePerLineAndTheTypeOfItsUnit() {
        Prose twice = Prose.of(Figure.CALLS, 1).text(", ").fig(Figure.CALLS, 2);
        assertThrows(IllegalStateException.class, () -> new Evidence.Builder().put("x", "x", twice));
        // the same value twice is one figure (a record's operation in the label and in the value)
        Prose same = Prose.of(Figure.OPERATION, "file.read").text(" ").fig(Figure.OPERATION, "file.read");
        assertEquals(Map.of("operation", "file.read"), new Evidence.Builder().put("x", "x", same).build().lines().get(0).figures());
        assertThrows(IllegalArgumentException.class, () -> Prose.of(Figure.BYTES_MOVED, "4.0 MiB"));
        assertThrows(IllegalArgumentException.class, () -> Prose.of(Figure.SITE, 3L));
        assertThrows(IllegalArgumentException.class, () -> new Prose().items(Figure.CALLS, ", ", List.of()));
    }

    @Test
    void withReplacesTheLineOfTheSameLabelOrAddsOne() {
        Evidence e = new Evidence.Builder().put("a", "a", Prose.of("1")).build()
                .with("b", "b", Prose.of("2")).with("a", "a", Prose.of("3"));
        assertEquals("[a: 3, b: 2]", e.toString());
    }
}
