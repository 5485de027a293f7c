// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import java.util.Map;
import java.util.Optional;

/**
 * What the kernel counted for the same window (the recording's optional {@code kernel} section,
 * described in {@code docs/kernel-counters.md}).
 *
 * @param source         {@code perf}, {@code proc} or {@code off}
 * @param fallbackReason why a weaker source was used, or null
 * @param syscalls       syscall counts by kernel name (perf only; empty otherwise)
 * @param counters       contextSwitches, pageFaultsMinor, pageFaultsMajor (perf only)
 * @param proc           /proc/self/io deltas: rchar, wchar, syscr, syscw (may be empty)
 * @param threads        the per-thread /proc view, or null (older recordings, kernel=off)
 */
public record KernelCounts(String source, String fallbackReason, Map<String, Long> syscalls,
                           Map<String, Long> counters, Map<String, Long> proc, KernelThreads threads) {
    /** Without the per-thread view, as recordings before it. */
    public KernelCounts(String source, String fallbackReason, Map<String, Long> syscalls, Map<String, Long> counters,
                        Map<String, Long> proc) {
        this(source, fallbackReason, syscalls, counters, proc, null);
    }

    /** The per-thread view, when the recording has one. */
    public Optional<KernelThreads> threadView() {
        return Optional.ofNullable(threads);
    }

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
