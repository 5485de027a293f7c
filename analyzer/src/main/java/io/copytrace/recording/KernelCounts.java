// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import java.util.Map;

/**
 * What the kernel counted for the same window (the recording's optional {@code kernel} section,
 * described in {@code docs/kernel-counters.md}).
 *
 * @param source         {@code perf}, {@code proc} or {@code off}
 * @param fallbackReason why a weaker source was used, or null
 * @param syscalls       syscall counts by kernel name (perf only; empty otherwise)
 * @param counters       contextSwitches, pageFaultsMinor, pageFaultsMajor (perf only)
 * @param proc           /proc/self/io deltas: rchar, wchar, syscr, syscw (may be empty)
 */
public record KernelCounts(String source, String fallbackReason, Map<String, Long> syscalls,
                           Map<String, Long> counters, Map<String, Long> proc) {
    /** True when per-syscall counts exist. */
    public boolean hasSyscalls() {
        return !syscalls.isEmpty();
    }

    /** True when /proc read/write syscall totals exist. */
    public boolean hasProcCounts() {
        return proc.containsKey("syscr") && proc.containsKey("syscw");
    }

    /** A syscall count, 0 when the kernel section does not list it. */
    public long syscall(String name) {
        return syscalls.getOrDefault(name, 0L);
    }
}
