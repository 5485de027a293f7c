// SPDX-License-Identifier: Apache-2.0
package io.copytrace.profile;

import java.util.List;
import java.util.Locale;

/**
 * The one list of frames that copy data, and the rules that classify a CPU sample by them. A sample is
 * classified by the frame it landed in (its leaf), with two looks further up: a libc/JVM copy called from
 * {@code jni_*ArrayRegion} is a JNI copy, and a sample whose innermost Java frame is a JDK cipher is TLS
 * crypto. User-space copies count only on stacks with a Java frame: without one they are the JVM's own
 * (GC evacuation, JIT compiler), not the application's data. docs/profiling.md mirrors these lists; tests run them on profiles captured on JDK 17 and 25.
 */
public final class CopyFrames {
    /**
     * Kernel routines that copy between user and kernel memory (name prefixes). Including the hardened
     * usercopy checks every {@code copy_to_user}/{@code copy_from_user} runs on this kernel.
     */
    static final List<String> KERNEL_COPY = List.of(
            "copy_user_",                 // copy_user_enhanced_fast_string, copy_user_generic_* (older kernels)
            "rep_movs_alternative",       // the x86 user copy of 6.x kernels
            "_copy_to_iter", "_copy_from_iter", // socket and pipe reads/writes (nocache/flushcache variants too)
            "copy_page_to_iter", "copy_page_from_iter", // page cache reads/writes
            "copy_folio_from_iter",       // copy_folio_from_iter_atomic: page cache writes (6.x)
            "copy_folio_to_iter",
            "copy_to_user", "copy_from_user", "_copy_to_user", "_copy_from_user", "raw_copy_",
            "copy_mc_",                   // machine-check safe copies (pmem, some page cache paths)
            "copy_page",                  // whole-page copies (copy_page, copy_page_range is not one: see below)
            "csum_partial_copy",          // copy + checksum
            "simple_copy_to_iter",
            "memcpy", "__memcpy", "memcpy_orig", "memcpy_erms", "__memmove", "memmove",
            "__check_object_size", "check_heap_object"); // hardened usercopy checks of each copy
    /** Kernel prefixes that look like copies but are not (page table copies at fork). */
    static final List<String> KERNEL_NOT_COPY = List.of("copy_page_range", "copy_pte_range", "copy_pmd_range");

    /** Kernel self time of entering and leaving the kernel (name prefixes). */
    static final List<String> SYSCALL_OVERHEAD = List.of(
            "entry_SYSCALL_64", "entry_SYSRETQ", "syscall_return_via_sysret", "do_syscall_64", "x64_sys_call",
            "syscall_exit_to_user_mode", "syscall_enter_from_user_mode", "exit_to_user_mode_prepare",
            "arch_exit_to_user_mode_prepare", "fpregs_restore_userregs", "switch_fpu_return");

    /** User-space copies of the JVM and libc: stubs, runtime functions, native methods (name prefixes). */
    static final List<String> JVM_COPY = List.of(
            "Unsafe_CopyMemory", "Unsafe_CopySwapMemory", // Unsafe.copyMemory not intrinsified
            "Copy::", "_Copy_",                           // HotSpot's Copy routines
            "TypeArrayKlass::copy_array", "JVM_ArrayCopy",
            "memcpy", "memmove", "__memcpy", "__memmove", "__mempcpy", "mempcpy", // libc (any ifunc variant)
            "java.lang.System.arraycopy", "jdk.internal.misc.Unsafe.copyMemory0",
            "jdk.internal.misc.Unsafe.copySwapMemory0");
    /** Any frame containing this is a JVM copy: the arraycopy stubs ({@code jlong_disjoint_arraycopy_avx3}…). */
    static final String ARRAYCOPY = "arraycopy";

