// SPDX-License-Identifier: Apache-2.0
package io.copytrace.profile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The window's CPU samples in copytrace's own code: what the agent itself cost while the window was profiled,
 * measured, not estimated. A sample is the probe's when an application thread's stack passes through
 * copytrace's code (a hooked call being recorded, its kernel calls included), and an agent thread's when the
 * thread's own code (its first frame from the root past the JDK's thread plumbing) is copytrace's (warm-up,
 * checkpoints, metrics, the /proc readings). Not in either: the GC of what the agent allocates, the JIT's
 * compiles of its code, the advice glue inlined into the JDK's own methods, and what it does to the caches.
 *
 * @param probe        samples of application threads inside copytrace's code
 * @param agentThreads samples of copytrace's own threads
 */
public record OwnSamples(long probe, long agentThreads) {
    /** Samples of both kinds. */
    public long total() {
        return probe + agentThreads;
    }

    /** Counts {@code stacks}' samples in copytrace's code. */
    public static OwnSamples count(CollapsedStacks stacks) {
        long probe = 0;
        long threads = 0;
        for (CollapsedStacks.Stack s : stacks.stacks()) {
            List<StackFrame> frames = s.leafFirst();
            StackFrame entry = null;
            for (int i = frames.size() - 1; i >= 0 && entry == null; i--) {
                StackFrame f = frames.get(i);
                if (f.isJava() && !jdk(f.name())) entry = f;
            }
            if (entry != null && own(entry)) {
                threads += s.samples();
            } else {
                for (StackFrame f : frames) {
                    if (own(f)) {
                        probe += s.samples();
                        break;
                    }
                }
            }
        }
        return new OwnSamples(probe, threads);
    }

    /** A frame of the agent's code; copytrace's sample applications, benchmark and test workloads are applications. */
    static boolean own(StackFrame f) {
        String n = f.name();
        return f.isJava() && n.startsWith("io.copytrace.") && !n.startsWith("io.copytrace.samples.")
                && !n.startsWith("io.copytrace.bench.") && !n.startsWith("io.copytrace.agent.workloads.");
    }

    private static boolean jdk(String name) {
        return name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.") || name.startsWith("com.sun.");
    }

    /** As the report's {@code profile.ownSamples} writes it, with the share of {@code totalSamples}. */
    Map<String, Object> toJson(CpuProfile p) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("probe", probe);
        j.put("agentThreads", agentThreads);
        j.put("cpuNanos", p.nanos(total()));
        j.put("share", CpuProfile.round(p.share(total())));
        return j;
    }

    /** Reads {@link #toJson}; null when absent (a report from before it was measured). */
    static OwnSamples fromJson(Object o) {
        return o instanceof Map<?, ?> m ? new OwnSamples(CpuProfile.number(m.get("probe")),
                CpuProfile.number(m.get("agentThreads"))) : null;
    }
}
