// SPDX-License-Identifier: Apache-2.0
package io.copytrace.profile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * async-profiler's collapsed output ({@code collapsed,ann,dot}): one line per distinct stack, frames from the
 * root to the leaf separated by {@code ;}, then a space and the number of samples.
 */
public final class CollapsedStacks {
    /** One distinct stack and how many samples landed on it. */
    public record Stack(List<StackFrame> leafFirst, long samples) {
        /** The frame the sample landed in. */
        public StackFrame leaf() {
            return leafFirst.get(0);
        }
    }

    private final List<Stack> stacks;
    private final long samples;

    private CollapsedStacks(List<Stack> stacks, long samples) {
        this.stacks = stacks;
        this.samples = samples;
    }

    /** Parses collapsed text; lines that are not {@code frames count} are skipped. */
    public static CollapsedStacks parse(String text) {
        // Frames repeat across stacks: share one StackFrame per distinct string.
        Map<String, StackFrame> interned = new HashMap<>();
        List<Stack> stacks = new ArrayList<>();
        long total = 0;
        for (String line : text.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (space <= 0) continue;
            long count;
            try {
                count = Long.parseLong(line.substring(space + 1).trim());
            } catch (NumberFormatException x) {
                continue;
            }
            String[] frames = line.substring(0, space).split(";");
            List<StackFrame> leafFirst = new ArrayList<>(frames.length);
            for (int i = frames.length - 1; i >= 0; i--) {
                if (!frames[i].isEmpty()) leafFirst.add(interned.computeIfAbsent(frames[i], StackFrame::parse));
            }
            if (leafFirst.isEmpty() || count <= 0) continue;
            stacks.add(new Stack(List.copyOf(leafFirst), count));
            total += count;
        }
        return new CollapsedStacks(List.copyOf(stacks), total);
    }

    /** Stacks already split into frames. */
    public static CollapsedStacks of(List<Stack> stacks) {
        long total = 0;
        for (Stack s : stacks) total += s.samples();
        return new CollapsedStacks(List.copyOf(stacks), total);
    }

    /** The distinct stacks. */
    public List<Stack> stacks() {
        return stacks;
    }

    /** All samples. */
    public long samples() {
        return samples;
    }
}
