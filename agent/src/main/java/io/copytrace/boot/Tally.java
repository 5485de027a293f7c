// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A platform thread's own counters, per row it counted into: the owner adds with plain (opaque) stores,
 * no atomic read-modify-write and no shared cache line per call. Readers (checkpoints, the window's end)
 * add every live tally to the rows' shared counters under one lock; a tally whose thread has ended is
 * folded into the shared counters and dropped, so totals stay exact for threads that end and the registry
 * holds only threads that may still count. Virtual threads keep no tally of their own: there may be millions,
 * each living for a few calls; they count into their carrier's ({@link CarrierTallies}).
 */
final class Tally {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Every tally whose thread may still count; guarded by {@code Tally.class}. */
    private static final List<Tally> LIVE = new ArrayList<>();
    /** Registering past this many tallies first drops those of ended threads; guarded by {@code Tally.class}. */
    private static int sweepAt = 256;

    /** The counting thread, or null for a carrier's tally (kept until the window ends: carriers are few). */
    private final Thread owner;
    /** The window this tally counts for: a carrier's tally is made again in the next one. */
    final int epoch = Epoch.current;
    /** A carrier's last row and its counters, so steady calls skip the map; touched only on that carrier. */
    Stats lastRow;
    long[] lastCounts;
    /** The owner's counts per row or flow; inserts (the owner) and reads (a reader) hold this tally's lock. */
    private final IdentityHashMap<Counters, long[]> rows = new IdentityHashMap<>();

    private Tally(Thread owner) {
        this.owner = owner;
    }

    /** A tally for the calling platform thread, registered so readers see it. */
    static Tally register() {
        return register(new Tally(Thread.currentThread()));
    }

    /** A tally for the carrier the calling virtual thread runs on ({@link CarrierTallies}), registered. */
    static Tally registerCarrier() {
        return register(new Tally(null));
    }

    private static Tally register(Tally t) {
        synchronized (Tally.class) {
            if (LIVE.size() >= sweepAt) {
                sweep();
                sweepAt = Math.max(256, LIVE.size() * 2);
            }
            LIVE.add(t);
        }
        return t;
    }

    /** The owner's counts of {@code row} (or flow), made on first use. Called by the owner only, on a change. */
    long[] counts(Counters row) {
        synchronized (this) {
            long[] c = rows.get(row);
            if (c == null) rows.put(row, c = new long[row.width()]);
            return c;
        }
    }

    /** Adds {@code delta} to one counter; the owner is the only writer, so no atomic add is needed. */
    static void add(long[] counts, int slot, long delta) {
        LONGS.setOpaque(counts, slot, (long) LONGS.getOpaque(counts, slot) + delta);
    }

    /**
     * The counts every live tally holds, per row and flow; tallies of ended threads are folded into the shared
     * counters first. Add the shared counters ({@link Counters#total}) for the totals.
     */
    static Map<Object, long[]> pending() {
        Map<Object, long[]> out = new IdentityHashMap<>();
        synchronized (Tally.class) {
            sweep();
            for (Tally t : LIVE) {
                synchronized (t) {
                    for (Map.Entry<Counters, long[]> e : t.rows.entrySet()) {
                        long[] c = e.getValue();
                        long[] sum = out.get(e.getKey());
                        if (sum == null) out.put(e.getKey(), sum = new long[c.length]);
                        for (int i = 0; i < sum.length; i++) sum[i] += (long) LONGS.getOpaque(c, i);
                    }
                }
            }
        }
        return out;
    }

    /** Folds the tallies of ended threads into the shared counters; the caller holds {@code Tally.class}. */
    private static void sweep() {
        // A compacting loop, not removeIf with a lambda: the close of a JVM that ends before the warm-up would
        // link the lambda at the exit.
        int kept = 0;
        for (int i = 0; i < LIVE.size(); i++) {
            Tally t = LIVE.get(i);
            if (t.owner == null || t.owner.isAlive()) {
                LIVE.set(kept++, t);
                continue;
            }
            synchronized (t) { // the thread has ended: its last stores happen-before isAlive() said false
                for (Map.Entry<Counters, long[]> e : t.rows.entrySet()) {
                    long[] c = e.getValue();
                    for (int j = 0; j < c.length; j++) if (c[j] != 0) e.getKey().shared().getAndAdd(j, c[j]);
                }
            }
        }
        LIVE.subList(kept, LIVE.size()).clear();
    }

    /** Drops every tally: their threads make new ones in the next window ({@link Epoch#next}). */
    static synchronized void clear() {
        LIVE.clear();
        sweepAt = 256;
    }

    /** How many tallies are registered (tests). */
    static synchronized int registered() {
        return LIVE.size();
    }
}
