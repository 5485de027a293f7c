// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/**
 * What one thread remembers about one operation: per row key (single or gathering, heap or direct, …) the
 * call site it last walked to and when to walk again, so a thread that alternates between keys (Netty's
 * single and gathering writes, from two lines) keeps each one's site instead of walking at every switch.
 * Made on the thread's first call of the operation; a key's state on its first call with that key.
 */
final class OpState {
    /** Distinct row keys remembered per operation; a fifth replaces the oldest. */
    static final int KEYS = 4;
    private final KeyState[] keys = new KeyState[KEYS];
    private int oldest;

    /** The state of {@code key}, or null when this thread has none (its first call with it, or evicted). */
    KeyState find(int key) {
        for (KeyState k : keys) if (k != null && k.key == key) return k;
        return null;
    }

    /** A fresh state for {@code key}, replacing the oldest when all slots are taken. */
    KeyState add(int key) {
        KeyState k = new KeyState(key);
        keys[oldest] = k;
        oldest = (oldest + 1) % KEYS;
        return k;
    }

    /** One (operation, row key) on one thread. */
    static final class KeyState {
        final int key;
        /** The last walked (or inherited) site. */
        Site site;
        /** Calls left until the next walk, and the interval it was set from. */
        int countdown;
        int interval;
        /** The site before the last change of site, and its interval then. */
        Site previousSite;
        int previousInterval;
        /** The channel or stream of the last call: a different one forces a walk. */
        Object lastSelf;
        /** True when object changes proved not to mean site changes here. */
        boolean objectBlind;
        /** The request size of the last call: a different one hints at a new site. */
        long lastRequested;
        /** True when size changes proved not to mean site changes here. */
        boolean sizeBlind;
        /**
         * {@link System#nanoTime} before which a steady site is not walked again only to confirm it; 0: no walk
         * timed yet (an inherited site).
         */
        long notBefore;
        /** True when the site was inherited from other threads' walks, not walked on this thread. */
        boolean inherited;
        // One-entry row cache: same site as last time means no map lookup.
        Stats cachedRow;
        Site cachedSite;
        /** The thread's own counters of {@link #cachedRow} (platform threads), or null. */
        long[] cachedCounts;
        /** The endpoint names this thread last noted in {@link #cachedRow}. */
        Object lastSourceName;
        Object lastTargetName;

        KeyState(int key) {
            this.key = key;
        }
    }
}
