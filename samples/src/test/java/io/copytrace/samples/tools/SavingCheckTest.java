// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SavingCheckTest {
    @Test
    void measuredSavingIsTheMedianOfThePairsSavings() {
        // when: three pairs saving 200, 260 and 230
        SavingCheck check = new SavingCheck(250, List.of(330L, 400L, 340L), List.of(130L, 140L, 110L));

        // then
        assertArrayEquals(new long[] {200, 260, 230}, check.pairedSavings());
        assertEquals(230, check.measuredNanos());
    }

    @Test
    void differenceIsRelativeToTheMeasuredSaving() {
        // when: predicted 303, measured 220
        SavingCheck over = new SavingCheck(303, List.of(330L), List.of(110L));
        SavingCheck under = new SavingCheck(294, List.of(1560L), List.of(60L));

        // then
        assertEquals((303.0 - 220) / 220, over.difference().getAsDouble(), 1e-12);
        assertEquals("+38 %", over.differenceText());
        assertFalse(over.agrees());
        assertEquals("-80 %", under.differenceText());
        assertFalse(under.agrees());
    }

    @Test
    void withinAQuarterOfTheMeasurementAgrees() {
        assertTrue(new SavingCheck(125, List.of(200L), List.of(100L)).agrees());
        assertTrue(new SavingCheck(75, List.of(200L), List.of(100L)).agrees());
        assertFalse(new SavingCheck(126, List.of(200L), List.of(100L)).agrees());
        assertFalse(new SavingCheck(74, List.of(200L), List.of(100L)).agrees());
    }

    @Test
    void nothingMeasuredToSaveHasNoDifference() {
        // when: the fixed variant cost more
        SavingCheck check = new SavingCheck(50, List.of(300L), List.of(320L));

        // then
        assertTrue(check.difference().isEmpty());
        assertEquals("n/a", check.differenceText());
        assertFalse(check.agrees());
    }

    @Test
    void anEvenCountTakesTheLowerMiddle() {
        assertEquals(2, SavingCheck.median(new long[] {4, 1, 3, 2}));
        assertEquals(7, SavingCheck.median(List.of(7L)));
    }

    @Test
    void pairsMustMatch() {
        assertThrows(IllegalArgumentException.class, () -> new SavingCheck(1, List.of(1L, 2L), List.of(1L)));
        assertThrows(IllegalArgumentException.class, () -> new SavingCheck(1, List.of(), List.of()));
    }
}
