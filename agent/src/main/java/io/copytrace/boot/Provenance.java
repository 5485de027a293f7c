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
 * <p>A fill that covers a whole 64 KiB run (sixteen aligned pages of one array or of native memory) keeps one
 * entry for the run instead of sixteen, and a lookup reads the run's entry first: a 256 KiB request read into a
 * fresh array, then written to a log, takes four entries and four lookups, not 64 of each. A run's entry and its
 * pages' entries are never both live: a whole-run fill hides the pages (and clears them when some may be there), a
 * fill of part of a run from another source first turns the run back into its sixteen pages.
 *
 * <p>Bounds: {@link #SLOTS} entries (512 KiB of table, at least 128 MiB of memory in flight at once); a fill
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
    /** Pages of a run that take consecutive buckets: 16 (64 KiB), also the unit of one run entry. */
    private static final int RUN_SHIFT = 4;
    private static final int RUN_PAGES = 1 << RUN_SHIFT;
    private static final int RUN_BYTES_SHIFT = MemoryFilter.GRANULE_SHIFT;
    /** Marks a run's key: free in both key kinds (heap keys use bits 0-18, 24-54 and 63, native keys up to 52). */
    private static final long RUN_KEY = 1L << 62;
    /** A value's range bits, and those of a run entry: a page range can never read so (start 4095, length 4096). */
    private static final long RANGE = 0xFFFFFFL;
    private static final long WHOLE_RUN = RANGE;
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

    /** Which memory fills of this window can have named ({@link MemoryFilter}): lookups elsewhere stop at once. */
    private static final long[] FILLED = MemoryFilter.words();
    /**
     * The same for run entries (a native granule is a run): a fill or lookup of part of a run asks for its run's
     * entry only when one may be there, so small buffers, and arrays shorter than a run, pay nothing for runs.
     */
    private static final long[] RUNS = MemoryFilter.words();

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
            end = last + 1 << PAGE_SHIFT;
        }
        long runFrom = base + (1L << RUN_BYTES_SHIFT) - 1 >>> RUN_BYTES_SHIFT;
        long runTo = end >>> RUN_BYTES_SHIFT;
        if (runFrom >= runTo) {
            fillPages(array, keyBase(array), base, end, source);
            return;
        }
        // Asked before the key hashes it: an array never hashed has no entry to clear under a new run.
        boolean fresh = array != null && Headers.neverHashed(array);
        long keyBase = keyBase(array);
        fillPages(array, keyBase, base, runFrom << RUN_BYTES_SHIFT, source);
        for (long r = runFrom; r < runTo; r++) fillRun(array, keyBase, r, source, fresh);
        fillPages(array, keyBase, runTo << RUN_BYTES_SHIFT, end, source);
    }

    /** One entry for the whole run {@code run}; its pages' entries, if any may be there, go. */
    private static void fillRun(byte[] array, long keyBase, long run, long source, boolean fresh) {
        long key = runKey(keyBase, run);
        int bucket = bucket(key);
        int slot = find(bucket, key);
        long value = source | WHOLE_RUN;
        if (slot >= 0) {
            // A buffer read into whole again: the value only, and only when it changed (a line other cores read).
            if (TABLE.getAcquire(slot + 1) != value) TABLE.setRelease(slot + 1, value);
            return;
        }
        int bit = MemoryFilter.bit(array, run);
        // Pages of this run can be in the table only if a fill of memory like this one was noted before.
        boolean pagesMayBeThere = !fresh && MemoryFilter.has(FILLED, bit);
        MemoryFilter.add(FILLED, bit);
        MemoryFilter.add(RUNS, bit);
        insert(bucket, key, value);
        // The run hides its pages from lookups from now on; cleared, an evicted run cannot bring an older fill back.
        if (pagesMayBeThere) {
            long firstPage = keyBase + (run << RUN_SHIFT);
            for (long k = firstPage; k < firstPage + RUN_PAGES; k++) {
                int s = find(bucket(k), k);
                if (s >= 0) TABLE.compareAndSet(s, k, 0);
            }
        }
    }

    /**
     * Page entries for {@code [from, to)} (less than a run, or the parts of a fill before and after its whole runs).
     * A run entry there from the same source already says where these bytes came from; from another source, the run
     * is first turned into its sixteen pages.
     */
    private static void fillPages(byte[] array, long keyBase, long from, long to, long source) {
        if (from >= to) return;
        long first = from >>> PAGE_SHIFT;
        long last = (to - 1) >>> PAGE_SHIFT;
        long checkedRun = -1;
        for (long p = first; p <= last; p++) {
            long run = p >>> RUN_SHIFT;
            if (run != checkedRun) {
                checkedRun = run;
                if (runMayBeThere(array, run)) {
                    long runKey = runKey(keyBase, run);
                    int runSlot = find(bucket(runKey), runKey);
                    long v = runSlot < 0 ? 0 : TABLE.getAcquire(runSlot + 1);
                    if (v != 0 && (v & SOURCE_MASK) == source) { // this run's bytes are all from this source
                        p = Math.min(last, (run + 1 << RUN_SHIFT) - 1);
                        continue;
                    }
                    if (v != 0) split(array, keyBase, run, runKey, runSlot, v);
                }
            }
            long pageStart = p << PAGE_SHIFT;
            fillPage(array, keyBase + p, (int) (Math.max(from, pageStart) - pageStart),
                    (int) (Math.min(to, pageStart + PAGE) - pageStart), source);
        }
    }

    /**
     * The run entry at {@code runSlot} becomes its sixteen pages, whole, from its source: the pages first, then
     * the run goes, so a lookup on another thread finds the run or the pages, never neither.
     */
    private static void split(byte[] array, long keyBase, long run, long runKey, int runSlot, long runValue) {
        long firstPage = keyBase + (run << RUN_SHIFT);
        for (long k = firstPage; k < firstPage + RUN_PAGES; k++) {
            fillPage(array, k, 0, (int) PAGE, runValue & SOURCE_MASK);
        }
        TABLE.compareAndSet(runSlot, runKey, 0);
    }

    /** Bytes {@code [s, e)} of the page {@code key} came from {@code source}. */
    private static void fillPage(byte[] array, long key, int s, int e, long source) {
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
            // cleared together), then the bucket's next way in turn takes it, so its oldest entry goes.
            MemoryFilter.add(FILLED, MemoryFilter.bit(array, key - 1 >>> RUN_SHIFT));
            insert(bucket, key, s | (long) (e - s - 1) << 12 | source);
        }
    }

    /** {@code key} takes the bucket's next way in turn (round robin: the oldest entry goes, no other moves). */
    private static void insert(int bucket, long key, long value) {
        int slot = bucket + 2 * (INSERTS.getAndIncrement(bucket / (2 * WAYS)) & (WAYS - 1));
        TABLE.setRelease(slot, 0);
        TABLE.setRelease(slot + 1, value);
        TABLE.setRelease(slot, key);
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

    /**
     * False when {@link #lookup} of these bytes would find nothing by its first checks (no mapping, the filter, a
     * never-hashed array): a write that relays nothing, most of them, then skips the lookup and its scratch.
     */
    static boolean mayMatch(byte[] array, long base, long len) {
        if (len <= 0) return false;
        if (array == null && mappings > 0) return true;
        return entriesMayCover(array, base, len);
    }

    /**
     * False when no table entry can cover any of these bytes: the filter says no fill of this window named them, or
     * the array was never identity-hashed (a recorded fill would have hashed it).
     */
    private static boolean entriesMayCover(byte[] array, long base, long len) {
        return mayHold(array, base, len) && (array == null || !Headers.neverHashed(array));
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
        if (!entriesMayCover(array, base, len)) return matched;
        long first = base >>> PAGE_SHIFT;
        long last = (end - 1) >>> PAGE_SHIFT; // no bound: a lookup costs ~1 % of the write's own memcpy
        long keyBase = keyBase(array);
        for (long p = first; p <= last; p++) {
            long v = covering(array, keyBase, p, p == first || (p & RUN_PAGES - 1) == 0);
            if (v == 0) continue;
            long s = rangeStart(v, p);
            long e = rangeEnd(v, p);
            if ((v & RANGE) == WHOLE_RUN) p = lastPageOfRun(p);
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
        if (!entriesMayCover(fromArray, from, len)) return;
        long first = from >>> PAGE_SHIFT;
        long last = (end - 1) >>> PAGE_SHIFT;
        long keyBase = keyBase(fromArray);
        for (long p = first; p <= last; p++) {
            long v = covering(fromArray, keyBase, p, p == first || (p & RUN_PAGES - 1) == 0);
            if (v == 0) continue;
            long s = Math.max(rangeStart(v, p), from);
            long e = Math.min(rangeEnd(v, p), end);
            if ((v & RANGE) == WHOLE_RUN) p = lastPageOfRun(p);
            if (e > s) fill(toArray, s + shift, e - s, (v & SOURCE_MASK) | VIA_COPY);
        }
    }

    /**
     * The entry that says where page {@code p}'s bytes came from: its run's (asked at a run's first page, and at
     * the first page of a range) or its own; 0 when neither. A page found missing asks for the run again: a whole
     * fill on another thread may have replaced the pages by the run since (it adds the run, then clears them).
     */
    private static long covering(byte[] array, long keyBase, long p, boolean askRun) {
        long run = p >>> RUN_SHIFT;
        if (askRun && runMayBeThere(array, run)) {
            long v = value(runKey(keyBase, run));
            if (v != 0) return v;
        }
        long v = value(keyBase + p);
        return v == 0 && runMayBeThere(array, run) ? value(runKey(keyBase, run)) : v;
    }

    /** Where the bytes {@code v} (page {@code p}'s covering entry) names begin: from {@code p} on for a run. */
    private static long rangeStart(long v, long p) {
        return (v & RANGE) == WHOLE_RUN ? p << PAGE_SHIFT : (p << PAGE_SHIFT) + (v & 0xFFF);
    }

    /** Where they end: the run's end, or the page range's. */
    private static long rangeEnd(long v, long p) {
        return (v & RANGE) == WHOLE_RUN ? (p >>> RUN_SHIFT) + 1 << RUN_BYTES_SHIFT
                : (p << PAGE_SHIFT) + (v & 0xFFF) + (v >>> 12 & 0xFFF) + 1;
    }

    private static long lastPageOfRun(long p) {
        return ((p >>> RUN_SHIFT) + 1 << RUN_SHIFT) - 1;
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
        return MemoryFilter.mayHold(FILLED, array, base, len);
    }

    /**
     * False when {@code run} (of {@code array}, or of native memory) cannot have a run entry: the array is shorter
     * than a run, or no whole-run fill of this window was of an array of its length or of this native granule.
     */
    private static boolean runMayBeThere(byte[] array, long run) {
        return (array == null || array.length >= 1 << RUN_BYTES_SHIFT)
                && MemoryFilter.has(RUNS, MemoryFilter.bit(array, run));
    }

    /** The key of a run's entry: its first page's key, marked. */
    private static long runKey(long keyBase, long run) {
        return keyBase + (run << RUN_SHIFT) | RUN_KEY;
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

    /** Entries in the table, pages and runs (tests). */
    static int entries() {
        int n = 0;
        for (int i = 0; i < TABLE.length(); i += 2) if (TABLE.get(i) != 0) n++;
        return n;
    }

    /** Forgets every fill and mapping: a new window starts clean (tests, re-attach). */
    static synchronized void clear() {
        for (int i = 0; i < TABLE.length(); i++) TABLE.set(i, 0);
        for (int i = 0; i < INSERTS.length(); i++) INSERTS.set(i, 0);
        MemoryFilter.clear(FILLED);
        MemoryFilter.clear(RUNS);
        mappings = 0;
        nextMapping = 0;
        UNTRACKED.set(0);
    }
}
