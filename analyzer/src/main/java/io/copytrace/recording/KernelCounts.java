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

    /** Reads the recording's {@code kernel} section leniently: a negative or non-number count is left out. */
    static Optional<KernelCounts> read(Object json) {
        if (!(json instanceof Map<?, ?> k)) return Optional.empty();
        String source = k.get("source") instanceof String s ? s : "off";
        String reason = k.get("fallbackReason") instanceof String s ? s
                : k.get("reason") instanceof String s ? s : null;
        return Optional.of(new KernelCounts(source, reason, longs(k.get("syscalls")), longs(k.get("counters")),
                longs(k.get("proc")), KernelThreads.read(k.get("threads"))));
    }

    private static Map<String, Long> longs(Object o) {
        if (!(o instanceof Map<?, ?> m)) return Map.of();
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        m.forEach((key, value) -> {
            if (value instanceof Long l && l >= 0) out.put(String.valueOf(key), l);
        });
        return java.util.Collections.unmodifiableMap(out);
    }
}
