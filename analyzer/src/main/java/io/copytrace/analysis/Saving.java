// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

/**
 * What fixing a finding saves over the recorded window; also what a limitation costs ({@link Finding#cost()}),
 * counted the same way.
 *
 * @param cpuCopiedBytes bytes the CPU no longer copies
 * @param syscalls       syscalls no longer made
 * @param modeSwitches   user/kernel mode switches avoided (two per syscall)
 * @param pageFaults     minor page faults no longer taken (only faults the recording measured)
 * @param estimatedNanos estimated CPU time, from {@link HostCost}: an estimate, not a measurement
 */
public record Saving(long cpuCopiedBytes, long syscalls, long modeSwitches, long pageFaults, long estimatedNanos) {
    /** Nothing to save. */
    public static final Saving NONE = new Saving(0, 0, 0, 0, 0);

    /** A saving of copied bytes (streaming through memory) and syscalls, priced with {@code cost}; negative inputs count as 0. */
    public static Saving of(long cpuCopiedBytes, long syscalls, HostCost cost) {
        return of(cpuCopiedBytes, 0, syscalls, cost);
    }

    /**
     * A saving of copied bytes, {@code inCache} of which ran in the CPU cache (the JVM's copies of small chunks,
     * priced at {@link HostCost#cachedCopyBytesPerNano()}), and syscalls; negative inputs count as 0.
     */
    public static Saving of(long cpuCopiedBytes, long inCache, long syscalls, HostCost cost) {
        long bytes = Math.max(0, cpuCopiedBytes);
        long calls = Math.max(0, syscalls);
        return new Saving(bytes, calls, 2 * calls, 0, cost.nanos(bytes, inCache, calls));
    }

    /**
     * Small TCP sends no longer made, each priced at {@link HostCost#socketSendNanos()}: the batched bytes leave in
     * fewer segments, so a saved small send saves the stack's per-segment work too, not only the syscall.
     */
    public static Saving ofSmallSends(long sends, HostCost cost) {
        long calls = Math.max(0, sends);
        return new Saving(0, calls, 2 * calls, 0, Math.round(calls * cost.socketSendNanos()));
    }

    /** Minor page faults no longer taken, each priced at {@link HostCost#minorFaultNanos()}. */
    public static Saving ofMinorFaults(long faults, HostCost cost) {
        long n = Math.max(0, faults);
        return new Saving(0, 0, 0, n, Math.round(n * cost.minorFaultNanos()));
    }

    /**
     * This saving less what the fix's own path costs beyond what the saving already leaves out (a kernel file
     * copy's splice work, {@link HostCost#fileCopyOverheadNanos}): the estimate only, never below 0; the counted
     * copies and syscalls stay.
     */
    public Saving lessFixCost(long nanos) {
        return new Saving(cpuCopiedBytes, syscalls, modeSwitches, pageFaults, Math.max(0, estimatedNanos - Math.max(0, nanos)));
    }

    /** The sum of two savings. */
    public Saving plus(Saving other) {
        return new Saving(cpuCopiedBytes + other.cpuCopiedBytes, syscalls + other.syscalls,
                modeSwitches + other.modeSwitches, pageFaults + other.pageFaults, estimatedNanos + other.estimatedNanos);
    }

    /** True when there is nothing to save. */
    public boolean isNone() {
        return cpuCopiedBytes == 0 && syscalls == 0 && pageFaults == 0;
    }
}
