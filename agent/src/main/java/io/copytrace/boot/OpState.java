// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/**
 * What one thread remembers about one operation: the call site it last walked to and when to walk again,
 * the hints that may mean a new site, and the row it counted last. Made on the thread's first call of the
 * operation, so a thread that only writes files carries one of these, not one per operation.
 */
final class OpState {
    /** The last walked (or inherited) site; null before the thread's first call of this operation. */
    Site lastSite;
    /** Calls left until the next walk, and the interval it was set from. */
    int countdown;
    int interval;
    /** The channel or stream of the last call: a different one forces a walk. */
    Object lastSelf;
    /** The row key of the last call: a different one forces a walk too. */
    int lastKey;
    /** True when object changes proved not to mean site changes for this operation on this thread. */
    boolean objectBlind;
    /** The request size of the last call: a different one hints at a new site. */
    long lastRequested;
    /** True when size changes proved not to mean site changes for this operation on this thread. */
    boolean sizeBlind;
    /** True when the site was inherited from other threads' walks, not walked on this thread. */
    boolean inherited;

    /** Row keys walked, the last {@link #WALKED_KEYS} distinct ones (0 = empty). */
    static final int WALKED_KEYS = 4;
    private final int[] walkedKeys = new int[WALKED_KEYS];

    // One-entry row cache: same site and key as last time means no map lookup.
    Stats cachedRow;
    Site cachedSite;
    /** The thread's own counters of {@link #cachedRow} (platform threads), or null. */
    long[] cachedCounts;

    boolean walkedKey(int key) {
        for (int k : walkedKeys) if (k == key) return true;
        return false;
    }

    void noteWalkedKey(int key) {
        if (walkedKey(key)) return;
        System.arraycopy(walkedKeys, 0, walkedKeys, 1, WALKED_KEYS - 1);
        walkedKeys[0] = key;
    }
}
