// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Exact counters that threads count into apart: a live platform thread (or a carrier) into its own
 * {@link Tally}, with plain stores; everything else, and the tallies of threads that have ended, into
 * {@link #shared} with atomic adds. A row ({@link Stats}) and a flow ({@link Flows}) are counters.
 */
abstract class Counters {
    /** Atomic counts: folded in from ended threads' tallies, and added by threads that keep no tally. */
    final AtomicLongArray shared;

    Counters(int width) {
        shared = new AtomicLongArray(width);
    }

    /** How many counters. */
    final int width() {
        return shared.length();
    }

    /** Every counter: the shared count plus the live threads' counts in {@code pending} ({@link Tally#pending}). */
    final long[] counted(java.util.Map<Object, long[]> pending) {
        long[] out = new long[width()];
        long[] p = pending.get(this);
        for (int i = 0; i < out.length; i++) out[i] = shared.get(i) + (p == null ? 0 : p[i]);
        return out;
    }
}
