// SPDX-License-Identifier: Apache-2.0
package io.copytrace.profile;

/**
 * What a CPU sample was doing when it landed in a copy, by the frame it landed in
 * ({@link CopyFrames} knows which frames are which).
 */
public enum CopyClass {
    /** The kernel copying between user and kernel memory ({@code _copy_to_iter}, {@code copy_user_*}…). */
    KERNEL_COPY("kernelCopy", "kernel copy", true),
    /** The JVM or libc copying in user space (arraycopy stubs, {@code Unsafe.copyMemory}, {@code memmove}). */
    JVM_COPY("jvmCopy", "JVM copy", false),
    /** JNI array region copies of java.io and socket streams ({@code jni_GetByteArrayRegion}…). */
    JNI_COPY("jniCopy", "JNI copy", false),
    /** TLS record encryption and decryption (AES-GCM intrinsics, {@code com.sun.crypto.provider}). */
    TLS_CRYPTO("tlsCrypto", "TLS crypto", false),
    /** Entering and leaving the kernel ({@code entry_SYSCALL_64}, {@code syscall_exit_to_user_mode}…). */
    SYSCALL_OVERHEAD("syscallOverhead", "syscall overhead", true);

    private final String wireName;
    private final String label;
    private final boolean kernel;

    CopyClass(String wireName, String label, boolean kernel) {
        this.wireName = wireName;
        this.label = label;
        this.kernel = kernel;
    }

    /** The key in the recording's {@code profile.copySamples}. */
    public String wireName() {
        return wireName;
    }

    /** The name reports show. */
    public String label() {
        return label;
    }

    /** True when only kernel stacks can show it: unknown, not zero, without them. */
    public boolean needsKernelFrames() {
        return kernel;
    }

    /** The class with this wire name, or null. */
    public static CopyClass of(String wireName) {
        for (CopyClass c : values()) if (c.wireName.equals(wireName)) return c;
        return null;
    }
}
