// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpositionTest {
    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("site", "a\\b \"c\"\nd");
        LABELS.put("operation", "file.write");
    }

    private static String write(boolean openMetrics) {
        Exposition x = new Exposition(openMetrics);
        x.counter("copytrace_moved_bytes", "bytes", "Bytes \"moved\".").sample(LABELS, 42);
        x.gauge("copytrace_sites", null, "Sites.").sample(Map.of(), 3);
        return x.text();
    }

    @Test
    void openMetricsHasTypeUnitHelpTotalAndEof() {
        assertEquals("""
                # TYPE copytrace_moved_bytes counter
                # UNIT copytrace_moved_bytes bytes
                # HELP copytrace_moved_bytes Bytes \\"moved\\".
                copytrace_moved_bytes_total{site="a\\\\b \\"c\\"\\nd",operation="file.write"} 42
                # TYPE copytrace_sites gauge
                # HELP copytrace_sites Sites.
                copytrace_sites 3
                # EOF
                """, write(true));
    }

    @Test
    void theTextFormatNamesCountersWithTotalAndHasNoUnitNorEof() {
        assertEquals("""
                # TYPE copytrace_moved_bytes_total counter
                # HELP copytrace_moved_bytes_total Bytes "moved".
                copytrace_moved_bytes_total{site="a\\\\b \\"c\\"\\nd",operation="file.write"} 42
                # TYPE copytrace_sites gauge
                # HELP copytrace_sites Sites.
                copytrace_sites 3
                """, write(false));
    }

    @Test
    void openMetricsOnlyWhenAskedFor() {
        assertTrue(Exposition.wantsOpenMetrics("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"));
        assertFalse(Exposition.wantsOpenMetrics("text/plain;version=0.0.4"));
        assertFalse(Exposition.wantsOpenMetrics(null));
    }
}
