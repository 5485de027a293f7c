// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the kernel saw the process do between {@link KernelMonitor#start} and {@link KernelMonitor#stop}.
 * Immutable. The schema of {@link #toJson()} is documented in {@code docs/kernel-counters.md}.
 */
public final class KernelWindow {
    private final String source;
    private final String fallbackReason;
    private final long windowStartEpochNanos;
    private final long windowEndEpochNanos;
    private final Map<String, Long> syscalls;
    private final Map<String, Long> counters;
    private final Map<String, Object> proc;
    private final Map<String, Object> perf;
    private final Map<String, Object> sampling;
    private final Map<String, Object> samples;
    private Map<String, Object> threads;

    KernelWindow(String source, String fallbackReason, long windowStartEpochNanos, long windowEndEpochNanos,
                 Map<String, Long> syscalls, Map<String, Long> counters, Map<String, Object> proc,
                 Map<String, Object> perf, Map<String, Object> sampling, Map<String, Object> samples) {
        this.source = source;
        this.fallbackReason = fallbackReason;
        this.windowStartEpochNanos = windowStartEpochNanos;
        this.windowEndEpochNanos = windowEndEpochNanos;
        this.syscalls = Collections.unmodifiableMap(new LinkedHashMap<>(syscalls));
        this.counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        this.proc = proc;
        this.perf = perf;
        this.sampling = sampling;
        this.samples = samples;
    }

    /** "perf" (exact counts), "perf-sampled" (counts extrapolated from slices), "proc" or "off". */
    public String source() {
        return source;
    }

    /** Why perf was not used (advice a user can act on), or null when perf worked or was not asked for. */
    public String fallbackReason() {
        return fallbackReason;
    }

    public long windowStartEpochNanos() {
        return windowStartEpochNanos;
    }

    public long windowEndEpochNanos() {
        return windowEndEpochNanos;
    }

    /**
     * Calls of {@code name} (e.g. "write", "sendfile64") in the window, or -1 when not counted. With source
     * "perf-sampled" an estimate; {@link #sampling()} has its interval.
     */
    public long syscallCount(String name) {
        return syscalls.getOrDefault(name, -1L);
    }

    /** Syscall counts by name, in {@link TracedSyscall} order; empty unless the source is perf. */
    public Map<String, Long> syscalls() {
        return syscalls;
    }

    /** contextSwitches, pageFaultsMinor, pageFaultsMajor from perf software events; empty unless perf. */
    public Map<String, Long> counters() {
        return counters;
    }

    /**
     * How the counts were extrapolated (slices, counted share, and per count {estimate, counted, low, high,
     * standardError}), or null when they are exact or absent. A fresh copy.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> sampling() {
        return sampling == null ? null : (Map<String, Object>) deepCopy(sampling);
    }

    /** A /proc delta by key (e.g. "wchar", "syscw"), or -1 when unknown. */
    public long procValue(String key) {
        Object value = proc == null ? null : proc.get(key);
        return value instanceof Long ? (Long) value : -1;
    }

    /**
     * This window with the per-thread /proc view ({@code threads} of {@link #toJson()}, null when not
     * read). A copy, so windows stay immutable: {@code threads} is set only here, before the copy escapes.
     */
    public KernelWindow withThreads(Map<String, Object> threads) {
        KernelWindow copy = new KernelWindow(source, fallbackReason, windowStartEpochNanos, windowEndEpochNanos,
                syscalls, counters, proc, perf, sampling, samples);
        copy.threads = threads;
        return copy;
    }

    /** The per-thread /proc view as JSON (a fresh copy), or null when it was not read. */
    public Map<String, Object> threads() {
        return threads == null ? null : copyOf(threads);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copyOf(Map<String, Object> tree) {
        return (Map<String, Object>) deepCopy(tree);
    }

    /** Lost samples, or -1 when sampling was off. */
    public long lostSamples() {
        Object value = samples.get("lost");
        return value instanceof Long ? (Long) value : -1;
    }

    /**
     * A JSON-ready tree: only String, Boolean, Long/Integer, null, List and LinkedHashMap values, keys in
     * a stable order. A fresh copy on every call.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("source", source);
        json.put("fallbackReason", fallbackReason);
        json.put("windowStartEpochNanos", windowStartEpochNanos);
        json.put("windowEndEpochNanos", windowEndEpochNanos);
        json.put("syscalls", new LinkedHashMap<String, Object>(syscalls));
        json.put("counters", new LinkedHashMap<String, Object>(counters));
        json.put("sampling", deepCopy(sampling));
        json.put("proc", deepCopy(proc));
        json.put("perf", deepCopy(perf));
        json.put("samples", deepCopy(samples));
        json.put("threads", deepCopy(threads));
        return json;
    }

    @SuppressWarnings("unchecked")
    private static Object deepCopy(Object value) {
        if (value instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            // A loop, no lambda: see ThreadWindow's orders.
            for (Map.Entry<String, Object> e : ((Map<String, Object>) value).entrySet()) {
                copy.put(e.getKey(), deepCopy(e.getValue()));
            }
            return copy;
        }
        if (value instanceof java.util.List) {
            java.util.List<Object> copy = new java.util.ArrayList<>();
            for (Object item : (java.util.List<Object>) value) {
                copy.add(deepCopy(item));
            }
            return copy;
        }
        return value;
    }

    @Override
    public String toString() {
        return "KernelWindow" + toJson();
    }
}
