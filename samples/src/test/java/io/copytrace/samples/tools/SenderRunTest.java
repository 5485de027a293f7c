// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SenderRunTest {
    @Test
    void aRunLineReadsBackAsItsTotals() {
        // given
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("file.bytes", 1_073_741_824L);
        totals.put("time.cpu-ns", 330_000_000L);
        totals.put("sent", 1_073_741_824L);

        // when
        String line = SenderRun.line(totals);

        // then
        assertEquals("RUN file.bytes=1073741824 time.cpu-ns=330000000 sent=1073741824", line);
        assertEquals(List.of(totals), SenderRun.parse(line));
    }

    @Test
    void onlyRunLinesCountInOrder() {
        // when
        List<Map<String, Long>> runs = SenderRun.parse("""
                WARNING: something the JVM said
                RUN time.cpu-ns=10 sent=5
                TRUTH sent=5
                RUN time.cpu-ns=20 sent=6
                """);

        // then
        assertEquals(List.of(Map.of("time.cpu-ns", 10L, "sent", 5L), Map.of("time.cpu-ns", 20L, "sent", 6L)), runs);
    }

    @Test
    void aMalformedRunLineIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SenderRun.parse("RUN time.cpu-ns"));
        assertThrows(NumberFormatException.class, () -> SenderRun.parse("RUN time.cpu-ns=ten"));
    }
}
