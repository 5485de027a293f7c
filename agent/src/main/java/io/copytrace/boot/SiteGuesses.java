// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/**
 * Call sites learned across threads, so a new thread need not walk its stack merely because it is new
 * (a virtual thread per task, a pool that churns). Per (operation, row key, thread name group) and the first
 * call's size class: the site the last new threads walked to on their first call. Once {@link #STEADY} new
 * threads in a row found the same site, later new threads inherit it without walking, except one in
 * {@code skip} (doubling up to {@link #MAX_SKIP} while they keep agreeing) and then only once the last checking
 * walk's share of time has passed (as a steady site's periodic walks, {@link SiteSampler#WALK_TIME_FACTOR}):
 * 10,000 virtual threads a second walked 40 times a second on the count alone. A new thread that walks to
 * another site, or an inheriting thread whose own later walk finds another site, resets the run: new threads
 * walk again (a walk prompted by a hint, a new channel or size, that finds another site is the thread moving
 * on, not a wrong guess). What threads of a group learned after their first calls is in {@link GroupSites}.
 * Races between threads only cost an extra walk or an inherited site one walk late; totals are never affected,
 * only which site calls between walks go to.
 */
final class SiteGuesses {
    /** New threads in a row that must agree before new threads inherit the site. */
    static final int STEADY = 8;
    /** At most this many new threads inherit between two that walk to check. */
    static final int MAX_SKIP = 256;
    private static final int SLOTS = 512;

    /** One learned site; op and key are final so a racy read never sees a half-made entry. */
    private static final class Guess {
        final int op;
        final int key;
        volatile Site site;
        /** The site {@link #site} replaced: new threads of one group whose first calls take two sites alternate. */
        volatile Site previous;
        int agreed;
        /** One new thread in this many checks (a power of two, 0 while they do not agree). */
        int skip;
        /** No checking walk before this System.nanoTime() (0: any time). */
        long notBefore;

        Guess(int op, int key, Site site) {
            this.op = op;
            this.key = key;
            this.site = site;
            this.agreed = site == null ? 0 : 1;
        }
    }

    private static final Guess[] TABLE = new Guess[SLOTS];

    private SiteGuesses() {}

    /** The slot of (op, key) in a table of {@code slots}, a power of two. */
    static int slot(int op, int key, int slots) {
        int h = key * 0x9E3779B1 + op;
        return (h ^ h >>> 16) & (slots - 1);
    }

    /**
     * The site a new thread may inherit for its first call of {@code op} with this key, or null: walk. While new
     * threads agree, one in {@code skip} checks by walking: the one whose {@code threadNumber} (its tag, from its
     * id: threads made in turn number in turn) is a multiple of {@code skip}, a power of two; chosen by number
     * rather than by a shared countdown, which every new thread on either carrier would write.
     */
    static Site inherit(int op, int key, int threadNumber) {
        Guess g = find(op, key);
        if (g == null || g.agreed < STEADY) return null;
        if ((threadNumber & g.skip - 1) != 0) return g.site;
        if (g.notBefore != 0 && System.nanoTime() - g.notBefore < 0) return g.site; // not its time yet: later
        return null;
    }

    /**
     * A new thread walked its first call of {@code op} to {@code site}; no checking walk should come before the
     * System.nanoTime() {@code notBefore} (0: any time).
     */
    static void walked(int op, int key, Site site, long notBefore) {
        Guess g = find(op, key);
        if (g == null) {
            TABLE[slot(op, key, SLOTS)] = new Guess(op, key, site);
        } else if (g.site == site) {
            g.notBefore = notBefore;
            if (++g.agreed >= STEADY) g.skip = Math.min(MAX_SKIP, Math.max(1, g.skip * 2));
        } else {
            g.previous = g.site;
            g.site = site;
            g.agreed = 1;
            g.skip = 0;
        }
    }

    /**
     * Whether another new thread of this group walked its first call of {@code op} to {@code site} before, as the
     * last or the one before (two kinds of thread in one group: a pool's producers and consumers); asked before
     * {@link #walked} notes this thread's walk.
     */
    static boolean known(int op, int key, Site site) {
        Guess g = find(op, key);
        return g != null && (g.site == site || g.previous == site);
    }

    /** The entry of {@code op} with this key, or null (none, or its slot taken by another). */
    private static Guess find(int op, int key) {
        Guess g = TABLE[slot(op, key, SLOTS)];
        return g != null && g.op == op && g.key == key ? g : null;
    }

    /** A thread that inherited {@code inherited} walked to another site: new threads walk again. */
    static void wrong(int op, int key, Site inherited) {
        Guess g = find(op, key);
        if (g != null && g.site == inherited) {
            g.agreed = 0;
            g.skip = 0;
        }
    }

    /** Forgets everything learned ({@link Epoch#next}, tests). */
    static void clear() {
        java.util.Arrays.fill(TABLE, null);
    }
}
