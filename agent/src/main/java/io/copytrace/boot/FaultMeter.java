// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/**
 * The page faults a mapped-buffer operation takes: the mapping's pages fault in inside the call (a write's
 * copy from the mapping, load's touch of every page), charged to the calling thread. The thread's counters
 * are read on entry and at the finish of those operations only, so other calls pay nothing; not on virtual
 * threads, whose counters are their carrier's (one that may change, or run other virtual threads, while the
 * call parks), nor for folded operations (not recorded on their own). Allocation-free after a thread's first
 * measured call; a failing read leaves the call recorded without faults.
 */
final class FaultMeter {
    /** Reads a thread's page faults; null: not measured (kernel=off). */
    static volatile ThreadFaults reader;

    private FaultMeter() {}

    /** Notes the thread's page faults as {@code f} begins. */
    static void atEnter(Frame f) {
        ThreadFaults r = reader;
        ThreadState s = f.owner;
        if (r == null || s.virtual || f.folded) return;
        try {
            long[] u = s.faultScratch;
            if (u == null) s.faultScratch = u = new long[ThreadFaults.SCRATCH];
            if (!r.read(u)) return;
            f.rare().faultsMinor = u[0];
            f.rare().faultsMajor = u[1];
            f.rare().faultsSet = true;
        } catch (Throwable t) {
            f.rare().faultsSet = false;
        }
    }

    /** Turns the entry's readings into the faults {@code f} took, or drops them when the second read fails. */
    static void atFinish(Frame f) {
        f.rare().faultsSet = false;
        ThreadFaults r = reader;
        if (r == null) return;
        try {
            long[] u = f.owner.faultScratch;
            if (!r.read(u)) return;
            f.rare().faultsMinor = u[0] - f.faultsMinor;
            f.rare().faultsMajor = u[1] - f.faultsMajor;
            f.rare().faultsSet = f.faultsMinor >= 0 && f.faultsMajor >= 0;
        } catch (Throwable t) {
            f.rare().faultsSet = false;
        }
    }
}
