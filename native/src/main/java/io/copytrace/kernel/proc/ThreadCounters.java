// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import java.util.Arrays;
import java.util.List;

/**
 * The per-thread numbers /proc keeps for free, in {@link #KEYS} order; -1 = unknown. Immutable.
 *
 * <p>{@code syscr}, {@code syscw}, {@code rchar}, {@code wchar}, {@code readBytes} and {@code writeBytes}
 * come from {@code io} ({@code read_bytes}/{@code write_bytes} are storage bytes: what the task made
 * the block layer fetch, and the page-cache pages it dirtied); the context switches from {@code status};
 * the faults from {@code stat}.
 */
public final class ThreadCounters {
    /** JSON keys of the values, in order. */
    public static final List<String> KEYS = List.of("syscr", "syscw", "rchar", "wchar", "readBytes", "writeBytes",
            "voluntaryContextSwitches", "nonvoluntaryContextSwitches", "pageFaultsMinor", "pageFaultsMajor");
    static final int SYSCR = 0;
    static final int SYSCW = 1;
    static final int RCHAR = 2;
    static final int WCHAR = 3;
    static final int READ_BYTES = 4;
    static final int WRITE_BYTES = 5;
    static final int VOLUNTARY = 6;
    static final int NONVOLUNTARY = 7;
    static final int MINOR_FAULTS = 8;
    static final int MAJOR_FAULTS = 9;
    /** The fields a process-wide file also gives (io and stat include exited threads; status does not). */
    static final int[] PROCESS_WIDE = {SYSCR, SYSCW, RCHAR, WCHAR, READ_BYTES, WRITE_BYTES, MINOR_FAULTS, MAJOR_FAULTS};

    /** All zero: the start of a thread born inside the window. */
    public static final ThreadCounters ZERO = new ThreadCounters(new long[KEYS.size()]);

    private final long[] values;

    ThreadCounters(long[] values) {
        this.values = values;
    }

    /** From the texts of {@code io}, {@code stat} and {@code status}; a null or unparsable text gives -1s. */
    static ThreadCounters parse(String io, ProcStat stat, String status) {
        long[] values = new long[KEYS.size()];
        Arrays.fill(values, -1);
        if (io != null) {
            values[SYSCR] = KeyValueLines.value(io, "syscr");
            values[SYSCW] = KeyValueLines.value(io, "syscw");
            values[RCHAR] = KeyValueLines.value(io, "rchar");
            values[WCHAR] = KeyValueLines.value(io, "wchar");
            values[READ_BYTES] = KeyValueLines.value(io, "read_bytes");
            values[WRITE_BYTES] = KeyValueLines.value(io, "write_bytes");
        }
        if (status != null) {
            values[VOLUNTARY] = KeyValueLines.value(status, "voluntary_ctxt_switches");
            values[NONVOLUNTARY] = KeyValueLines.value(status, "nonvoluntary_ctxt_switches");
        }
        if (stat != null) {
            values[MINOR_FAULTS] = stat.minorFaults();
            values[MAJOR_FAULTS] = stat.majorFaults();
        }
        return new ThreadCounters(values);
    }

    /** The value of {@link #KEYS}{@code [index]}, -1 when unknown. */
    public long get(int index) {
        return values[index];
    }

    /** The value under a {@link #KEYS} name, -1 when unknown. */
    public long get(String key) {
        int index = KEYS.indexOf(key);
        return index < 0 ? -1 : values[index];
    }

    /** Storage bytes plus characters read and written: the ranking key of groups and threads. */
    long weight() {
        return Math.max(0, values[RCHAR]) + Math.max(0, values[WCHAR]) + Math.max(0, values[READ_BYTES])
                + Math.max(0, values[WRITE_BYTES]);
    }

    long syscalls() {
        return Math.max(0, values[SYSCR]) + Math.max(0, values[SYSCW]);
    }

    /** Every counter known and 0: a thread that did nothing in the window. */
    boolean isZero() {
        for (long v : values) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    /** This minus {@code start}, field by field; unknown stays unknown. */
    ThreadCounters minus(ThreadCounters start) {
        long[] out = new long[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = KeyValueLines.delta(values[i], start.values[i]);
        }
        return new ThreadCounters(out);
    }

    /** True when some known value is below {@code start}'s: not the same thread (a reused tid). */
    boolean below(ThreadCounters start) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= 0 && start.values[i] >= 0 && values[i] < start.values[i]) {
                return true;
            }
        }
        return false;
    }

    long[] toArray() {
        return values.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ThreadCounters that && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "ThreadCounters" + Arrays.toString(values);
    }
}
