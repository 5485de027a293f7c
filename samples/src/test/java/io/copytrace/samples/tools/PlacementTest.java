// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementTest {
    @Test
    void autoPinsSenderAndSinkToTheFirstTwoAllowedCpusInANamespace() {
        // when
        Placement p = Placement.choose(Placement.Request.AUTO, true, List.of(2, 3, 5), true);

        // then
        assertTrue(p.pinned());
        assertEquals(List.of("taskset", "-c", "2", "java", "-version"), p.sender(List.of("java", "-version")));
        assertEquals(List.of("taskset", "-c", "3", "java", "-version"), p.sink(List.of("java", "-version")));
        assertTrue(p.describe().startsWith("placement pinned"), p::describe);
    }

    @Test
    void autoFallsBackToFreeAndSaysWhy() {
        assertEquals("no taskset (util-linux)", Placement.choose(Placement.Request.AUTO, true, List.of(0, 1), false).why());
        assertEquals("fewer than 2 CPUs", Placement.choose(Placement.Request.AUTO, true, List.of(0), true).why());
        Placement loopback = Placement.choose(Placement.Request.AUTO, false, List.of(0, 1), true);
        assertFalse(loopback.pinned());
        assertEquals(List.of("java"), loopback.sender(List.of("java")));
        assertFalse(Placement.choose(Placement.Request.FREE, true, List.of(0, 1), true).pinned());
    }

    @Test
    void pinnedWhenImpossibleIsAnError() {
        assertThrows(IllegalStateException.class,
                () -> Placement.choose(Placement.Request.PINNED, true, List.of(0, 1), false));
    }

    @Test
    void perCpuCountersAreReadAndCompared() {
        // on Linux both readings have a column per CPU
        if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/softirqs"))) {
            assertTrue(Placement.netRxPerCpu().length >= 1);
            assertEquals(Placement.netRxPerCpu().length, Placement.softirqMillisPerCpu().length);
        }
        assertEquals("cpu0 +5, cpu1 +0", Placement.perCpuDelta(new long[] {10, 7}, new long[] {15, 7}));
        assertEquals("unknown", Placement.perCpuDelta(new long[0], new long[0]));
    }
}
