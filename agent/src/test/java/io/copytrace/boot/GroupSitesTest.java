// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What threads of a name group learned about sites: held steady there, and hints found useless there. */
class GroupSitesTest {
    private final Site a = new Site(1, Site.KIND_APP, "A.a(A.java:1)", new String[] {"A.a(A.java:1)"});
    private final Site b = new Site(2, Site.KIND_APP, "B.b(B.java:1)", new String[] {"B.b(B.java:1)"});

    @BeforeEach
    void forget() {
        SiteGuesses.clear();
        GroupSites.clear();
    }

    @Test
    void sitesThreadsHeldSteadyAreKnownPerKeyTheNewestFew() {
        assertTrue(!GroupSites.steady(3, 42, a), "nothing learned yet");
        GroupSites.steadied(3, 42, a);
        assertTrue(GroupSites.steady(3, 42, a));
        assertTrue(!GroupSites.steady(3, 42, b), "only the site held steady");
        assertTrue(!GroupSites.steady(3, 43, a) && !GroupSites.steady(4, 42, a), "per operation and key");
        assertNull(SiteGuesses.inherit(3, 42, 1), "a steady site is not a first call's guess");
        for (int i = 0; i < GroupSites.MAX_SITES; i++) {
            GroupSites.steadied(3, 42, new Site(10 + i, Site.KIND_APP, "C.c(C.java:" + i + ")", new String[0]));
        }
        assertTrue(!GroupSites.steady(3, 42, a), "the oldest of more than MAX_SITES is forgotten");
        for (int i = 0; i < SiteGuesses.STEADY; i++) SiteGuesses.walked(3, 42, b, 0);
        assertTrue(!GroupSites.steady(3, 42, b), "first calls' guesses are not sites held steady");
    }

    @Test
    void hintsFoundUselessAtASiteAreNotHeardThereUntilOneProvesRight() {
        assertEquals(0, GroupSites.deafness(3, 42, a), "nothing learned yet");
        GroupSites.deaf(3, 42, a, true, false); // a new segment file, the same append line
        assertEquals(GroupSites.OBJECT, GroupSites.deafness(3, 42, a));
        GroupSites.deaf(3, 42, a, false, true); // a batch's second read of another size, the same line
        assertEquals(GroupSites.OBJECT | GroupSites.SIZE, GroupSites.deafness(3, 42, a));
        assertEquals(0, GroupSites.deafness(3, 42, b), "per site");
        assertEquals(0, GroupSites.deafness(3, 43, a) | GroupSites.deafness(4, 42, a), "per operation and key");
        GroupSites.heard(3, 42, a, false, true); // another thread's new size at a led elsewhere
        assertEquals(GroupSites.OBJECT, GroupSites.deafness(3, 42, a), "the size is heard at a again");
        GroupSites.deaf(3, 42, b, true, false);
        GroupSites.heard(3, 42, a, true, false);
        assertEquals(0, GroupSites.deafness(3, 42, a));
        assertEquals(GroupSites.OBJECT, GroupSites.deafness(3, 42, b), "the other site keeps its own");
    }
}
