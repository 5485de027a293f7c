// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.util.Arrays;

/**
 * A thread's last few distinct walked stacks (class, method and bytecode index per frame) with their text, so a
 * stack walked again is not formatted again: formatting (a StackTraceElement per frame, for file and line) is most
 * of a walk's cost. Several, not one: a thread that alternates between sites on one row key (a client reading a
 * response's headers at one line and its body at another) would otherwise format every walk.
 */
final class RecentStacks {
    static final int SIZE = 4;
    private final String[][] classes = new String[SIZE][];
    private final String[][] methods = new String[SIZE][];
    private final int[][] bcis = new int[SIZE][];
    private final String[][] texts = new String[SIZE][];
    /** The entry the next new stack replaces: the oldest. */
    private int next;

    /** The text kept for this stack, or null. */
    String[] find(String[] classNames, String[] methodNames, int[] byteCodeIndexes) {
        for (int i = 0; i < SIZE; i++) {
            if (texts[i] != null && Arrays.equals(byteCodeIndexes, bcis[i]) && Arrays.equals(classNames, classes[i])
                    && Arrays.equals(methodNames, methods[i])) {
                return texts[i];
            }
        }
        return null;
    }

    /**
     * Forgets every stack kept, for a new thread taking this over ({@link ThreadState#adopt}). The arrays are let go,
     * not emptied: sites and rows may hold the texts.
     */
    void clear() {
        Arrays.fill(classes, null);
        Arrays.fill(methods, null);
        Arrays.fill(bcis, null);
        Arrays.fill(texts, null);
        next = 0;
    }

    /** Keeps this stack's text in place of the oldest one kept. */
    void add(String[] classNames, String[] methodNames, int[] byteCodeIndexes, String[] text) {
        classes[next] = classNames;
        methods[next] = methodNames;
        bcis[next] = byteCodeIndexes;
        texts[next] = text;
        next = (next + 1) % SIZE;
    }
}
