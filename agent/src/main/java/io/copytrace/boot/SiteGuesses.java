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
 * on, not a wrong guess). Also per group and key: the sites a thread held steady ({@link #steadied}) or
 * alternated with another by size ({@link #alternating}), so a new thread does not confirm them again walk by walk,
 * and the hints found useless at a site ({@link #deaf}). Races between
 * threads only cost an extra walk or an inherited site one walk late (or a steady site not noted); totals are
 * never affected, only which site calls between walks go to.
 */
final class SiteGuesses {
    /** New threads in a row that must agree before new threads inherit the site. */
    static final int STEADY = 8;
    /** At most this many new threads inherit between two that walk to check. */
    static final int MAX_SKIP = 256;
    private static final int SLOTS = 512;
    /** A thread's key whose walks kept finding one site until the interval reached this is steady there. */
    static final int STEADY_INTERVAL = 64;
    /** Steady sites remembered per group and key; a fifth replaces the oldest. */
    static final int MAX_STEADY = 4;
    private static final Site[] NONE = {};

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
        /** Sites where a thread of this group held this key steady ({@link #STEADY_INTERVAL}), newest last. */
        volatile Site[] steady = NONE;
        /** Sites a thread of this group alternated this key between by size ({@link #alternating}). */
        volatile Site[] alternated = NONE;
        /** Sites where a new channel or stream, or a new request size, proved to mean no new site ({@link #deaf}). */
        volatile Site[] objectDeaf = NONE;
        volatile Site[] sizeDeaf = NONE;

        Guess(int op, int key, Site site) {
            this.op = op;
            this.key = key;
            this.site = site;
            this.agreed = site == null ? 0 : 1;
        }
    }

    private static final Guess[] TABLE = new Guess[SLOTS];

    private SiteGuesses() {}

    private static int slot(int op, int key) {
        int h = key * 0x9E3779B1 + op;
        return (h ^ h >>> 16) & (SLOTS - 1);
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
            TABLE[slot(op, key)] = new Guess(op, key, site);
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
        Guess g = TABLE[slot(op, key)];
        return g != null && g.op == op && g.key == key ? g : null;
    }

    /**
     * A thread of this group held {@code op} with this key at {@code site} until its walks were
     * {@link #STEADY_INTERVAL} calls apart: another thread's key arriving there is steady at once.
     */
    static void steadied(int op, int key, Site site) {
        Guess g = entry(op, key);
        g.steady = with(g.steady, site);
    }

    /**
     * Whether a thread of this group held {@code op} with this key steady at {@code site} ({@link #steadied}): a key
     * arriving at it (a switch to a pool's usual second site, a header's body) starts at the longest interval
     * instead of walking at calls 1, 2, 4, 8…
     */
    static boolean steady(int op, int key, Site site) {
        Guess g = find(op, key);
        return g != null && holds(g.steady, site);
    }

    /** A thread of this group came to alternate {@code op} with this key between two sites by request size. */
    static void alternating(int op, int key, Site one, Site other) {
        Guess g = entry(op, key);
        g.alternated = with(with(g.alternated, one), other);
    }

    /**
     * Whether a thread of this group alternated {@code op} with this key at {@code site} and another ({@link
     * #alternating}): another thread's key making its first move there (a header's body) starts steady.
     */
    static boolean alternated(int op, int key, Site site) {
        Guess g = find(op, key);
        return g != null && holds(g.alternated, site);
    }

    /** What {@link #deafness} answers: new channels or streams, new request sizes. */
    static final int OBJECT = 1;
    static final int SIZE = 2;

    /**
     * A thread of this group walked at {@code site} because of a new channel or stream ({@code object}) or a new
     * request size ({@code size}) and found the same site: threads of the group arriving there need not hear that
     * hint (a broker's produce threads each walked once when the log rolled to a new segment file, and once for
     * a batch's second read of another size).
     */
    static void deaf(int op, int key, Site site, boolean object, boolean size) {
        Guess g = entry(op, key);
        if (object) g.objectDeaf = with(g.objectDeaf, site);
        if (size) g.sizeDeaf = with(g.sizeDeaf, site);
    }

    /**
     * The hint walk of a thread of this group from {@code site} found another site, or a due walk found that a key
     * deaf there had moved: the hint means something there, and threads arriving there hear it again.
     */
    static void heard(int op, int key, Site site, boolean object, boolean size) {
        Guess g = find(op, key);
        if (g == null) return;
        if (object && holds(g.objectDeaf, site)) g.objectDeaf = without(g.objectDeaf, site);
        if (size && holds(g.sizeDeaf, site)) g.sizeDeaf = without(g.sizeDeaf, site);
    }

    /** The hints threads of this group found useless at {@code site}: {@link #OBJECT} and {@link #SIZE} bits. */
    static int deafness(int op, int key, Site site) {
        Guess g = find(op, key);
        if (g == null) return 0;
        return (holds(g.objectDeaf, site) ? OBJECT : 0) | (holds(g.sizeDeaf, site) ? SIZE : 0);
    }

    /** The entry of {@code op} with this key, made when there is none (its slot's other entry replaced). */
    private static Guess entry(int op, int key) {
        Guess g = find(op, key);
        if (g == null) TABLE[slot(op, key)] = g = new Guess(op, key, null); // nothing walked yet
        return g;
    }

    private static boolean holds(Site[] sites, Site site) {
        for (Site x : sites) if (x == site) return true;
        return false;
    }

    /** The sites with {@code site} added as the newest, the oldest dropped past {@link #MAX_STEADY}. */
    private static Site[] with(Site[] now, Site site) {
        if (holds(now, site)) return now;
        Site[] more = java.util.Arrays.copyOfRange(now, now.length < MAX_STEADY ? 0 : 1, now.length + 1);
        more[more.length - 1] = site;
        return more;
    }

    private static Site[] without(Site[] now, Site site) {
        Site[] less = new Site[now.length - 1];
        int n = 0;
        for (Site x : now) if (x != site && n < less.length) less[n++] = x;
        return n == less.length ? less : now;
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
