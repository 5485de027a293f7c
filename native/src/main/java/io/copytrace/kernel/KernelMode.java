// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

/** Where kernel numbers come from; the agent option {@code kernel=perf|sampled|proc|off}. */
public enum KernelMode {
    /** Try perf_event_open; fall back to /proc (with the reason recorded) when the kernel refuses. Exact counts. */
    PERF,
    /**
     * Like {@link #PERF}, but the syscall counters count only in slices of the window ({@link SlicePlan})
     * and the totals are extrapolated, each with a 95 % interval: cheaper per syscall, not exact.
     */
    SAMPLED,
    /** Read /proc only: no native code, no privilege. */
    PROC,
    /** Record nothing. */
    OFF
}
