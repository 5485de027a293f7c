// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Exact counters that threads count into apart: a live platform thread (or a carrier) into its own
 * {@link Tally}, with plain stores; everything else, and the tallies of threads that have ended, into
 * {@link #shared()} with atomic adds. A row ({@link Stats}) and a flow ({@link Flows}) are counters.
 */
abstract class Counters {
    private final int width;
    /**
     * Atomic counts: folded in from ended threads' tallies, and added by threads that keep no tally. Made on first
     * use: with 10,000 call sites counted by live threads only, they would be 1.6 MB of zeros.
     */
    private volatile AtomicLongArray shared;

    Counters(int width) {
        this.width = width;
    }

    /** How many counters. */
    final int width() {
        return width;
    }

    /** The atomic counts, made on first use. */
    final AtomicLongArray shared() {
        AtomicLongArray s = shared;
        if (s == null) {
            synchronized (this) {
                s = shared;
                if (s == null) shared = s = new AtomicLongArray(width);
            }
        }
        return s;
    }

    /** Every counter: the shared count plus the live threads' counts in {@code pending} ({@link Tally#pending}). */
    final long[] counted(java.util.Map<Object, long[]> pending) {
        long[] out = new long[width];
        long[] p = pending.get(this);
        AtomicLongArray s = shared;
        for (int i = 0; i < out.length; i++) out[i] = (s == null ? 0 : s.get(i)) + (p == null ? 0 : p[i]);
        return out;
    }
}
