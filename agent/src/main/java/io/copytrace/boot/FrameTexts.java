// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/**
 * Frame texts ("Class.method(File.java:12)") by class, method and bytecode index, shared by every thread: a new
 * thread's first walk of a stack other threads walked makes no StackTraceElement (file and line) and no string, which
 * were a fifth to a quarter of such a walk in the broker bench's profile. A fixed table; a colliding frame replaces the
 * one kept. Entries are immutable and published by a plain store (final fields): a racing reader sees a whole entry or
 * the one before. Two classes of one name in two loaders share texts, as sites already share them by text.
 */
final class FrameTexts {
    private static final int SIZE = 4096;
    private static final Entry[] TABLE = new Entry[SIZE];

    private static final class Entry {
        final String className;
        final String methodName;
        final int bci;
        final String text;

        Entry(String className, String methodName, int bci, String text) {
            this.className = className;
            this.methodName = methodName;
            this.bci = bci;
            this.text = text;
        }
    }

    private FrameTexts() {}

    /** The frame's text, made once per class, method and bytecode index while the table keeps it. */
    static String of(StackWalker.StackFrame f, String className, String methodName, int bci) {
        int h = (className.hashCode() * 31 + methodName.hashCode()) * 31 + bci;
        int i = (h ^ h >>> 16) & (SIZE - 1);
        Entry e = TABLE[i];
        if (e != null && e.bci == bci && e.methodName.equals(methodName) && e.className.equals(className)) {
            return e.text;
        }
        String text = format(f);
        TABLE[i] = new Entry(className, methodName, bci, text);
        return text;
    }

    /** Forgets every text ({@link SiteTable#clear}). */
    static void clear() {
        java.util.Arrays.fill(TABLE, null);
    }

    static String format(StackWalker.StackFrame f) {
        String file = f.getFileName();
        int line = f.getLineNumber();
        return f.getClassName() + '.' + f.getMethodName() + '('
                + (file == null ? "Unknown Source" : file + (line >= 0 ? ":" + line : "")) + ')';
    }
}
