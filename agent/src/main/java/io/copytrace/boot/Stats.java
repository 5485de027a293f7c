// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Exact counters of one (call site, operation key) row. Updated with atomic adds so totals are exact
 * under any number of threads; endpoint names are kept as a small bounded sample.
 */
public final class Stats {
    /** Distinct endpoint names kept per row; more are counted, not kept. */
    public static final int MAX_NAMES = 8;

    public final int key;
    public final AtomicLongArray counters = new AtomicLongArray(Codes.COUNTERS);
    private final Object[] sourceNames = new Object[MAX_NAMES];
    private final Object[] targetNames = new Object[MAX_NAMES];
    private int namesDropped;
    /** Thread names seen on walked calls, digit runs folded ("pool-#-thread-#"): the row's thread groups. */
    private final String[] threadGroups = new String[MAX_NAMES];
    // Last names seen: a reference compare keeps the common case (same file or peer) lock-free.
    private Object lastSource;
    private Object lastTarget;

    Stats(int key) {
        this.key = key;
    }

    void noteNames(Object source, Object target) {
        if ((source == null || source == lastSource) && (target == null || target == lastTarget)) return;
        synchronized (this) {
            if (source != null) {
                lastSource = source;
                if (!add(sourceNames, source)) namesDropped++;
            }
            if (target != null) {
                lastTarget = target;
                if (!add(targetNames, target)) namesDropped++;
            }
        }
    }

    private static boolean add(Object[] names, Object name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null) {
                names[i] = name;
                return true;
            }
            if (names[i] == name || names[i].equals(name)) return true;
        }
        return false;
    }

    /** Notes the calling thread's name group; called on walked calls only (it allocates). */
    void noteThread(String threadName) {
        String group = threadName == null ? "" : threadName.replaceAll("[0-9]+", "#");
        synchronized (this) {
            add(threadGroups, group);
        }
    }

    /** The thread name groups seen on walked calls. */
    public synchronized Object[] threadGroups() {
        return compact(threadGroups);
    }

    /** A copy of the source endpoint names kept so far. */
    public synchronized Object[] sourceNames() {
        return compact(sourceNames);
    }

    /** A copy of the target endpoint names kept so far. */
    public synchronized Object[] targetNames() {
        return compact(targetNames);
    }

    /** How many distinct names did not fit. */
    public synchronized int namesDropped() {
        return namesDropped;
    }

    private static Object[] compact(Object[] names) {
        int n = 0;
        while (n < names.length && names[n] != null) n++;
        Object[] out = new Object[n];
        System.arraycopy(names, 0, out, 0, n);
        return out;
    }
}
