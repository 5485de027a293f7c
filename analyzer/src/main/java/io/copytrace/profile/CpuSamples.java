// SPDX-License-Identifier: Apache-2.0
package io.copytrace.profile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recording's {@code profile} section as the agent writes it (format 3): the window's CPU samples as
 * async-profiler collapsed them, and how they were taken. Facts only: which samples are copies and which
 * call site they belong to is decided when the recording is read ({@link #attribute}), so a newer analyzer
 * classifies an old profile with its own list of copy frames.
 *
 * @param run    how the samples were taken, as the profiler reported it
 * @param error  why there are no samples, or null
 * @param stacks the distinct stacks and their sample counts
 */
public record CpuSamples(CpuProfile.Run run, String error, CollapsedStacks stacks) {

    /** No samples: {@code error} says why. */
    public static CpuSamples failed(String mode, String error) {
        return new CpuSamples(new CpuProfile.Run(mode, null, false, 0, null, null, List.of()), error,
                CollapsedStacks.parse(""));
    }

    /** The copy time per kind and per call site: {@code siteFrames} maps application site id → site frame. */
    public CpuProfile attribute(Map<Long, String> siteFrames) {
        return error != null ? CpuProfile.failed(run.mode(), error)
                : CopyTimeAttribution.attribute(stacks, siteFrames, run);
    }

    /**
     * The section: how the samples were taken, then {@code frames} (each distinct frame once, with
     * async-profiler's {@code _[k]}/{@code _[j]} annotation) and {@code stacks} (per distinct stack: its
     * sample count, then its frames' indexes from the leaf).
     */
    public Map<String, Object> toJson() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mode", run.mode());
        if (error != null) {
            p.put("error", error);
            return p;
        }
        run.putHead(p);
        p.put("flameGraph", run.flameGraph());
        p.put("warnings", new ArrayList<Object>(run.warnings()));
        p.put("totalSamples", stacks.samples());
        Map<StackFrame, Integer> index = new LinkedHashMap<>();
        List<Object> out = new ArrayList<>();
        for (CollapsedStacks.Stack s : stacks.stacks()) {
            List<Object> row = new ArrayList<>(1 + s.leafFirst().size());
            row.add(s.samples());
            for (StackFrame f : s.leafFirst()) row.add((long) index.computeIfAbsent(f, k -> index.size()));
            out.add(row);
        }
        List<Object> frames = new ArrayList<>();
        for (StackFrame f : index.keySet()) frames.add(f.annotated());
        p.put("frames", frames);
        p.put("stacks", out);
        return p;
    }

    /** Reads the section; a stack naming a frame that is not there is dropped, counts below 1 are skipped. */
    public static CpuSamples fromJson(Map<?, ?> p) {
        if (p.get("error") != null) return failed(CpuProfile.text(p.get("mode"), "cpu"), String.valueOf(p.get("error")));
        CpuProfile.Run run = CpuProfile.Run.fromJson(p);
        List<StackFrame> frames = new ArrayList<>();
        Map<String, StackFrame> interned = new HashMap<>();
        if (p.get("frames") instanceof List<?> l) {
            for (Object o : l) frames.add(interned.computeIfAbsent(String.valueOf(o), StackFrame::parse));
        }
        List<CollapsedStacks.Stack> stacks = new ArrayList<>();
        if (p.get("stacks") instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof List<?> row) || row.size() < 2 || !(row.get(0) instanceof Long n) || n < 1) continue;
                List<StackFrame> leafFirst = new ArrayList<>(row.size() - 1);
                for (Object i : row.subList(1, row.size())) {
                    if (!(i instanceof Long k) || k < 0 || k >= frames.size()) {
                        leafFirst = null;
                        break;
                    }
                    leafFirst.add(frames.get((int) (long) k));
                }
                if (leafFirst != null) stacks.add(new CollapsedStacks.Stack(List.copyOf(leafFirst), n));
            }
        }
        return new CpuSamples(run, null, CollapsedStacks.of(stacks));
    }
}
