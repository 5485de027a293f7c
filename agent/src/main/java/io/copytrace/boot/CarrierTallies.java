// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/**
 * Virtual threads count into the {@link Tally} of the carrier thread they run on (JDK 21+), with plain
 * stores like a platform thread: a carrier runs one virtual thread at a time, and a virtual thread leaves its
 * carrier only where it blocks, which counting never does. So 10,000 short-lived virtual threads cost no
 * state of their own for counting and no atomic add per call, and carriers never share a cache line.
 *
 * <p>The carrier is found through the JDK's own carrier-thread local ({@code jdk.internal.misc.CarrierThreadLocal},
 * made by the agent core, which may use JDK internals). A lookup of a row the carrier has not counted yet takes
 * its tally's lock, where a virtual thread may be unmounted (JDK 24+); the carrier is asked again after it,
 * and a virtual thread that moved counts that call into the row's striped atomics instead. Without the
 * carrier local (an older JDK, or the core could not make it) every virtual thread counts atomically.
 */
public final class CarrierTallies {
    /** Carrier tallies past this many (carriers that come and go) leave new carriers to the atomics. */
    static final int MAX = 1024;
    /** The carrier's tally, as a {@code CarrierThreadLocal}; null = count atomically. */
    private static volatile ThreadLocal<Object> local;
    private static final java.util.concurrent.atomic.AtomicInteger MADE = new java.util.concurrent.atomic.AtomicInteger();

    private CarrierTallies() {}

    /**
     * Lets virtual threads count into their carrier's counters through {@code carrierLocal}, a
     * {@code jdk.internal.misc.CarrierThreadLocal} (JDK 21+), or atomically when null; set before a window opens.
     */
    public static void use(ThreadLocal<Object> carrierLocal) {
        local = carrierLocal;
    }

    /**
     * The calling virtual thread's carrier's counters of {@code row}, or null (count atomically): made on the
     * carrier's first call in this window, and on its first call with a row.
     */
    static long[] counts(Stats row) {
        ThreadLocal<Object> l = local;
        if (l == null) return null;
        Tally t = current(l);
        if (t == null) return null;
        if (t.lastRow == row) return t.lastCounts;
        long[] c = t.counts(row); // may block on the tally's lock, and so leave this carrier
        if (l.get() != t) return null;
        t.lastRow = row;
        t.lastCounts = c;
        return c;
    }

    /**
     * {@link #counts(Stats)} for the row {@code o} caches: while the calling virtual thread runs on the carrier it
     * last counted {@code o} on, that carrier's counters without the carrier-local lookup (its map, table and
     * entry: four loads a syscall has likely pushed out of the cache).
     */
    static long[] counts(OpState.KeyState o, Stats row) {
        Thread carrier = Threads.carrier();
        if (carrier != null && carrier == o.countsCarrier) return o.cachedCounts;
        long[] c = counts(row);
        // Non-null: the thread is still on the carrier it was on when asked (else counts says null).
        o.countsCarrier = c == null ? null : carrier;
        o.cachedCounts = c;
        return c;
    }

    private static Tally current(ThreadLocal<Object> l) {
        Object o = l.get();
        if (o instanceof Tally t && t.epoch == Epoch.current) return t;
        if (MADE.get() >= MAX) return null;
        MADE.incrementAndGet();
        Tally t = Tally.registerCarrier();
        l.set(t);
        return t;
    }

    /** How many carrier threads virtual threads counted into in this window, or -1 when they count atomically. */
    public static int made() {
        return local == null ? -1 : MADE.get();
    }

    /** Forgets how many carriers made tallies ({@link Epoch#next}); their tallies go with {@link Tally#clear}. */
    static void clear() {
        MADE.set(0);
    }
}
