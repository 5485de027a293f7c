// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertEquals(SavingCheck.Verdict.DIFFERS, over.verdict());
        assertEquals("-80 %", under.differenceText());
        assertEquals(SavingCheck.Verdict.DIFFERS, under.verdict());
    }

    @Test
    void withinAQuarterOfTheMeasurementAgrees() {
        // one pair: its saving is the interval
        assertEquals(SavingCheck.Verdict.AGREES, new SavingCheck(125, List.of(200L), List.of(100L)).verdict());
        assertEquals(SavingCheck.Verdict.AGREES, new SavingCheck(75, List.of(200L), List.of(100L)).verdict());
        assertEquals(SavingCheck.Verdict.DIFFERS, new SavingCheck(126, List.of(200L), List.of(100L)).verdict());
        assertEquals(SavingCheck.Verdict.DIFFERS, new SavingCheck(74, List.of(200L), List.of(100L)).verdict());
    }

    @Test
    void upToEightPairsTheIntervalIsAllOfThem() {
        // when: savings 30 to 133 (sample 09's pairs on JDK 17, session 21), 110 predicted
        SavingCheck check = new SavingCheck(110, List.of(130L, 233L, 150L, 160L, 170L, 180L, 190L, 200L),
                List.of(100L, 100L, 100L, 100L, 100L, 100L, 100L, 100L));

        // then: the median (70) is 57 % below the prediction, but 88 to 146 agree with it, and the pairs hold some
        assertArrayEquals(new long[] {30, 133}, check.interval());
        assertEquals("+57 %", check.differenceText());
        assertEquals(SavingCheck.Verdict.UNRESOLVED, check.verdict());
    }

    @Test
    void morePairsNarrowTheIntervalUntilItResolves() {
        // when: 20 pairs saving 1..20, so 5 set aside at each end: 6..15
        List<Long> before = new java.util.ArrayList<>(), after = new java.util.ArrayList<>();
        for (long i = 1; i <= 20; i++) {
            before.add(100 + i);
            after.add(100L);
        }

        // then: savings of 8 to 13.3 agree with 10: the interval holds some and others
        assertArrayEquals(new long[] {6, 15}, new SavingCheck(10, before, after).interval());
        assertEquals(SavingCheck.Verdict.UNRESOLVED, new SavingCheck(10, before, after).verdict());
        assertEquals(SavingCheck.Verdict.DIFFERS, new SavingCheck(30, before, after).verdict(), "30 agrees with 24..40");
        assertEquals(SavingCheck.Verdict.DIFFERS, new SavingCheck(4, before, after).verdict(), "4 agrees with 3.2..5.3");
        assertEquals(SavingCheck.Verdict.AGREES, new SavingCheck(12, List.of(111L, 112L, 113L), List.of(100L, 100L,
                100L)).verdict(), "12 agrees with 9.6..16, which holds 11..13");
    }

    @Test
    void nothingMeasuredToSaveHasNoDifference() {
        // when: the fixed variant cost more
        SavingCheck check = new SavingCheck(50, List.of(300L), List.of(320L));

        // then
        assertTrue(check.difference().isEmpty());
        assertEquals("n/a", check.differenceText());
        assertEquals(SavingCheck.Verdict.DIFFERS, check.verdict());
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
