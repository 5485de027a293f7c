// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

/**
 * What fixing a finding saves over the recorded window; also what a limitation costs ({@link Finding#cost()}),
 * counted the same way.
 *
 * @param cpuCopiedBytes bytes the CPU no longer copies
 * @param syscalls       syscalls no longer made
 * @param modeSwitches   user/kernel mode switches avoided (two per syscall)
 * @param estimatedNanos estimated CPU time, from {@link HostCost}: an estimate, not a measurement
 */
public record Saving(long cpuCopiedBytes, long syscalls, long modeSwitches, long estimatedNanos) {
    /** Nothing to save. */
    public static final Saving NONE = new Saving(0, 0, 0, 0);

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
        return new Saving(bytes, calls, 2 * calls, cost.nanos(bytes, inCache, calls));
    }

    /** The sum of two savings. */
    public Saving plus(Saving other) {
        return new Saving(cpuCopiedBytes + other.cpuCopiedBytes, syscalls + other.syscalls,
                modeSwitches + other.modeSwitches, estimatedNanos + other.estimatedNanos);
    }

    /** True when there is nothing to save. */
    public boolean isNone() {
        return cpuCopiedBytes == 0 && syscalls == 0;
    }
}
