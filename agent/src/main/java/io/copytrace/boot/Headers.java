// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Whether an object's identity hash was ever computed, read from its header (HotSpot's mark word) without
 * computing it. Provenance keys heap memory by identity hash, so an array never hashed was never filled by a
 * recorded read: a write of it can skip the hash (which a fresh array pays in full, a CAS on its header) and the
 * table; and a read into it is the first recorded fill of that array, which is how fresh arrays per call are
 * counted.
 *
 * <p>The layout is not assumed: at start a self-test hashes a few new arrays and finds the hash in their mark
 * words at the known places (8 bits up: the usual header; 11: compact headers); when it does not find it, or
 * the JDK did not let the probe read headers ({@code jdk.internal.misc} exported at install), {@link #WORKS} is
 * false and every object counts as maybe hashed, so nothing is skipped or counted. A header that is not plainly
 * unlocked (locked, biased, forwarded) also counts as maybe hashed: only the answer "never hashed" skips work.
 */
final class Headers {
    private static final MethodHandle GET_LONG;
    private static final long HASH_MASK;
    /** True when headers can be read here and the self-test found the hash where it looked. */
    static final boolean WORKS;
    /** Unlocked, not biased: the low three bits of a plain mark word (both layouts). */
    private static final long UNLOCKED = 1;

    static {
        MethodHandle getLong = null;
        long mask = 0;
        try {
            Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
            getLong = MethodHandles.lookup().findVirtual(unsafeClass, "getLong",
                    MethodType.methodType(long.class, Object.class, long.class)).bindTo(unsafe);
            mask = hashMask(getLong);
        } catch (Throwable unavailable) {
            mask = 0;
        }
        GET_LONG = getLong;
        HASH_MASK = mask;
        WORKS = mask != 0;
    }

    private Headers() {}

    /** True only when {@code o}'s header says its identity hash was never computed (false when unsure). */
    static boolean neverHashed(Object o) {
        if (!WORKS) return false;
        try {
            long mark = (long) GET_LONG.invokeExact(o, 0L);
            return (mark & 7) == UNLOCKED && (mark & HASH_MASK) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /** Where this JVM keeps the identity hash in a mark word, as a mask; 0 when the self-test does not find it. */
    private static long hashMask(MethodHandle getLong) throws Throwable {
        for (int shift : new int[] {8, 11}) {
            long mask = 0x7FFF_FFFFL << shift;
            boolean found = true;
            for (int i = 0; i < 8 && found; i++) {
                byte[] a = new byte[16 + i];
                long before = (long) getLong.invokeExact((Object) a, 0L);
                int hash = System.identityHashCode(a);
                long after = (long) getLong.invokeExact((Object) a, 0L);
                found = (before & 7) == UNLOCKED && (before & mask) == 0 && (after & 7) == UNLOCKED
                        && (after & mask) >>> shift == (hash & 0x7FFF_FFFFL);
            }
            if (found) return mask;
        }
        return 0;
    }
}
