// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A small filter of memory {@link Provenance} keeps entries for: 256 bits of heap array lengths, then 4,096 bits of
 * native 64 KiB granules. A clear bit means no entry of that kind can be there, so the lookup that would ask the
 * table (and hash a fresh array) is skipped; a set bit only means one may be. Bits are set before the entries they
 * stand for and cleared only with the table.
 */
final class MemoryFilter {
    /** A native granule: 64 KiB, the same as a run of the table. */
    static final int GRANULE_SHIFT = 16;
    private static final int LENGTH_WORDS = 4;
    private static final int GRANULE_BITS = 12;
    private final AtomicLongArray bits = new AtomicLongArray(LENGTH_WORDS + (1 << GRANULE_BITS) / 64);

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

    boolean has(int bit) {
        return (bits.getAcquire(bit >>> 6) & 1L << bit) != 0;
    }

    /** Atomic only when the bit is new: steady fills of the same memory read a shared, unchanging line. */
    void add(int bit) {
        long mask = 1L << bit;
        for (long w; ((w = bits.getAcquire(bit >>> 6)) & mask) == 0; ) {
            if (bits.compareAndSet(bit >>> 6, w, w | mask)) return;
        }
    }

    /** False when no entry can cover any of {@code len} bytes at {@code base} (in {@code array}, or native). */
    boolean mayHold(byte[] array, long base, long len) {
        if (array != null) return has(lengthBit(array.length));
        for (long g = base >>> GRANULE_SHIFT, last = (base + len - 1) >>> GRANULE_SHIFT; g <= last; g++) {
            if (has(granuleBit(g))) return true;
        }
        return false;
    }

    void clear() {
        for (int i = 0; i < bits.length(); i++) bits.set(i, 0);
    }
}
