// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which read filled a piece of memory, so that a later write of that memory (on any thread, through any
 * buffer object over it) can name the read it relays. Memory is tracked per 4 KiB page in a fixed table of
 * 4-way buckets (one cache line each): each slot keeps the last fill of one page (its byte range in the
 * page, the row that read it, the reading thread's tag, whether a framework copied it on the way); a full
 * bucket forgets its oldest page first. Heap memory is keyed by
 * the array's identity hash and the offset in it, native memory by address; mappings are kept apart as
 * whole regions. Nothing here holds a reference to user memory.
 *
 * <p>Bounds: {@link #SLOTS} pages (512 KiB of table, about 128 MiB of memory in flight at once); a fill
 * over {@link #MAX_FILL_PAGES} pages tracks its first pages only; a newer fill of a page replaces the older
 * one, and a fifth page in a bucket evicts the oldest of four: their bytes then count as of unknown source.
 * A new page takes the bucket's next way in turn ({@link #INSERTS}); nothing else in the bucket moves. A slot is read
 * with its key checked before and after the value: a page being replaced reads as not tracked.
 *
 * <p>Most writes relay nothing (a log line, a response built in code), so a lookup first asks a small
 * filter whether any fill of this window can have named the memory: the lengths of the heap arrays filled,
 * and the 64 KiB granules of native memory filled. A miss skips the identity hash (which a fresh array pays
 * in full) and the table's cache line. Bits are set before a fill's entries and cleared only with the table. An
 * array whose header says it was never identity-hashed ({@link Headers}) was never filled by a recorded read: its
 * lookup stops there too (a fresh array of a length some read filled: 512-byte arrays, which the JDK's text file
 * readers fill).
 */
final class Provenance {
    static final int SLOTS = 1 << 15;
    private static final int WAYS = 4;
    private static final int BUCKET_BITS = 13; // SLOTS / WAYS buckets
    /** Pages of a run that take consecutive buckets: 16 (64 KiB). */
    private static final int RUN_SHIFT = 4;
    /** Pages one fill records: 8 MiB. */
    static final int MAX_FILL_PAGES = 2048;
    /** Mappings kept (FileChannel.map regions), oldest replaced first. */
    static final int MAX_MAPPINGS = 64;
    private static final int PAGE_SHIFT = 12;
    private static final long PAGE = 1L << PAGE_SHIFT;

    // Value layout: start in page 12 bits | length-1 12 | source row id 23 | thread tag 15 | via copy 1 | via tls 1.
    static final long VIA_COPY = 1L << 62;
    static final long VIA_TLS = 1L << 63;
    /** Everything but the range: row, tag and flags. */
    private static final long SOURCE_MASK = ~0xFFFFFFL;

    private static final AtomicLongArray TABLE = new AtomicLongArray(2 * SLOTS);
    /**
     * Per bucket, how many new pages it took: a new page replaces the way this count points at, round robin, so
     * the oldest page goes first and no other entry of the bucket moves (a lookup never misses a page because a
     * fill was rearranging its bucket; concurrent new pages get different ways).
     */
    private static final AtomicIntegerArray INSERTS = new AtomicIntegerArray(SLOTS / WAYS);
    /** Bytes of fills past {@link #MAX_FILL_PAGES}, not tracked. */
    static final AtomicLong UNTRACKED = new AtomicLong();

    /** The filter: 256 bits of heap array lengths, then 4,096 bits of native 64 KiB granules. */
    private static final int LENGTH_WORDS = 4;
    private static final int GRANULE_SHIFT = 16;
    private static final int GRANULE_BITS = 12;
    private static final AtomicLongArray FILLED = new AtomicLongArray(LENGTH_WORDS + (1 << GRANULE_BITS) / 64);

    private static final long[] MAP_START = new long[MAX_MAPPINGS];
    private static final long[] MAP_END = new long[MAX_MAPPINGS];
    private static final int[] MAP_ROW = new int[MAX_MAPPINGS];
    private static volatile int mappings;
    private static int nextMapping;

    private Provenance() {}

    /** The source bits of a fill: row id, thread tag, and the via flags. */
    static long source(int rowId, int tag, long via) {
        return (long) (rowId & 0x7FFFFF) << 24 | (long) (tag & 0x7FFF) << 47 | via;
    }

    static int rowOf(long source) {
        return (int) (source >>> 24) & 0x7FFFFF;
    }

    static int tagOf(long source) {
        return (int) (source >>> 47) & 0x7FFF;
    }

    /** Notes that {@code len} bytes at {@code base} (in {@code array}, or native when null) came from {@code source}. */
    static void fill(byte[] array, long base, long len, long source) {
        if (len <= 0) return;
        long end = base + len;
        long first = base >>> PAGE_SHIFT;
        long last = (end - 1) >>> PAGE_SHIFT;
        if (last - first >= MAX_FILL_PAGES) {
            last = first + MAX_FILL_PAGES - 1;
            UNTRACKED.addAndGet(end - (last + 1 << PAGE_SHIFT));
        }
        long keyBase = keyBase(array);
        for (long p = first; p <= last; p++) {
            long pageStart = p << PAGE_SHIFT;
            int s = (int) (Math.max(base, pageStart) - pageStart);
            int e = (int) (Math.min(end, pageStart + PAGE) - pageStart);
            long key = keyBase + p;
            int bucket = bucket(key);
            int slot = find(bucket, key);
            if (slot >= 0) {
                long old = TABLE.getAcquire(slot + 1);
                int os = (int) (old & 0xFFF);
                int oe = os + (int) (old >>> 12 & 0xFFF) + 1;
                // The same source filling on from where it stopped (a buffer filled by several reads): one range.
                if ((old & SOURCE_MASK) == source && s <= oe && os <= e) {
                    s = Math.min(s, os);
                    e = Math.max(e, oe);
                }
                // The same page: one store of the value, the key stays, so a lookup on another thread sees the
                // old range or the new one, never no page (a reader writing the previous chunk of a page that
                // straddles two pooled buffers lost that part of it while the key was being rewritten).
                TABLE.setRelease(slot + 1, s | (long) (e - s - 1) << 12 | source);
            } else {
                // A new page: the filter learns it first (a page already in the table has its bit set: both are
                // cleared together), then the bucket's next way in turn takes it, so its oldest page goes.
                set(array != null ? lengthBit(array.length) : granuleBit(pageStart >>> GRANULE_SHIFT));
                slot = bucket + 2 * (INSERTS.getAndIncrement(bucket / (2 * WAYS)) & (WAYS - 1));
                TABLE.setRelease(slot, 0);
                TABLE.setRelease(slot + 1, s | (long) (e - s - 1) << 12 | source);
                TABLE.setRelease(slot, key);
            }
        }
    }

    /** The slot of {@code key} in the bucket, or -1. */
    static int find(int bucket, long key) {
        for (int i = bucket; i < bucket + 2 * WAYS; i += 2) {
            if (TABLE.getAcquire(i) == key) return i;
        }
        return -1;
    }

    /** The value of {@code key}'s slot, read consistently, or 0 when the page is not tracked. */
    private static long value(long key) {
        int slot = find(bucket(key), key);
        if (slot < 0) return 0;
        long v = TABLE.getAcquire(slot + 1);
        return TABLE.getAcquire(slot) == key ? v : 0;
    }

    /** Adds to {@code into} the sources of {@code len} bytes at {@code base}; returns the bytes matched. */
    static long lookup(byte[] array, long base, long len, Matches into) {
        if (len <= 0) return 0;
        long end = base + len;
        long matched = 0;
        if (array == null && mappings > 0) {
            matched = lookupMapped(base, end, into);
            if (matched >= len) return matched;
        }
        if (!mayHold(array, base, len) || array != null && Headers.neverHashed(array)) return matched;
        long first = base >>> PAGE_SHIFT;
        long last = (end - 1) >>> PAGE_SHIFT; // no bound: a lookup costs ~1 % of the write's own memcpy
        long keyBase = keyBase(array);
        for (long p = first; p <= last; p++) {
            long v = value(keyBase + p);
            if (v == 0) continue;
            long pageStart = p << PAGE_SHIFT;
            long s = pageStart + (v & 0xFFF);
            long e = s + (v >>> 12 & 0xFFF) + 1;
            long n = Math.min(e, end) - Math.max(s, base);
            if (n > 0) {
                into.add(v & SOURCE_MASK, n);
                matched += n;
            }
        }
        return matched;
    }

    /**
     * A framework copied {@code len} bytes from {@code from} to {@code to} in Java: the destination
     * inherits the sources of what was copied, marked as copied on the way.
     */
    static void copy(byte[] fromArray, long from, byte[] toArray, long to, long len) {
        if (len <= 0) return;
        long end = from + len;
        long shift = to - from;
        if (fromArray == null && mappings > 0) {
            int n = mappings;
            for (int i = 0; i < n; i++) {
                long s = Math.max(from, MAP_START[i]);
                long e = Math.min(end, MAP_END[i]);
                if (e > s) fill(toArray, s + shift, e - s, source(MAP_ROW[i], 0, VIA_COPY));
            }
        }
        if (!mayHold(fromArray, from, len) || fromArray != null && Headers.neverHashed(fromArray)) return;
        long first = from >>> PAGE_SHIFT;
        long last = (end - 1) >>> PAGE_SHIFT;
        long keyBase = keyBase(fromArray);
        for (long p = first; p <= last; p++) {
            long v = value(keyBase + p);
            if (v == 0) continue;
            long pageStart = p << PAGE_SHIFT;
            long s = Math.max(pageStart + (v & 0xFFF), from);
            long e = Math.min(pageStart + (v & 0xFFF) + (v >>> 12 & 0xFFF) + 1, end);
            if (e > s) fill(toArray, s + shift, e - s, (v & SOURCE_MASK) | VIA_COPY);
        }
    }

    /** A mapping of {@code len} bytes at {@code address}, made at the map row {@code rowId}. */
    static synchronized void mapped(long address, long len, int rowId) {
        if (len <= 0) return;
        int n = mappings;
        int i = n < MAX_MAPPINGS ? n : nextMapping++ % MAX_MAPPINGS;
        MAP_START[i] = address;
        MAP_END[i] = address + len;
        MAP_ROW[i] = rowId;
        if (n < MAX_MAPPINGS) mappings = n + 1;
    }

    private static long lookupMapped(long base, long end, Matches into) {
        long matched = 0;
        int n = mappings;
        for (int i = 0; i < n; i++) {
            long s = Math.max(base, MAP_START[i]);
            long e = Math.min(end, MAP_END[i]);
            if (e > s) {
                into.add(source(MAP_ROW[i], 0, 0), e - s);
                matched += e - s;
            }
        }
        return matched;
    }

    /**
     * False when no fill of this window can have named any of {@code len} bytes at {@code base}: no heap
     * array of this length was filled, or none of the native granules they lie in.
     */
    static boolean mayHold(byte[] array, long base, long len) {
        if (array != null) return isSet(lengthBit(array.length));
        for (long g = base >>> GRANULE_SHIFT, last = (base + len - 1) >>> GRANULE_SHIFT; g <= last; g++) {
            if (isSet(granuleBit(g))) return true;
        }
        return false;
    }

    private static int lengthBit(int length) {
        return (int) ((length * 0x9E3779B97F4A7C15L) >>> 56); // 0..255
    }

    private static int granuleBit(long granule) {
        return LENGTH_WORDS * 64 + (int) ((granule * 0x9E3779B97F4A7C15L) >>> (64 - GRANULE_BITS));
    }

    private static boolean isSet(int bit) {
        return (FILLED.getAcquire(bit >>> 6) & 1L << bit) != 0;
    }

    /** Atomic only when the bit is new: steady fills of the same memory read a shared, unchanging line. */
    private static void set(int bit) {
        long mask = 1L << bit;
        for (long w; ((w = FILLED.getAcquire(bit >>> 6)) & mask) == 0; ) {
            if (FILLED.compareAndSet(bit >>> 6, w, w | mask)) return;
        }
    }

    // Native pages are keyed by page number + 1 (positive); heap pages by the array's identity hash in
    // bits 24-54 with bit 63 set, plus the page of the offset in the array (arrays are < 2^31 bytes).
    private static long keyBase(byte[] array) {
        return array == null ? 1 : Long.MIN_VALUE | (long) (System.identityHashCode(array) & 0x7FFFFFFF) << 24;
    }

    /**
     * The first slot index of the key's bucket (each slot is a key and a value). Sixteen pages in a row (64 KiB of
     * one array, or of native memory) take sixteen buckets in a row, so a large fill or lookup walks the table
     * in order and the processor fetches its lines ahead; the runs are spread by hash.
     */
    static int bucket(long key) {
        long h = (key >>> RUN_SHIFT) * 0x9E3779B97F4A7C15L;
        return ((int) (h >>> (64 - BUCKET_BITS)) + (int) (key & (1 << RUN_SHIFT) - 1) & (1 << BUCKET_BITS) - 1)
                * 2 * WAYS;
    }

    /** Forgets every fill and mapping: a new window starts clean (tests, re-attach). */
    static synchronized void clear() {
        for (int i = 0; i < TABLE.length(); i++) TABLE.set(i, 0);
        for (int i = 0; i < INSERTS.length(); i++) INSERTS.set(i, 0);
        for (int i = 0; i < FILLED.length(); i++) FILLED.set(i, 0);
        mappings = 0;
        nextMapping = 0;
        UNTRACKED.set(0);
    }
}
