// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** New threads inherit a site only after new threads steadily walked to it, and walk again when it changes. */
class SiteGuessesTest {
    private final Site a = new Site(1, Site.KIND_APP, "A.a(A.java:1)", new String[] {"A.a(A.java:1)"});
    private final Site b = new Site(2, Site.KIND_APP, "B.b(B.java:1)", new String[] {"B.b(B.java:1)"});

    @BeforeEach
    void forget() {
        SiteGuesses.clear();
    }

    @Test
    void inheritsOnlyAfterSteadyAgreementAndStillChecksNowAndThen() {
        for (int i = 0; i < SiteGuesses.STEADY - 1; i++) {
            assertNull(SiteGuesses.inherit(3, 42, i + 1), "walk while fewer than STEADY new threads agreed");
            SiteGuesses.walked(3, 42, a, 0);
        }
        assertNull(SiteGuesses.inherit(3, 42, 1));
        SiteGuesses.walked(3, 42, a, 0); // the STEADY-th agreeing walk
        int inherited = 0;
        int walks = 0;
        for (int i = 0; i < 10_000; i++) {
            Site s = SiteGuesses.inherit(3, 42, i); // new threads numbered in turn
            if (s == null) {
                walks++;
                SiteGuesses.walked(3, 42, a, 0);
            } else {
                assertSame(a, s);
                inherited++;
            }
        }
        assertTrue(walks > 0 && walks < 100, walks + " checking walks in 10,000 new threads");
        assertEquals(10_000, inherited + walks);
        assertNull(SiteGuesses.inherit(3, 43, 1), "another row key learns on its own");
        assertNull(SiteGuesses.inherit(4, 42, 1), "another operation too");
    }

    @Test
    void aWalkThatDisagreesOrAWrongInheritanceMakesNewThreadsWalkAgain() {
        for (int i = 0; i < SiteGuesses.STEADY; i++) SiteGuesses.walked(3, 42, a, 0);
        SiteGuesses.walked(3, 42, b, 0);
        for (int i = 0; i < 5; i++) assertNull(SiteGuesses.inherit(3, 42, i));

        for (int i = 0; i < SiteGuesses.STEADY; i++) SiteGuesses.walked(3, 42, b, 0);
        Site got = null;
        for (int i = 0; i < 3 && got == null; i++) got = SiteGuesses.inherit(3, 42, i);
        assertSame(b, got);
        // many more agreeing walks: new threads now inherit for a long run (up to MAX_SKIP) before the next check
        for (int i = 0; i < 10; i++) SiteGuesses.walked(3, 42, b, 0);
        assertSame(b, SiteGuesses.inherit(3, 42, 1));
        assertNull(SiteGuesses.inherit(3, 42, 256), "a multiple of skip checks");
        SiteGuesses.wrong(3, 42, b);
        for (int i = 0; i < 5; i++) assertNull(SiteGuesses.inherit(3, 42, 2 * i + 1));
    }

    @Test
    void checkingWalksWaitUntilTheLastOnesShareOfTimeHasPassed() {
        long later = System.nanoTime() + 3_600_000_000_000L; // an hour: no check is due in this test
        for (int i = 0; i < SiteGuesses.STEADY; i++) SiteGuesses.walked(3, 42, a, later);
        for (int i = 0; i < 10_000; i++) {
            assertSame(a, SiteGuesses.inherit(3, 42, i), "no checking walk before its time, however many new threads");
        }
        SiteGuesses.walked(3, 42, a, System.nanoTime() - 1); // a check whose share of time has passed
        int walks = 0;
        for (int i = 0; i < 10_000; i++) {
            if (SiteGuesses.inherit(3, 42, i) == null) {
                walks++;
                SiteGuesses.walked(3, 42, a, System.nanoTime() + 3_600_000_000_000L);
            }
        }
        assertEquals(1, walks, "once due, one new thread checks, and the next check waits again");
    }
}
