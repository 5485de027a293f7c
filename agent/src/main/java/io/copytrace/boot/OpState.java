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
    /** How many of {@link #keys} are this thread's: those past it are spares an ended thread left ({@link #clear}). */
    private int live;
    private int oldest;

    /** The state of {@code key}, or null when this thread has none (its first call with it, or evicted). */
    KeyState find(int key) {
        for (int i = 0; i < live; i++) if (keys[i].key == key) return keys[i];
        return null;
    }

    /** A fresh state for {@code key}, replacing the oldest when all slots are taken. */
    KeyState add(int key) {
        KeyState k = keys[oldest];
        if (k != null && live < KEYS) { // not full yet: oldest is the next unused entry
            k.reset(key); // a spare, never handed out on this thread
        } else {
            k = new KeyState(key); // not reused when evicting: the thread may still hold the old one
            keys[oldest] = k;
        }
        if (live < KEYS) live++;
        oldest = (oldest + 1) % KEYS;
        return k;
    }

    /**
     * Forgets every key, keeping the key states as spares for {@link #add}: a new thread takes this over from an
     * ended one ({@link ThreadState#adopt}). They are emptied now, not only when handed out again, so that they
     * keep no rows or tally counters of the ended thread alive.
     */
    void clear() {
        for (KeyState k : keys) {
            if (k != null) k.reset(k.key);
        }
        live = 0;
        oldest = 0;
    }

    /** One (operation, row key) on one thread. */
    static final class KeyState {
        /** Changes only in {@link #reset}, when a spare is handed out again. */
        int key;
        /** The last walked (or inherited) site. */
        Site site;
        /** Calls left until the next walk, and the interval it was set from. */
        int countdown;
        int interval;
        /** The site before the last change of site, and its interval then. */
        Site previousSite;
        int previousInterval;
        /** The request sizes of the calls that entered {@link #site} and {@link #previousSite}. */
        long siteRequested;
        long previousRequested;
        /**
         * True when this key was walked back to {@link #previousSite} at the request size it had there: it alternates
         * between two sites told apart by their sizes (a header read from one line, its body from another), and a
         * size hint naming the other site switches to it without a walk.
         */
        boolean alternates;
        /** The channel or stream of the last call: a different one forces a walk. */
        Object lastSelf;
        /** True when object changes proved not to mean site changes here. */
        boolean objectBlind;
        /** The request size of the last call: a different one hints at a new site. */
        long lastRequested;
        /** True when size changes proved not to mean site changes here. */
        boolean sizeBlind;
        /** True when even the size {@link #previousSite} was entered with proved not to mean a return to it. */
        boolean backBlind;
        /**
         * {@link System#nanoTime} before which a steady site is not walked again only to confirm it; 0: no walk
         * timed yet (an inherited site).
         */
        long notBefore;
        /** True when the site was inherited from other threads' walks, not walked on this thread. */
        boolean inherited;
        /** The key this key's first call was guessed under ({@link SiteSampler#firstCallKey}), to say it was wrong. */
        int firstGuessKey;
        // One-entry row cache: same site as last time means no map lookup.
        Stats cachedRow;
        Site cachedSite;
        /**
         * The thread's own counters of {@link #cachedRow} (platform threads), or its carrier's for a virtual thread
         * while it runs on {@link #countsCarrier}; or null.
         */
        long[] cachedCounts;
        /** The carrier whose counters {@link #cachedCounts} are (virtual threads), or null. */
        Thread countsCarrier;
        /** The endpoint names this thread last noted in {@link #cachedRow}. */
        Object lastSourceName;
        Object lastTargetName;

        KeyState(int key) {
            this.key = key;
        }

        /** As new for {@code key}: every field as the constructor leaves it (ThreadStateTest checks each field). */
        void reset(int key) {
            this.key = key;
            site = null;
            countdown = 0;
            interval = 0;
            previousSite = null;
            previousInterval = 0;
            siteRequested = 0;
            previousRequested = 0;
            alternates = false;
            lastSelf = null;
            objectBlind = false;
            lastRequested = 0;
            sizeBlind = false;
            backBlind = false;
            notBefore = 0;
            inherited = false;
            firstGuessKey = 0;
            cachedRow = null;
            cachedSite = null;
            cachedCounts = null;
            countsCarrier = null;
            lastSourceName = null;
            lastTargetName = null;
        }
    }
}
