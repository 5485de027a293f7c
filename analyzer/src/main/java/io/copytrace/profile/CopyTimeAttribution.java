// SPDX-License-Identifier: Apache-2.0
package io.copytrace.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a window's CPU samples into a {@link CpuProfile}: classifies each sample by its copy frames
 * ({@link CopyFrames}) and gives it to the first recorded call-site method met walking from the leaf.
 * Samples carry {@code class.method} but no line, so sites are matched by method.
 */
public final class CopyTimeAttribution {
    /** With perf events, this many samples without one kernel frame means kernel stacks were withheld. */
    static final long KERNEL_EVIDENCE_SAMPLES = 200;

    /** A copy frame samples landed in, with the class its samples got. */
    private record Leaf(StackFrame frame, CopyClass copyClass) {}

    private CopyTimeAttribution() {}

    /**
     * Attributes {@code stacks} to the recording's sites.
     *
     * @param stacks     the window's samples
     * @param siteFrames site id → site frame ({@code class.method(File.java:line)}), application sites only
     * @param run        how the samples were taken; {@code kernelFrames} is corrected when no sample had one
     */
    public static CpuProfile attribute(CollapsedStacks stacks, Map<Long, String> siteFrames, CpuProfile.Run run) {
        Map<String, List<Long>> sitesByMethod = new LinkedHashMap<>();
        siteFrames.forEach((id, frame) -> sitesByMethod.computeIfAbsent(method(frame), k -> new ArrayList<>()).add(id));
        Map<String, long[]> byMethod = new HashMap<>(); // [0] all samples, [1 + ordinal] copy samples per class
        Map<CopyClass, Long> copy = new EnumMap<>(CopyClass.class);
        Map<Leaf, Long> leaves = new HashMap<>();
        long kernelSamples = 0;
        long unattributed = 0;
        for (CollapsedStacks.Stack s : stacks.stacks()) {
            CopyClass c = CopyFrames.classify(s.leafFirst());
            if (s.leafFirst().stream().anyMatch(StackFrame::isKernel)) kernelSamples += s.samples();
            String method = null;
            for (StackFrame f : s.leafFirst()) {
                if (f.isJava() && sitesByMethod.containsKey(f.name())) {
                    method = f.name();
                    break;
                }
            }
            if (method != null) {
                long[] m = byMethod.computeIfAbsent(method, k -> new long[1 + CopyClass.values().length]);
                m[0] += s.samples();
                if (c != null) m[1 + c.ordinal()] += s.samples();
            }
            if (c == null) continue;
            copy.merge(c, s.samples(), Long::sum);
            leaves.merge(new Leaf(s.leaf(), c), s.samples(), Long::sum);
            if (method == null) unattributed += s.samples();
        }
        List<String> warnings = new ArrayList<>(run.warnings());
        boolean kernelFrames = run.kernelFrames();
        if (kernelFrames && kernelSamples == 0 && stacks.samples() >= KERNEL_EVIDENCE_SAMPLES) {
            kernelFrames = false;
            warnings.add("no sample had a kernel frame: kernel stacks were not available, kernel copy time is unknown");
        }
        for (CopyClass c : CopyClass.values()) {
            if (kernelFrames || !c.needsKernelFrames()) copy.putIfAbsent(c, 0L);
            else copy.remove(c);
        }
        List<CpuProfile.MethodTime> methods = new ArrayList<>();
        for (Map.Entry<String, long[]> e : byMethod.entrySet()) {
            Map<CopyClass, Long> classes = new EnumMap<>(CopyClass.class);
            for (CopyClass c : CopyClass.values()) {
                if (kernelFrames || !c.needsKernelFrames()) classes.put(c, e.getValue()[1 + c.ordinal()]);
            }
            methods.add(new CpuProfile.MethodTime(e.getKey(), List.copyOf(sitesByMethod.get(e.getKey())),
                    e.getValue()[0], classes));
        }
        methods.sort(Comparator.comparingLong(CpuProfile.MethodTime::copyTotal).reversed()
                .thenComparing(Comparator.comparingLong(CpuProfile.MethodTime::samples).reversed())
                .thenComparing(CpuProfile.MethodTime::method));
        List<CpuProfile.FrameSamples> top = new ArrayList<>();
        for (Map.Entry<Leaf, Long> e : leaves.entrySet()) {
            Leaf l = e.getKey();
            if (!kernelFrames && l.copyClass().needsKernelFrames()) continue;
            top.add(new CpuProfile.FrameSamples(l.frame().name(), l.frame().isKernel(), l.copyClass(), e.getValue()));
        }
        top.sort(Comparator.comparingLong(CpuProfile.FrameSamples::samples).reversed()
                .thenComparing(CpuProfile.FrameSamples::frame));
        CpuProfile.Run corrected = new CpuProfile.Run(run.mode(), run.engine(), kernelFrames, run.intervalNanos(),
                run.profiler(), run.flameGraph(), List.copyOf(warnings));
        return new CpuProfile(corrected, stacks.samples(), kernelSamples, copy, List.copyOf(methods), unattributed,
                List.copyOf(top.subList(0, Math.min(CpuProfile.TOP_FRAMES, top.size()))), OwnSamples.count(stacks), null);
    }

    /** {@code class.method} of a site frame {@code class.method(File.java:line)}. */
    static String method(String siteFrame) {
        int paren = siteFrame.indexOf('(');
        return paren < 0 ? siteFrame : siteFrame.substring(0, paren);
    }
}
