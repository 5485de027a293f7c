// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Flows: bytes a write drained from memory that a recorded read filled, per (reading row, writing row,
 * handed to another thread or not, copied by a framework on the way or not), and the bytes written whose
 * source is unknown (row 0). Rows get a small id here so that fills can name them in one long.
 */
public final class Flows {
    /** Distinct flows kept; bytes of further ones are counted in {@link #droppedBytes}. */
    public static final int MAX_FLOWS = 4096;
    /** Counter slots of a flow. */
    public static final int BYTES = 0;
    public static final int CALLS = 1;

    private static Stats[] rows = new Stats[256];
    private static int rowCount = 1; // id 0: unknown source
    private static final ConcurrentHashMap<Long, FlowCounts> FLOWS = new ConcurrentHashMap<>();

    /** One flow's counters ({@link #BYTES}, {@link #CALLS}), counted per thread like a row's. */
    static final class FlowCounts extends Counters {
        final long key;

        FlowCounts(long key) {
            super(2);
            this.key = key;
        }
    }
    private static final AtomicLong DROPPED = new AtomicLong();

    private Flows() {}

    /** Forgets every row id and flow ({@link Epoch#next}). */
    static synchronized void clear() {
        rows = new Stats[256];
        rowCount = 1;
        FLOWS.clear();
        DROPPED.set(0);
    }

    /** Gives a row its id; ids past 2^23 are 0 (their fills count as unknown). */
    static synchronized int register(Stats row) {
        if (rowCount >= 1 << 23) return 0;
        if (rowCount == rows.length) rows = java.util.Arrays.copyOf(rows, rows.length * 2);
        rows[rowCount] = row;
        return rowCount++;
    }

    /** The row with this id, or null (0: unknown source). */
    public static synchronized Stats row(int id) {
        return id > 0 && id < rowCount ? rows[id] : null;
    }

    /**
     * Counts {@code bytes} written by {@code to} on thread {@code s} from a fill's {@code source}: a platform
     * thread into its own tally (plain stores), a virtual thread atomically.
     */
    static void add(ThreadState s, long source, Stats to, long bytes) {
        int from = Provenance.rowOf(source);
        boolean handedOff = from != 0 && Provenance.tagOf(source) != 0 && Provenance.tagOf(source) != s.tag;
        long key = from | (long) to.id << 23 | (handedOff ? 1L << 46 : 0)
                | ((source & Provenance.VIA_COPY) != 0 ? 1L << 47 : 0)
                | ((source & Provenance.VIA_TLS) != 0 ? 1L << 48 : 0);
        FlowCounts c = s.lastFlowKey == key ? s.lastFlow : null;
        if (c == null) {
            c = FLOWS.get(key);
            if (c == null) {
                if (FLOWS.size() >= MAX_FLOWS) {
                    DROPPED.addAndGet(bytes);
                    return;
                }
                c = FLOWS.computeIfAbsent(key, FlowCounts::new);
            }
            s.lastFlowKey = key;
            s.lastFlow = c;
            s.lastFlowCounts = s.virtual ? null : s.tally().counts(c);
        }
        long[] mine = s.lastFlowCounts;
        if (mine != null) {
            Tally.add(mine, BYTES, bytes);
            Tally.add(mine, CALLS, 1);
        } else {
            java.util.concurrent.atomic.AtomicLongArray shared = c.shared();
            shared.getAndAdd(BYTES, bytes);
            shared.getAndIncrement(CALLS);
        }
    }

    /** One flow as the recording writer sees it. */
    public record Flow(Stats from, Stats to, boolean handedOff, boolean viaCopy, boolean viaTls, long bytes,
                       long calls) {}

    /** Every flow so far (from = null: source unknown), with the live threads' counts in {@code pending} ({@link Stats#pending}). */
    public static List<Flow> all(Map<Object, long[]> pending) {
        List<Flow> out = new ArrayList<>();
        for (FlowCounts c : FLOWS.values()) {
            long k = c.key;
            Stats to = row((int) (k >>> 23) & 0x7FFFFF);
            if (to == null) continue;
            long[] n = c.counted(pending);
            out.add(new Flow(row((int) k & 0x7FFFFF), to, (k >>> 46 & 1) != 0, (k >>> 47 & 1) != 0,
                    (k >>> 48 & 1) != 0, n[BYTES], n[CALLS]));
        }
        return out;
    }

    /** Every flow's counters (tests). */
    static List<FlowCounts> counts() {
        return new ArrayList<>(FLOWS.values());
    }

    /** Bytes of flows not kept past {@link #MAX_FLOWS}. */
    public static long droppedBytes() {
        return DROPPED.get();
    }

    /** Bytes of fills not tracked: too large to track whole, or a page whose bucket stayed busy. */
    public static long untrackedFillBytes() {
        return Provenance.UNTRACKED.get();
    }

    /**
     * True when reads count the heap arrays they fill for the first time (rows' {@code freshArrays}): flows are on
     * and this JVM's object headers can be read ({@link Headers}). Asking first also runs the headers' self-test.
     */
    public static boolean freshArraysCounted() {
        return Probe.flows && Headers.WORKS;
    }

    /** True when flows are recorded: the option is on and the JDK let the probe locate buffer memory. */
    public static boolean enabled() {
        return Probe.flows;
    }
}
