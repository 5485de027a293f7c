// SPDX-License-Identifier: Apache-2.0
package io.copytrace.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The one list of copy frames, on single frames and on real profiles from JDK 17 and 25. */
class CopyFramesTest {
    private static CopyClass classify(String... rootFirst) {
        List<StackFrame> leafFirst = new ArrayList<>();
        for (int i = rootFirst.length - 1; i >= 0; i--) leafFirst.add(StackFrame.parse(rootFirst[i]));
        return CopyFrames.classify(leafFirst);
    }

    @Test
    void leavesAreClassifiedByTheOneList() {
        assertEquals(CopyClass.KERNEL_COPY, classify("tcp_recvmsg_[k]", "_copy_to_iter_[k]"));
        assertEquals(CopyClass.KERNEL_COPY, classify("generic_perform_write_[k]", "copy_folio_from_iter_atomic_[k]"));
        assertEquals(CopyClass.KERNEL_COPY, classify("rep_movs_alternative_[k]"));
        assertEquals(CopyClass.KERNEL_COPY, classify("copy_user_enhanced_fast_string_[k]"));
        assertNull(classify("copy_page_range_[k]"), "fork's page table copy is not a data copy");
        assertEquals(CopyClass.SYSCALL_OVERHEAD, classify("entry_SYSCALL_64_after_hwframe_[k]", "do_syscall_64_[k]"));
        assertEquals(CopyClass.SYSCALL_OVERHEAD, classify("syscall_exit_to_user_mode_[k]"));
        assertNull(classify("do_syscall_64_[k]", "ksys_write_[k]"), "only the entry/exit self time counts");
        assertEquals(CopyClass.JVM_COPY, classify("a.B.c_[j]", "jlong_disjoint_arraycopy_avx3"));
        assertEquals(CopyClass.JVM_COPY, classify("a.B.c_[j]", "Unsafe_CopyMemory0"));
        assertEquals(CopyClass.JVM_COPY, classify("a.B.c_[0]", "__memmove_avx_unaligned_erms"));
        assertEquals(CopyClass.JNI_COPY, classify("java.io.FileInputStream.readBytes_[j]", "readBytes",
                "jni_SetByteArrayRegion", "__memcpy_avx512_unaligned_erms"));
        assertEquals(CopyClass.JNI_COPY, classify("java.io.FileOutputStream.writeBytes_[j]", "writeBytes", "jni_GetByteArrayRegion"));
        assertEquals(CopyClass.TLS_CRYPTO, classify("javax.crypto.Cipher.doFinal_[j]", "com.sun.crypto.provider.GHASH.blockMult_[j]"));
        assertEquals(CopyClass.TLS_CRYPTO, classify("com.sun.crypto.provider.GaloisCounterMode.doFinal_[j]",
                "StubRoutines::galoisCounterMode_AESCrypt"));
        assertNull(classify("a.B.c_[j]", "java.util.HashMap.get_[i]"));
        assertNull(classify("thread_native_entry", "G1ParScanThreadState::do_copy_to_survivor_space", "Copy::aligned_conjoint_words"),
                "GC evacuation is the JVM's own copying");
        assertNull(classify("a.B.c_[j]", "__pi_memset_[k]"), "zeroing is not copying");
    }

    @Test
    void realProfilesShowTheCopyFramesTheyShould() {
        for (String jdk : Profiles.JDKS) {
            Map<CopyClass, Long> heap = byClass(Profiles.load("heap-send-" + jdk));
            assertTrue(heap.getOrDefault(CopyClass.KERNEL_COPY, 0L) > 50, jdk + " heap send: kernel copies " + heap);
            assertTrue(heap.getOrDefault(CopyClass.JVM_COPY, 0L) > 10, jdk + " heap send: JVM copies " + heap);
            Map<CopyClass, Long> stream = byClass(Profiles.load("stream-copy-" + jdk));
            assertTrue(stream.getOrDefault(CopyClass.JNI_COPY, 0L) > 5, jdk + " java.io: JNI copies " + stream);
            Map<CopyClass, Long> tls = byClass(Profiles.load("tls-" + jdk));
            assertTrue(tls.getOrDefault(CopyClass.TLS_CRYPTO, 0L) > 10, jdk + " TLS: crypto " + tls);
            Map<CopyClass, Long> itimer = byClass(Profiles.load("heap-send-itimer-" + jdk));
            assertEquals(0L, itimer.getOrDefault(CopyClass.KERNEL_COPY, 0L), jdk + " itimer has no kernel frames");
            assertTrue(itimer.getOrDefault(CopyClass.JVM_COPY, 0L) > 0, jdk + " itimer still sees JVM copies " + itimer);
        }
    }

    @Test
    void theFlameGraphSearchFindsEveryKindOfCopyLeaf() {
        Pattern search = Pattern.compile(CopyFrames.searchRegex());
        for (String jdk : Profiles.JDKS) {
            for (String name : List.of("heap-send-", "stream-copy-")) {
                for (CollapsedStacks.Stack s : Profiles.load(name + jdk).stacks()) {
                    CopyClass c = CopyFrames.classify(s.leafFirst());
                    if (c == CopyClass.KERNEL_COPY && s.leaf().name().startsWith("__check_object_size")) continue;
                    if (c == CopyClass.KERNEL_COPY || c == CopyClass.JVM_COPY) {
                        assertTrue(search.matcher(s.leaf().name()).find(), "search misses " + s.leaf());
                    }
                }
            }
        }
    }

    private static Map<CopyClass, Long> byClass(CollapsedStacks stacks) {
        Map<CopyClass, Long> m = new EnumMap<>(CopyClass.class);
        for (CollapsedStacks.Stack s : stacks.stacks()) {
            CopyClass c = CopyFrames.classify(s.leafFirst());
            if (c != null) m.merge(c, s.samples(), Long::sum);
        }
        return m;
    }
}
