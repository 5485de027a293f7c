// SPDX-License-Identifier: Apache-2.0
package io.copytrace.profile;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recording's {@code profile} section: how much CPU the window's copies took, by kind and by call site,
 * from async-profiler CPU samples (schema: docs/recording-format.md, meaning: docs/profiling.md). The agent
 * writes it with {@link #toJson()}, the analyzer reads it with {@link #fromJson(Map)}.
 *
 * @param run            how the profile was taken
 * @param totalSamples   all CPU samples of the window (every thread)
 * @param kernelSamples  samples whose stack has at least one kernel frame
 * @param copySamples    samples per copy class; a class that needs kernel frames is absent when there were none
 * @param methods        copy time per call-site method, most copy samples first
 * @param unattributed   copy samples with no recorded call site on their stack
 * @param topCopyFrames  the copy frames samples landed in, most samples first (at most {@link #TOP_FRAMES})
 * @param own            the samples in copytrace's own code; null when not known (a report written before)
 * @param error          why there is no profile (then everything else is empty), or null
 */
public record CpuProfile(Run run, long totalSamples, long kernelSamples, Map<CopyClass, Long> copySamples,
                         List<MethodTime> methods, long unattributed, List<FrameSamples> topCopyFrames,
                         OwnSamples own, String error) {
    /** Copy frames listed in {@code topCopyFrames}. */
    public static final int TOP_FRAMES = 20;

    /**
     * How the profile was taken.
     *
     * @param mode          the {@code profile} option ({@code cpu}, {@code itimer})
     * @param engine        the sampling engine that ran: {@code perf_events} (with kernel stacks),
     *                      {@code ctimer} (async-profiler's fallback when perf events are refused), {@code itimer}
     * @param kernelFrames  true when samples carry kernel frames, so kernel copy time is measured
     * @param intervalNanos CPU time per sample
     * @param profiler      the profiler and its version
     * @param flameGraph    the flame graph file name next to the recording, or null
     * @param warnings      what the profiler or the agent warned about
     */
    public record Run(String mode, String engine, boolean kernelFrames, long intervalNanos, String profiler,
                      String flameGraph, List<String> warnings) {
        /** Writes how the profile was taken: mode, engine, kernelFrames, intervalNanos, profiler. */
        void putHead(Map<String, Object> p) {
            p.put("engine", engine);
            p.put("kernelFrames", kernelFrames);
            p.put("intervalNanos", intervalNanos);
            p.put("profiler", profiler);
        }

        /** Reads how a written profile section was taken (missing values: defaults). */
        static Run fromJson(Map<?, ?> p) {
            List<String> warnings = new ArrayList<>();
            if (p.get("warnings") instanceof List<?> l) for (Object o : l) warnings.add(String.valueOf(o));
            return new Run(text(p.get("mode"), "cpu"), text(p.get("engine"), "unknown"),
                    Boolean.TRUE.equals(p.get("kernelFrames")), number(p.get("intervalNanos")),
                    text(p.get("profiler"), "async-profiler"), p.get("flameGraph") instanceof String s ? s : null,
                    List.copyOf(warnings));
        }
    }

    /**
     * CPU samples attributed to one call-site method: a stack walked from its leaf reaches this method
     * before any other recorded site method. Sites in the same method share it (samples carry no line).
     *
     * @param method      {@code class.method}
     * @param siteIds     the recording's sites in this method
     * @param samples     all samples through the method
     * @param copySamples copy samples per class
     */
    public record MethodTime(String method, List<Long> siteIds, long samples, Map<CopyClass, Long> copySamples) {
        /** Copy samples of all classes. */
        public long copyTotal() {
            long n = 0;
            for (long v : copySamples.values()) n += v;
            return n;
        }
    }

    /** Samples that landed in one copy frame. */
    public record FrameSamples(String frame, boolean kernel, CopyClass copyClass, long samples) {}

    /** A profile that could not be taken: {@code error} says why. */
    public static CpuProfile failed(String mode, String error) {
        return new CpuProfile(new Run(mode, null, false, 0, null, null, List.of()), 0, 0, Map.of(), List.of(), 0,
                List.of(), null, error);
    }

    /** True when the profile failed. */
    public boolean isFailed() {
        return error != null;
    }

    /** True when samples of this class can be measured (kernel classes need kernel frames). */
    public boolean known(CopyClass c) {
        return run.kernelFrames() || !c.needsKernelFrames();
    }

    /** Copy samples over every measured class. */
    public long copyTotal() {
        long n = 0;
        for (long v : copySamples.values()) n += v;
        return n;
    }

    /** Samples × interval. */
    public long nanos(long samples) {
        return samples * run.intervalNanos();
    }

    /** {@code samples} as a share of all samples (0 without samples). */
    public double share(long samples) {
        return totalSamples <= 0 ? 0 : (double) samples / totalSamples;
    }

    /** The copy time of the method holding this site, if any sample reached it. */
    public Optional<MethodTime> forSite(long siteId) {
        for (MethodTime m : methods) if (m.siteIds().contains(siteId)) return Optional.of(m);
        return Optional.empty();
    }

    /** The section as the recording writes it. */
    public Map<String, Object> toJson() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mode", run.mode());
        if (error != null) {
            p.put("error", error);
            return p;
        }
        run.putHead(p);
        p.put("totalSamples", totalSamples);
        p.put("cpuNanos", nanos(totalSamples));
        p.put("samplesWithKernelFrames", kernelSamples);
        p.put("copySamples", classes(copySamples));
        p.put("copyShare", round(share(copyTotal())));
        List<Object> ms = new ArrayList<>();
        for (MethodTime m : methods) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("method", m.method());
            j.put("siteIds", new ArrayList<Object>(m.siteIds()));
            j.put("samples", m.samples());
            j.put("copySamples", m.copyTotal());
            j.put("copyNanos", nanos(m.copyTotal()));
            j.put("copyShare", round(share(m.copyTotal())));
            j.put("byClass", classes(m.copySamples()));
            ms.add(j);
        }
        p.put("sites", ms);
        p.put("unattributedCopySamples", unattributed);
        p.put("ownSamples", own == null ? null : own.toJson(this));
        List<Object> frames = new ArrayList<>();
        for (FrameSamples f : topCopyFrames) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("frame", f.frame());
            j.put("kernel", f.kernel());
            j.put("class", f.copyClass().wireName());
            j.put("samples", f.samples());
            frames.add(j);
        }
        p.put("topCopyFrames", frames);
        p.put("flameGraph", run.flameGraph());
        p.put("flameGraphSearch", CopyFrames.searchRegex());
        p.put("warnings", new ArrayList<Object>(run.warnings()));
        return p;
    }

    /** Writes every class: null for a class that needs the kernel frames this profile lacks. */
    private Map<String, Object> classes(Map<CopyClass, Long> counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (CopyClass c : CopyClass.values()) m.put(c.wireName(), known(c) ? counts.getOrDefault(c, 0L) : null);
        return m;
    }

    /** Reads the section leniently (unknown keys ignored, missing numbers 0). */
    public static CpuProfile fromJson(Map<?, ?> p) {
        if (p.get("error") != null) return failed(text(p.get("mode"), "cpu"), String.valueOf(p.get("error")));
        Run run = Run.fromJson(p);
        List<MethodTime> methods = new ArrayList<>();
        if (p.get("sites") instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof Map<?, ?> m)) continue;
                List<Long> ids = new ArrayList<>();
                if (m.get("siteIds") instanceof List<?> idl) for (Object id : idl) ids.add(number(id));
                methods.add(new MethodTime(text(m.get("method"), "?"), List.copyOf(ids), number(m.get("samples")),
                        classes(m.get("byClass"))));
            }
        }
        List<FrameSamples> frames = new ArrayList<>();
        if (p.get("topCopyFrames") instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof Map<?, ?> m)) continue;
                CopyClass c = CopyClass.of(text(m.get("class"), ""));
                if (c != null) {
                    frames.add(new FrameSamples(text(m.get("frame"), "?"), Boolean.TRUE.equals(m.get("kernel")), c,
                            number(m.get("samples"))));
                }
            }
        }
        return new CpuProfile(run, number(p.get("totalSamples")), number(p.get("samplesWithKernelFrames")),
                classes(p.get("copySamples")), List.copyOf(methods), number(p.get("unattributedCopySamples")),
                List.copyOf(frames), OwnSamples.fromJson(p.get("ownSamples")), null);
    }

    private static Map<CopyClass, Long> classes(Object o) {
        Map<CopyClass, Long> m = new EnumMap<>(CopyClass.class);
        if (o instanceof Map<?, ?> j) {
            j.forEach((k, v) -> {
                CopyClass c = CopyClass.of(String.valueOf(k));
                if (c != null && v instanceof Number n) m.put(c, n.longValue());
            });
        }
        return m;
    }

    static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    static String text(Object o, String fallback) {
        return o == null ? fallback : String.valueOf(o);
    }

    static double round(double d) {
        return Math.round(d * 10_000) / 10_000.0;
    }
}
