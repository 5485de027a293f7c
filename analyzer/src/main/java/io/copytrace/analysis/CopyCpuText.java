// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.profile.CopyClass;
import io.copytrace.profile.CopyFrames;
import io.copytrace.profile.CpuProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The sentences every report format uses for a {@link CpuProfile}, so they say the same thing. */
public final class CopyCpuText {
    /** Call-site methods the human formats list. */
    public static final int TOP_METHODS = 10;
    /** Copy frames the human formats list. */
    public static final int TOP_FRAMES = 8;

    private CopyCpuText() {}

    /** One line: what was sampled, how much CPU, the copy share. */
    public static String headline(CpuProfile p) {
        if (p.isFailed()) return "CPU profile (profile=" + p.run().mode() + ") failed: " + p.error();
        return "CPU profile: " + Units.count(p.totalSamples()) + " samples every " + Units.nanos(p.run().intervalNanos())
                + " (" + Units.nanos(p.nanos(p.totalSamples())) + " of CPU, " + engine(p) + "); copying took "
                + Units.nanos(p.nanos(p.copyTotal())) + ", " + percent(p.share(p.copyTotal())) + " of it"
                + (p.run().kernelFrames() ? "" : " in user space (kernel share unknown)") + ".";
    }

    /** The engine in words. */
    public static String engine(CpuProfile p) {
        return switch (p.run().engine()) {
            case "perf_events" -> "perf events with kernel stacks";
            case "ctimer" -> "ctimer fallback, user frames only";
            case "itimer" -> "itimer, user frames only";
            default -> p.run().engine();
        };
    }

    /** Copy time per class: "kernel copy 294 ms (18.4%), JVM copy 57 ms (3.6%), …, syscall overhead unknown". */
    public static String byClass(CpuProfile p) {
        List<String> parts = new ArrayList<>();
        for (CopyClass c : CopyClass.values()) {
            if (!p.known(c)) {
                parts.add(c.label() + " unknown (no kernel frames)");
            } else {
                long n = p.copySamples().getOrDefault(c, 0L);
                parts.add(c.label() + " " + Units.nanos(p.nanos(n)) + " (" + percent(p.share(n)) + ")");
            }
        }
        return String.join(", ", parts);
    }

    /**
     * What copytrace's own code took of the profiled CPU, in words; null when not known. The probe's part is the
     * agent's direct cost on the application's hooked calls.
     */
    public static String ownCost(CpuProfile p) {
        if (p.isFailed() || p.own() == null) return null;
        return "copytrace's own code took " + Units.nanos(p.nanos(p.own().total())) + " (" + percent(p.share(p.own().total()))
                + " of the samples): " + percent(p.share(p.own().probe())) + " in its probe on the application's calls, "
                + percent(p.share(p.own().agentThreads())) + " on its own threads (not in it: the GC of its"
                + " allocations, the JIT's compiles of its code, its effect on caches).";
    }

    /** Where to look in the flame graph, or null without one. */
    public static String flameGraphHint(CpuProfile p) {
        if (p.isFailed() || p.run().flameGraph() == null) return null;
        return "Flame graph: " + p.run().flameGraph() + " (next to the recording; it opens with the copy frames"
                + " highlighted, \"Matched\" is their share; search (Ctrl+F) for " + CopyFrames.searchRegex() + ")";
    }

    /** The evidence line of a finding at {@code siteId}, or empty when there is no usable profile. */
    public static Optional<Prose> forSite(CpuProfile p, long siteId) {
        if (p.isFailed()) return Optional.empty();
        Optional<CpuProfile.MethodTime> found = p.forSite(siteId);
        if (found.isEmpty()) return Optional.of(Prose.of("no CPU sample reached this call site (less than ")
                .fig(Figure.SAMPLE_INTERVAL_NANOS, p.run().intervalNanos()).text(" of CPU)"));
        return Optional.of(method(p, found.get()));
    }

    /** "137 ms copying (8.6% of all CPU): kernel copy 103 ms, JVM copy 34 ms; 243 samples through the method". */
    public static Prose method(CpuProfile p, CpuProfile.MethodTime m) {
        Prose s = Prose.of(Figure.COPY_NANOS, p.nanos(m.copyTotal())).text(" copying (")
                .fig(Figure.SHARE_OF_CPU, p.share(m.copyTotal())).text(" of all CPU sampled)");
        List<Prose> parts = new ArrayList<>();
        for (CopyClass c : CopyClass.values()) {
            long n = m.copySamples().getOrDefault(c, 0L);
            if (n > 0) parts.add(new Prose().fact(Figure.COPY_CLASS, c.wireName()).text(c.label() + " ").fig(Figure.NANOS, p.nanos(n)));
        }
        if (!parts.isEmpty()) s.text(": ").items(Figure.COPY_CLASSES, ", ", parts);
        s.text("; ").fig(Figure.METHOD_CPU_NANOS, p.nanos(m.samples())).text(" of CPU in all under ")
                .fig(Figure.METHOD, m.method());
        if (m.siteIds().size() > 1) s.text(" (shared by its ").fig(Figure.METHOD_SITES, m.siteIds().size()).text(" call sites)");
        s.fact(Figure.KERNEL_KNOWN, p.run().kernelFrames());
        if (!p.run().kernelFrames()) s.text("; kernel copy time unknown (user frames only)");
        return s;
    }

    /** 0.2233 → "22.3%". */
    public static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
