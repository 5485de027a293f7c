// SPDX-License-Identifier: Apache-2.0
package io.copytrace.profile;

/**
 * One frame of a sampled stack, as async-profiler's collapsed output with {@code ann} names it:
 * {@code _copy_to_iter_[k]} (kernel), {@code sun.nio.ch.IOUtil.write_[j]} (Java: {@code j} compiled,
 * {@code i} inlined, {@code 0} interpreted, {@code 1} C1), {@code jlong_disjoint_arraycopy_avx3} (native,
 * no annotation).
 *
 * @param name the frame without its annotation
 * @param type {@code 'k'} kernel, {@code 'J'} Java, {@code 'n'} native (JVM, libc, stubs)
 */
public record StackFrame(String name, char type) {
    /** Kernel frame. */
    public static final char KERNEL = 'k';
    /** Java frame (compiled, inlined, interpreted). */
    public static final char JAVA = 'J';
    /** Native frame: the JVM, libc, JNI code, stubs. */
    public static final char NATIVE = 'n';

    /** Parses one collapsed frame. */
    public static StackFrame parse(String frame) {
        int n = frame.length();
        if (n > 4 && frame.charAt(n - 1) == ']' && frame.charAt(n - 3) == '[' && frame.charAt(n - 4) == '_') {
            char a = frame.charAt(n - 2);
            return new StackFrame(frame.substring(0, n - 4), a == 'k' ? KERNEL : JAVA);
        }
        return new StackFrame(frame, NATIVE);
    }

    /** The frame as async-profiler's collapsed output names it ({@link #parse} reads it back). */
    public String annotated() {
        return type == KERNEL ? name + "_[k]" : type == JAVA ? name + "_[j]" : name;
    }

    /** True for kernel frames. */
    public boolean isKernel() {
        return type == KERNEL;
    }

    /** True for Java frames. */
    public boolean isJava() {
        return type == JAVA;
    }
}
