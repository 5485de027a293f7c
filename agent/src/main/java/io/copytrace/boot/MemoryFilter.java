// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A small filter of memory {@link Provenance} keeps entries for: 256 bits of heap array lengths, then 4,096 bits of
 * native 64 KiB granules. A clear bit means no entry of that kind can be there, so the lookup that would ask the
 * table (and hash a fresh array) is skipped; a set bit only means one may be. Bits are set before the entries they
 * stand for and cleared only with the table.
 *
 * <p>A filter is a plain {@code long[]} ({@link #words}) its owner keeps in a static final field, worked on by these
 * static methods: to the JIT the array is then a constant, and a check loads the one word it asks, where an object
 * holding an {@code AtomicLongArray} took three dependent loads (the object, the atomic array, its array) that a
 * syscall between two calls has likely pushed out of the cache.
 */
final class MemoryFilter {
    /** A native granule: 64 KiB, the same as a run of the table. */
    static final int GRANULE_SHIFT = 16;
    private static final int LENGTH_WORDS = 4;
    private static final int GRANULE_BITS = 12;
    private static final int WORDS = LENGTH_WORDS + (1 << GRANULE_BITS) / 64;
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

    private MemoryFilter() {}

    /** A new, empty filter. */
    static long[] words() {
        return new long[WORDS];
    }

    /** The bit of {@code array}'s length, or of the native granule {@code granule} when the array is null. */
    static int bit(byte[] array, long granule) {
        return array != null ? lengthBit(array.length) : granuleBit(granule);
    }

    private static int lengthBit(int length) {
        return (int) ((length * 0x9E3779B97F4A7C15L) >>> 56); // 0..255
    }

    private static int granuleBit(long granule) {
        return LENGTH_WORDS * 64 + (int) ((granule * 0x9E3779B97F4A7C15L) >>> (64 - GRANULE_BITS));
    }

    static boolean has(long[] filter, int bit) {
        return ((long) WORD.getAcquire(filter, bit >>> 6) & 1L << bit) != 0;
    }

    /** Atomic only when the bit is new: steady fills of the same memory read a shared, unchanging line. */
    static void add(long[] filter, int bit) {
        long mask = 1L << bit;
        for (long w; ((w = (long) WORD.getAcquire(filter, bit >>> 6)) & mask) == 0; ) {
            if (WORD.compareAndSet(filter, bit >>> 6, w, w | mask)) return;
        }
    }

    /** False when no entry can cover any of {@code len} bytes at {@code base} (in {@code array}, or native). */
    static boolean mayHold(long[] filter, byte[] array, long base, long len) {
        if (array != null) return has(filter, lengthBit(array.length));
        for (long g = base >>> GRANULE_SHIFT, last = (base + len - 1) >>> GRANULE_SHIFT; g <= last; g++) {
            if (has(filter, granuleBit(g))) return true;
        }
        return false;
    }

    static void clear(long[] filter) {
        for (int i = 0; i < filter.length; i++) WORD.setVolatile(filter, i, 0L);
    }
}
