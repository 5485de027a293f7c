// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.boot.Probe;
import io.copytrace.boot.ThreadFaults;
import io.copytrace.kernel.perf.ThreadRusage;

/**
 * The probe's page-fault reader: {@code getrusage(RUSAGE_THREAD)} through the native bridge, loaded (with JNA,
 * ~90 ms and ~11 MiB) on an agent thread when the first mapped-buffer call asks, so a program that never writes a
 * mapping never loads it and no application thread waits for it: calls made while it loads are recorded without
 * faults (the record's {@code pageFaultCalls} says how many were measured). Installed unless {@code kernel=off}.
 * A bridge that fails to load is not tried again.
 */
final class RusageFaults implements ThreadFaults {
    /** 0: not asked yet, 2: loading, 1: loaded, -1: failed to load. */
    private static volatile int state;

    @Override
    public boolean read(long[] scratch) {
        int s = state;
        if (s == 0) startLoading();
        return s == 1 && ThreadRusage.read(scratch);
    }

    private static synchronized void startLoading() {
        if (state != 0) return;
        state = 2;
        Thread t = new Thread(() -> {
            Probe.suppressCurrentThread(); // the agent's own: JNA's file I/O is not recorded
            try {
                NativeAccess.enable(); // JNA's native calls are restricted methods on JDK 22+
                ThreadRusage.read(new long[ThreadRusage.LONGS]);
                state = 1;
            } catch (Throwable e) {
                state = -1;
            }
        }, "copytrace-faults");
        t.setDaemon(true);
        t.start();
    }
}
