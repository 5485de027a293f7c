// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/**
 * What the threads of one name group learned about call sites, per operation and row key, so a thread does not
 * confirm again walk by walk what another of its group found: the sites a thread held steady ({@link #steadied}),
 * the sites a thread alternated between by request size ({@link #alternating}), and the hints (a new channel or
 * stream, a new request size) found useless at a site ({@link #deaf}). A new thread's first call has its own
 * table ({@link SiteGuesses}). Lists are replaced whole through volatile fields: a racing addition may be lost (a
 * walk more), a racing removal too (a site left deaf until a due walk finds a key moved from it); totals are never
 * affected, only which site calls between walks go to.
 */
final class GroupSites {
    /** A thread's key whose walks kept finding one site until the interval reached this is steady there. */
    static final int STEADY_INTERVAL = 64;
    /** Sites remembered per list; a fifth replaces the oldest. */
    static final int MAX_SITES = 4;
    private static final int SLOTS = 512;
    private static final Site[] NONE = {};

    /** One group's lists for one operation and key; op and key are final so a racy read never sees them half-made. */
    private static final class Entry {
        final int op;
        final int key;
        /** Sites where a thread of this group held this key steady ({@link #STEADY_INTERVAL}), newest last. */
        volatile Site[] steady = NONE;
        /** Sites a thread of this group alternated this key between by size ({@link #alternating}). */
        volatile Site[] alternated = NONE;
        /** Sites where a new channel or stream, or a new request size, proved to mean no new site ({@link #deaf}). */
        volatile Site[] objectDeaf = NONE;
        volatile Site[] sizeDeaf = NONE;

        Entry(int op, int key) {
            this.op = op;
            this.key = key;
        }
    }

    private static final Entry[] TABLE = new Entry[SLOTS];

    private GroupSites() {}

    /**
     * A thread of this group held {@code op} with this key at {@code site} until its walks were
     * {@link #STEADY_INTERVAL} calls apart: another thread's key arriving there is steady at once.
     */
    static void steadied(int op, int key, Site site) {
        Entry e = entry(op, key);
        e.steady = with(e.steady, site);
    }

    /**
     * Whether a thread of this group held {@code op} with this key steady at {@code site} ({@link #steadied}): a key
     * arriving at it (a switch to a pool's usual second site, a header's body) starts at the longest interval
     * instead of walking at calls 1, 2, 4, 8…
     */
    static boolean steady(int op, int key, Site site) {
        Entry e = find(op, key);
        return e != null && holds(e.steady, site);
    }

    /** A thread of this group came to alternate {@code op} with this key between two sites by request size. */
    static void alternating(int op, int key, Site one, Site other) {
        Entry e = entry(op, key);
        e.alternated = with(with(e.alternated, one), other);
    }

    /**
     * Whether a thread of this group alternated {@code op} with this key at {@code site} and another ({@link
     * #alternating}): another thread's key making its first move there (a header's body) starts steady.
     */
    static boolean alternated(int op, int key, Site site) {
        Entry e = find(op, key);
        return e != null && holds(e.alternated, site);
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
        Entry e = entry(op, key);
        if (object) e.objectDeaf = with(e.objectDeaf, site);
        if (size) e.sizeDeaf = with(e.sizeDeaf, site);
    }

    /**
     * The hint walk of a thread of this group from {@code site} found another site, or a due walk found that a key
     * deaf there had moved: the hint means something there, and threads arriving there hear it again.
     */
    static void heard(int op, int key, Site site, boolean object, boolean size) {
        Entry e = find(op, key);
        if (e == null) return;
        if (object && holds(e.objectDeaf, site)) e.objectDeaf = without(e.objectDeaf, site);
        if (size && holds(e.sizeDeaf, site)) e.sizeDeaf = without(e.sizeDeaf, site);
    }

    /** The hints threads of this group found useless at {@code site}: {@link #OBJECT} and {@link #SIZE} bits. */
    static int deafness(int op, int key, Site site) {
        Entry e = find(op, key);
        if (e == null) return 0;
        return (holds(e.objectDeaf, site) ? OBJECT : 0) | (holds(e.sizeDeaf, site) ? SIZE : 0);
    }

    /** The entry of {@code op} with this key, or null (none, or its slot taken by another). */
    private static Entry find(int op, int key) {
        Entry e = TABLE[SiteGuesses.slot(op, key, SLOTS)];
        return e != null && e.op == op && e.key == key ? e : null;
    }

    /** The entry of {@code op} with this key, made when there is none (its slot's other entry replaced). */
    private static Entry entry(int op, int key) {
        Entry e = find(op, key);
        if (e == null) TABLE[SiteGuesses.slot(op, key, SLOTS)] = e = new Entry(op, key);
        return e;
    }

    private static boolean holds(Site[] sites, Site site) {
        for (Site x : sites) if (x == site) return true;
        return false;
    }

    /** The sites with {@code site} added as the newest, the oldest dropped past {@link #MAX_SITES}. */
    private static Site[] with(Site[] now, Site site) {
        if (holds(now, site)) return now;
        Site[] more = java.util.Arrays.copyOfRange(now, now.length < MAX_SITES ? 0 : 1, now.length + 1);
        more[more.length - 1] = site;
        return more;
    }

    private static Site[] without(Site[] now, Site site) {
        Site[] less = new Site[now.length - 1];
        int n = 0;
        for (Site x : now) if (x != site && n < less.length) less[n++] = x;
        return n == less.length ? less : now;
    }

    /** Forgets everything learned ({@link Epoch#next}, tests). */
    static void clear() {
        java.util.Arrays.fill(TABLE, null);
    }
}