    /** JNI functions that copy a Java array region (java.io, socket streams, datagrams). */
    static final List<String> JNI_COPY = List.of(
            "jni_GetByteArrayRegion", "jni_SetByteArrayRegion", "jni_GetCharArrayRegion", "jni_SetCharArrayRegion",
            "jni_GetIntArrayRegion", "jni_SetIntArrayRegion", "jni_GetLongArrayRegion", "jni_SetLongArrayRegion");

    /** AES and GHASH intrinsic stubs (native frames; matched lower-case, anywhere in the name). */
    static final List<String> TLS_STUBS = List.of("aescrypt", "galoiscountermode", "ghash", "countermode_aes",
            "cipherblockchaining", "electroniccodebook", "poly1305", "chacha20");
    /** Java packages whose code is TLS record crypto, when a sample's innermost Java frame is in one. */
    static final List<String> TLS_JAVA = List.of("com.sun.crypto.provider.");

    /** How far above a libc/JVM copy to look for the JNI function that called it. */
    private static final int JNI_CALLER_DEPTH = 4;

    private CopyFrames() {}

    /** The class of a sample by its stack (leaf first), or null when it is not copying. */
    public static CopyClass classify(List<StackFrame> leafFirst) {
        if (leafFirst.isEmpty()) return null;
        StackFrame leaf = leafFirst.get(0);
        if (leaf.isKernel()) {
            if (kernelCopy(leaf.name())) return CopyClass.KERNEL_COPY;
            if (startsWithAny(leaf.name(), SYSCALL_OVERHEAD)) return CopyClass.SYSCALL_OVERHEAD;
            return null;
        }
        // A user-space copy on a stack without Java frames is the JVM's own work (GC evacuation, the compiler).
        if (!hasJavaFrame(leafFirst)) return null;
        if (startsWithAny(leaf.name(), JNI_COPY)) return CopyClass.JNI_COPY;
        if (jvmCopy(leaf.name())) {
            for (int i = 1; i < Math.min(leafFirst.size(), 1 + JNI_CALLER_DEPTH); i++) {
                StackFrame f = leafFirst.get(i);
                if (f.isJava()) break;
                if (startsWithAny(f.name(), JNI_COPY)) return CopyClass.JNI_COPY;
            }
            return CopyClass.JVM_COPY;
        }
        if (!leaf.isJava() && containsAny(leaf.name().toLowerCase(Locale.ROOT), TLS_STUBS)) return CopyClass.TLS_CRYPTO;
        for (StackFrame f : leafFirst) {
            if (f.isJava()) return startsWithAny(f.name(), TLS_JAVA) ? CopyClass.TLS_CRYPTO : null;
        }
        return null;
    }

    /** True for a kernel frame name that copies user data. */
    static boolean kernelCopy(String name) {
        return startsWithAny(name, KERNEL_COPY) && !startsWithAny(name, KERNEL_NOT_COPY);
    }

    /** True for a user-space frame name that copies (JVM stubs and runtime, libc, native methods). */
    static boolean jvmCopy(String name) {
        return name.contains(ARRAYCOPY) || startsWithAny(name, JVM_COPY);
    }

    /**
     * A regular expression matching the copy frames, for the flame graph's search box (async-profiler's
     * flame graph highlights the matches and shows their share).
     */
    public static String searchRegex() {
        return "copy_user_|rep_movs_alternative|_copy_(to|from)_iter|copy_page_(to|from)_iter|copy_folio_|copy_(to|from)_user"
                + "|copy_mc_|csum_partial_copy|memcpy|memmove|mempcpy|arraycopy|CopyMemory|CopySwapMemory|Copy::|_Copy_"
                + "|ArrayRegion|copyMemory|copy_array";
    }

    private static boolean hasJavaFrame(List<StackFrame> frames) {
        for (StackFrame f : frames) if (f.isJava()) return true;
        return false;
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        for (String p : prefixes) if (name.startsWith(p)) return true;
        return false;
    }

    private static boolean containsAny(String name, List<String> parts) {
        for (String p : parts) if (name.contains(p)) return true;
        return false;
    }
}
