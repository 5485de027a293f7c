// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.boot.ThreadFaults;
import io.copytrace.kernel.perf.ThreadRusage;

/**
 * The probe's page-fault reader: {@code getrusage(RUSAGE_THREAD)} through the native bridge, loaded (with JNA)
 * on the first mapped-buffer call, so a program that never writes a mapping never loads it. Installed unless
 * {@code kernel=off}. A bridge that fails to load is not tried again: the calls are then recorded without faults.
 */
final class RusageFaults implements ThreadFaults {
    /** 0: not loaded yet, 1: loaded, -1: failed to load. */
    private static volatile int state;

    @Override
    public boolean read(long[] scratch) {
        int s = state;
        if (s == 0) s = load();
        return s > 0 && ThreadRusage.read(scratch);
    }

    /** Runs on an application thread inside its probe (busy), so JNA's own file I/O is not recorded. */
    private static synchronized int load() {
        if (state != 0) return state;
        try {
            NativeAccess.enable(); // JNA's native calls are restricted methods on JDK 22+
            ThreadRusage.read(new long[ThreadRusage.LONGS]);
            state = 1;
        } catch (Throwable t) {
            state = -1;
        }
        return state;
    }
}
