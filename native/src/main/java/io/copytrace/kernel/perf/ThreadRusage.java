// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The calling thread's page-fault counters, from {@code getrusage(RUSAGE_THREAD)} ({@code <sys/resource.h>}):
 * the kernel's own per-thread {@code ru_minflt} and {@code ru_majflt}, the same numbers as fields 10 and 12 of
 * {@code /proc/thread-self/stat}, without opening a file. JNA direct mapping with a {@code long[]} as the
 * {@code struct rusage}: no Java allocation per call (~0.4 µs here). LP64 Linux only, like the rest of the bridge.
 */
public final class ThreadRusage {
    /** {@code RUSAGE_THREAD}: the calling thread only (Linux 2.6.26+). */
    static final int RUSAGE_THREAD = 1;
    /** {@code struct rusage} is two timevals and 14 longs: 18 longs on LP64. */
    public static final int LONGS = 18;
    // after ru_utime, ru_stime (2 longs each) and ru_maxrss, ru_ixrss, ru_idrss, ru_isrss
    private static final int MINFLT = 8;
    private static final int MAJFLT = 9;

    static {
        JnaStart.init();
        Native.register(ThreadRusage.class, NativeLibrary.getInstance("c"));
    }

    private ThreadRusage() {}

    private static native int getrusage(int who, long[] usage);

    /**
     * Reads the calling thread's counters into {@code usage} (at least {@link #LONGS} long): on true,
     * {@code usage[0]} is its minor and {@code usage[1]} its major page faults so far; false if the call failed.
     */
    public static boolean read(long[] usage) {
        if (getrusage(RUSAGE_THREAD, usage) != 0) return false;
        usage[0] = usage[MINFLT];
        usage[1] = usage[MAJFLT];
        return true;
    }
}
