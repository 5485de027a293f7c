// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Exact counters of one (call site, operation key) row: the shared counters (atomic adds: virtual threads,
 * and platform threads that have ended) plus every live platform thread's {@link Tally}. Endpoint names are
 * kept as a small bounded sample.
 */
public final class Stats extends Counters {
    /** Distinct endpoint names kept per row; more are counted, not kept. */
    public static final int MAX_NAMES = 8;

    public final int key;
    /** This row's number in {@link Flows} (0 when past the bound). */
    public final int id;
    /** Stripes of counters for virtual threads, {@link #STRIDE} longs apart (a cache line each and more). */
    static final int STRIPES = 4;
    static final int STRIDE = 16;
    /** Made on a virtual thread's first count here: rows only platform threads count into stay small. */
    private volatile AtomicLongArray striped;
    /** Distinct stacks kept per row. */
    public static final int MAX_STACKS = 4;
    // Rows of one site can come from different callers (a site is its top frame only): the stacks walked
    // for this row, each with the bytes its walked calls moved, so the heaviest caller can be shown. These lists
    // and the name lists below grow one element at a time: most rows keep one stack, one thread group and at most
    // one name of each kind, and 10,000 rows with room for the bounds took 1.3 MB more.
    private String[][] stacks = NO_STACKS;
    private long[] stackBytes = NO_BYTES;
    private static final String[][] NO_STACKS = {};
    private static final long[] NO_BYTES = {};
    private static final Object[] NONE = {};
    // Published whole (a grown copy, then the write), so a reader without the lock sees a full list complete.
    private volatile Object[] sourceNames = NONE;
    private volatile Object[] targetNames = NONE;
    /** Thread names seen on walked calls, digit runs folded ("pool-#-thread-#"): the row's thread groups. */
    private Object[] threadGroups = NONE;
    // Last names seen: a reference compare keeps the common case (same file or peer) lock-free.
    private Object lastSource;
    private Object lastTarget;

    Stats(int key) {
        super(Codes.COUNTERS);
        this.key = key;
        this.id = Flows.register(this);
    }

    /**
     * This row's totals: its shared counters plus the live threads' counts in {@code pending} (from one
     * {@link #pending()} taken for the whole recording, so every row is read at the same moment).
     */
    public long[] totals(Map<Object, long[]> pending) {
        long[] out = counted(pending);
        AtomicLongArray v = striped;
        if (v != null) {
            for (int i = 0; i < out.length; i++) for (int k = 0; k < STRIPES; k++) out[i] += v.get(k * STRIDE + i);
        }
        return out;
    }

    /**
     * The counters virtual threads add to atomically: {@link #STRIPES} copies, so that carriers counting into
     * one row at once do not all fight over one cache line; a thread picks a stripe by its tag.
     */
    AtomicLongArray stripes() {
        AtomicLongArray v = striped;
        if (v == null) {
            synchronized (this) {
                v = striped;
                if (v == null) striped = v = new AtomicLongArray(STRIPES * STRIDE);
            }
        }
        return v;
    }

    /**
     * What live platform threads (and carriers) have counted and not yet folded into the shared counters, per
     * row and per flow, read at one moment: pass it to {@link #totals} and {@link Flows#all}.
     */
    public static Map<Object, long[]> pending() {
        return Tally.pending();
    }

    /**
     * Notes the endpoint names of a call whose names differ from its thread's last ones; returns how many of them
     * did not fit (the caller counts them, {@link Codes#C_NAMES_DROPPED}). Once a list is full it never changes, so
     * a name is looked up in it without the lock: 10,000 threads each on its own file then only read this row, and
     * never take its cache line from the thread the other carrier runs (the lock word sits beside {@link #key}).
     */
    int noteNames(Object source, Object target) {
        if ((source == null || source == lastSource) && (target == null || target == lastTarget)) return 0;
        int sourceDropped = inFull(sourceNames, source);
        int targetDropped = inFull(targetNames, target);
        if (sourceDropped >= 0 && targetDropped >= 0) return sourceDropped + targetDropped;
        synchronized (this) {
            int dropped = 0;
            if (source != null) {
                lastSource = source;
                Object[] now = sourceNames;
                Object[] kept = with(now, source);
                if (kept == null) dropped++;
                else if (kept != now) sourceNames = kept;
            }
            if (target != null) {
                lastTarget = target;
                Object[] now = targetNames;
                Object[] kept = with(now, target);
                if (kept == null) dropped++;
                else if (kept != now) targetNames = kept;
            }
            return dropped;
        }
    }

    /**
     * Without the lock: 1 when {@code names} is full and lacks {@code name}, 0 when it has it or {@code name} is
     * null, -1 when the list may still take names: take the lock.
     */
    private static int inFull(Object[] names, Object name) {
        if (name == null) return 0;
        if (has(names, name)) return 0;
        return names.length == MAX_NAMES ? 1 : -1;
    }

    /**
     * {@code names} itself when it has {@code name}, a copy one longer with it when there is room, or null (full).
     * A new name (10,000 virtual threads, each on its own file) is told apart by its hash before any equals runs
     * over a full list: the names are JDK strings and addresses, whose hash codes are cached or cheap.
     */
    private static Object[] with(Object[] names, Object name) {
        if (has(names, name)) return names;
        if (names.length == MAX_NAMES) return null;
        Object[] more = java.util.Arrays.copyOf(names, names.length + 1);
        more[names.length] = name;
        return more;
    }

    private static boolean has(Object[] names, Object name) {
        int h = name.hashCode();
        for (Object n : names) {
            if (n == name || n.hashCode() == h && n.equals(name)) return true;
        }
        return false;
    }

    /** Notes a thread name group (see {@link ThreadState#threadGroup}); called on walked calls only. */
    synchronized void noteThread(String group) {
        Object[] kept = with(threadGroups, group);
        if (kept != null) threadGroups = kept;
    }

    /** Notes the stack of a walked call and the bytes it moved; called on walked calls only. */
    synchronized void noteStack(String[] stack, long bytes) {
        if (stack == null) return;
        for (int i = 0; i < stacks.length; i++) {
            if (java.util.Arrays.equals(stacks[i], stack)) {
                stackBytes[i] += bytes;
                return;
            }
        }
        if (stacks.length == MAX_STACKS) return;
        SiteTable.shareFrames(stack);
        int n = stacks.length;
        stacks = java.util.Arrays.copyOf(stacks, n + 1);
        stackBytes = java.util.Arrays.copyOf(stackBytes, n + 1);
        stacks[n] = stack;
        stackBytes[n] = bytes;
    }

    /** The kept stack whose walked calls moved the most bytes (the first one on ties), or null. */
    public synchronized String[] heaviestStack() {
        int best = -1;
        for (int i = 0; i < stacks.length; i++) {
            if (best < 0 || stackBytes[i] > stackBytes[best]) best = i;
        }
        return best < 0 ? null : stacks[best];
    }

    /** The thread name groups seen on walked calls. */
    public synchronized Object[] threadGroups() {
        return threadGroups.clone();
    }

    /** A copy of the source endpoint names kept so far. */
    public Object[] sourceNames() {
        return sourceNames.clone();
    }

    /** A copy of the target endpoint names kept so far. */
    public Object[] targetNames() {
        return targetNames.clone();
    }
}
