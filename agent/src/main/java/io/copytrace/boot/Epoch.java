// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/**
 * Which recording window the probe counts for. The probe classes live in the boot loader for the JVM's
 * life, but what a window counted must not reach the next one: {@link #next} empties the shared tables
 * (sites, rows, tallies, flows, fills, learned sites), and every thread's own state ({@link ThreadState})
 * notes the epoch it was made for and renews itself on its first call in a later one. An operation still
 * in progress when its window ended is not counted in the next.
 */
public final class Epoch {
    /**
     * The current epoch. Written only while no window is open ({@link Probe#active} false) and read after
     * {@code active}: the volatile write that opens a window publishes it.
     */
    static int current;

    private Epoch() {}

    /**
     * Forgets everything counted so far and starts a new epoch. Called by the agent core when a window has
     * been written and when the next one opens, never while one is open.
     */
    public static synchronized void next() {
        SiteTable.clear();
        SiteGuesses.clear();
        GroupSites.clear();
        Tally.clear();
        CarrierTallies.clear();
        Flows.clear();
        // Before the first window the probe filled nothing: clearing the provenance table, element by element
        // through its atomic arrays, was ~10 ms of the agent's start, interpreted.
        if (current > 0) Provenance.clear();
        OperationStack.clear();
        current++;
    }
}
