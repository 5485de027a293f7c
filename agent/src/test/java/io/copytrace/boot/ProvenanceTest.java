// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page table behind flows: what a write finds of the fills before it. */
class ProvenanceTest {
    static final long A = Provenance.source(7, 1, 0);
    static final long B = Provenance.source(9, 2, 0);
    final Matches m = new Matches();

    @BeforeEach
    void clean() {
        Provenance.clear();
        m.clear();
    }

    @Test
    void aWriteOfFilledNativeMemoryFindsItsReadByteForByte() {
        Provenance.fill(null, 0x7f00_0000_1000L + 100, 10_000, A);
        assertEquals(10_000, Provenance.lookup(null, 0x7f00_0000_1000L + 100, 10_000, m));
        assertEquals(1, m.count);
        assertEquals(A, m.sources[0]);
        m.clear();
        // a slice written later: part of the fill, and bytes past its end
        assertEquals(5_000, Provenance.lookup(null, 0x7f00_0000_1000L + 5_100, 8_000, m));
    }

    @Test
    void theFilterLetsThroughOnlyMemoryAFillOfThisWindowCanHaveNamed() {
        byte[] filled = new byte[8192], sameLength = new byte[8192], other = new byte[64];
        long native1 = 0x7f00_0001_0000L;
        assertFalse(Provenance.mayHold(filled, 0, 8192), "nothing filled yet");
        assertFalse(Provenance.mayHold(null, native1, 4096));
        Provenance.fill(filled, 100, 1000, A);
        Provenance.fill(null, native1 + 65_536 - 10, 20, A); // straddles two 64 KiB granules
        assertTrue(Provenance.mayHold(filled, 0, 10));
        assertTrue(Provenance.mayHold(sameLength, 0, 10), "the filter knows lengths, not arrays");
        assertFalse(Provenance.mayHold(other, 0, 64));
        assertTrue(Provenance.mayHold(null, native1, 16));
        assertTrue(Provenance.mayHold(null, native1 + 65_536 + 4000, 16));
        assertFalse(Provenance.mayHold(null, native1 + 4 * 65_536, 4096));
        assertTrue(Provenance.mayHold(null, native1 - 65_536, 3 * 65_536), "any granule of a long write");
        Provenance.clear();
        assertFalse(Provenance.mayHold(filled, 0, 10), "a new window starts with an empty filter");
        assertFalse(Provenance.mayHold(null, native1, 16));
    }

    @Test
    void aCopyOfMemoryTheFilterRulesOutCarriesNothingAndItsTargetIsNoted() {
        byte[] from = new byte[100], to = new byte[300];
        Provenance.copy(from, 0, to, 0, 100);
        assertFalse(Provenance.mayHold(to, 0, 100), "nothing to carry: nothing filled");
        Provenance.fill(from, 0, 100, A);
        Provenance.copy(from, 0, to, 10, 100);
        assertEquals(100, Provenance.lookup(to, 10, 100, m));
        assertEquals(A | Provenance.VIA_COPY, m.sources[0]);
    }

    @Test
    void heapMemoryIsKeyedByArrayNotByAddress() {
        byte[] one = new byte[64 * 1024], two = new byte[64 * 1024];
        Provenance.fill(one, 1_000, 20_000, A);
        assertEquals(0, Provenance.lookup(two, 1_000, 20_000, m));
        assertEquals(20_000, Provenance.lookup(one, 0, 64 * 1024, m));
    }

    @Test
    void readsThatFillABufferPieceByPieceJoinAndANewerSourceReplaces() {
        long base = 0x10_0000;
        Provenance.fill(null, base, 100, A);
        Provenance.fill(null, base + 100, 900, A);
        assertEquals(1_000, Provenance.lookup(null, base, 1_000, m));
        m.clear();
        Provenance.fill(null, base, 300, B); // the buffer reused for another read
        assertEquals(300, Provenance.lookup(null, base, 1_000, m));
        assertEquals(B, m.sources[0]);
    }

    @Test
    void aCopyCarriesTheSourceToTheNewMemoryMarkedAsCopied() {
        byte[] heap = new byte[32 * 1024];
        Provenance.fill(heap, 0, 32 * 1024, A);
        Provenance.copy(heap, 0, null, 0x5000_0000L, 32 * 1024);
        assertEquals(32 * 1024, Provenance.lookup(null, 0x5000_0000L, 32 * 1024, m));
        assertEquals(A | Provenance.VIA_COPY, m.sources[0]);
    }

    @Test
    void aMappingIsTheSourceOfWritesFromItsMemory() {
        Provenance.mapped(0x6000_0000L, 1 << 20, 11);
        assertEquals(4096, Provenance.lookup(null, 0x6000_0000L + 8192, 4096, m));
        assertEquals(11, Provenance.rowOf(m.sources[0]));
    }

    @Test
    void manyLiveFillsDoNotEvictEachOtherUntilTheTableIsOverfull() {
        // 4,096 pages in flight (16 MiB): every one still found
        long base = 0x2000_0000L;
        for (int i = 0; i < 4096; i++) Provenance.fill(null, base + i * 4096L, 4096, A);
        assertEquals(16L << 20, Provenance.lookup(null, base, 16L << 20, m));
    }

    /**
     * Sixteen pages in a row of one array (or of native memory) take sixteen buckets in a row, so a 256 KiB fill
     * walks the table in order (half the time of one random cache line per page, measured); the runs themselves
     * are spread by hash: 8,192 arrays of 64 KiB fill the buckets evenly.
     */
    @Test
    void pagesInARowTakeBucketsInARowAndRunsAreSpread() {
        long heapKey = Long.MIN_VALUE | 12345L << 24;
        for (long key : new long[] {heapKey, 1 + 0x10_0000L}) {
            long runStart = key & ~15L;
            for (int i = 1; i < 16; i++) {
                assertEquals((Provenance.bucket(runStart) + 8 * i) % (2 * Provenance.SLOTS),
                        Provenance.bucket(runStart + i), "page " + i + " of the run at " + Long.toHexString(runStart));
            }
        }
        int[] perBucket = new int[Provenance.SLOTS / 4];
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int array = 0; array < 8192; array++) {
            long keyBase = Long.MIN_VALUE | (long) random.nextInt(0x7FFFFFFF) << 24;
            for (int page = 0; page < 16; page++) perBucket[Provenance.bucket(keyBase + page) / 8]++;
        }
        int most = java.util.Arrays.stream(perBucket).max().orElseThrow();
        assertTrue(most <= 40, "the fullest bucket of 8,192 takes " + most + " pages (16 on average)");
    }

    /**
     * A new page in a bucket takes the next way in turn and moves no other entry (so a lookup on another thread
     * never misses a page because a fill was rearranging its bucket, as it did when buckets were kept in order by
     * moving entries); the fifth page evicts the oldest.
     */
    @Test
    void aNewPageMovesNoOtherEntryOfItsBucketAndTheFifthEvictsTheOldest() {
        java.util.List<Long> same = new java.util.ArrayList<>(); // native pages of one bucket (keys are page + 1)
        int bucket = Provenance.bucket(1 + 0x10_0000L);
        for (long page = 0x10_0000L; same.size() < 5; page++) if (Provenance.bucket(1 + page) == bucket) same.add(page);
        Provenance.fill(null, same.get(0) << 12, 4096, A);
        int slot = Provenance.find(bucket, 1 + same.get(0));
        for (int i = 1; i < 4; i++) {
            Provenance.fill(null, same.get(i) << 12, 4096, B);
            assertEquals(slot, Provenance.find(bucket, 1 + same.get(0)), "moved by page " + i);
            assertEquals(4096, Provenance.lookup(null, same.get(0) << 12, 4096, m));
        }
        Provenance.fill(null, same.get(4) << 12, 4096, B);
        m.clear();
        assertEquals(0, Provenance.lookup(null, same.get(0) << 12, 4096, m), "the oldest page goes first");
        assertEquals(4096, Provenance.lookup(null, same.get(1) << 12, 4096, m));
    }

    /**
     * One thread keeps refilling a page (a pooled buffer read into again) while another keeps looking it up: the
     * page is never missing. Rewriting the slot's key on every refill made it vanish for a moment.
     */
    @Test
    void aPageBeingRefilledIsNeverMissingForALookupOnAnotherThread() throws Exception {
        long page = 0x7000_0000L;
        Provenance.fill(null, page, 4096, A);
        Thread refill = new Thread(() -> {
            for (int i = 0; i < 3_000_000; i++) Provenance.fill(null, page + (i & 1) * 2048, 2048, A);
        });
        refill.start();
        long misses = 0, lookups = 0;
        while (refill.isAlive()) {
            Matches found = new Matches();
            if (Provenance.lookup(null, page, 4096, found) != 4096) misses++;
            lookups++;
        }
        refill.join();
        assertEquals(0, misses, misses + " of " + lookups + " lookups missed the page");
    }

    /**
     * A fill covering whole 64 KiB runs keeps one entry per run, not one per page (a produce request read into a
     * fresh 256 KiB array, then written to the log: 4 entries and 4 lookups instead of 64 each), and the pages
     * before and after them as pages; lookups still count every byte.
     */
    @Test
    void aFillOfWholeRunsTakesOneEntryPerRunAndLookupsCountEveryByte() {
        byte[] request = new byte[256 * 1024];
        Provenance.fill(request, 0, request.length, A);
        assertEquals(4, Provenance.entries());
        assertEquals(request.length, Provenance.lookup(request, 0, request.length, m));
        assertEquals(1, m.count);
        assertEquals(A, m.sources[0]);
        m.clear();
        assertEquals(100_000, Provenance.lookup(request, 60_000, 100_000, m), "across runs, from inside one");
        Provenance.clear();
        long base = 0x7f00_0010_0000L + 100; // native, not aligned: 16 pages (a run but its first 100 bytes), two runs, 1 page
        Provenance.fill(null, base, 3 * 65_536, B);
        assertEquals(16 + 2 + 1, Provenance.entries());
        m.clear();
        assertEquals(3 * 65_536, Provenance.lookup(null, base - 50, 3 * 65_536 + 100, m));
        assertEquals(B, m.sources[0]);
    }

    /**
     * Part of a run read into again from another source: the run becomes its sixteen pages first, so the new bytes
     * are the new source's and the rest of the run stays the old one's (but for that page's other bytes: a page
     * keeps one range, as always). From the same source the run already says it: nothing changes.
     */
    @Test
    void aPartOfARunFilledFromAnotherSourceTurnsItIntoPages() {
        byte[] buffer = new byte[128 * 1024];
        Provenance.fill(buffer, 0, buffer.length, A);
        Provenance.fill(buffer, 70_000, 1_000, A);
        assertEquals(2, Provenance.entries(), "the same source: the run stays");
        Provenance.fill(buffer, 70_000, 1_000, B);
        assertEquals(1 + 16, Provenance.entries());
        assertEquals(65_536 - 4_096 + 1_000, Provenance.lookup(buffer, 65_536, 65_536, m));
        assertEquals(2, m.count);
        long fromA = m.sources[0] == A ? m.bytes[0] : m.bytes[1];
        assertEquals(65_536 - 4_096, fromA);
        m.clear();
        assertEquals(65_536, Provenance.lookup(buffer, 0, 65_536, m), "the other run is untouched");
        assertEquals(A, m.sources[0]);
        m.clear();
        Provenance.fill(buffer, 65_536, 65_536, B); // read into whole again: one run, its pages cleared
        assertEquals(2, Provenance.entries());
        assertEquals(65_536, Provenance.lookup(buffer, 65_536, 65_536, m));
        assertEquals(1, m.count);
        assertEquals(B, m.sources[0]);
    }

    /** A native buffer read into in part, then whole: the run replaces the older page, which can never come back. */
    @Test
    void aWholeRunFillClearsTheOlderPagesOfItsRun() {
        long buffer = 0x7f00_0020_0000L;
        Provenance.fill(null, buffer + 8_192, 1_000, A);
        Provenance.fill(null, buffer, 65_536, B);
        assertEquals(1, Provenance.entries());
        assertEquals(65_536, Provenance.lookup(null, buffer, 65_536, m));
        assertEquals(1, m.count);
        assertEquals(B, m.sources[0]);
    }

    @Test
    void aCopyOfARunCarriesItsSource() {
        byte[] heap = new byte[128 * 1024];
        Provenance.fill(heap, 0, heap.length, A);
        Provenance.copy(heap, 1_000, null, 0x5000_0000L + 100, 100_000);
        assertEquals(100_000, Provenance.lookup(null, 0x5000_0000L, 200_000, m));
        assertEquals(1, m.count);
        assertEquals(A | Provenance.VIA_COPY, m.sources[0]);
    }

    /** A 64 KiB buffer read into whole again and again, from two sources in turn: never missing for a lookup. */
    @Test
    void aRunBeingRefilledWholeIsNeverMissingForALookupOnAnotherThread() throws Exception {
        long run = 0x7100_0000L;
        Provenance.fill(null, run, 65_536, A);
        Thread refill = new Thread(() -> {
            for (int i = 0; i < 2_000_000; i++) Provenance.fill(null, run, 65_536, (i & 1) == 0 ? A : B);
        });
        refill.start();
        long misses = 0, lookups = 0;
        while (refill.isAlive()) {
            Matches found = new Matches();
            if (Provenance.lookup(null, run + 40_960, 4_096, found) != 4_096) misses++;
            lookups++;
        }
        refill.join();
        assertEquals(0, misses, misses + " of " + lookups + " lookups missed the page");
    }

    /**
     * Two runs, each read into whole (its pages, if any, replaced by the run) and then in part from another source
     * (the run turned into its pages), in turn, while another thread looks up a page of one that the partial reads
     * never touch: the page is found, from the whole reads' source, while either change is under way. Only lookups
     * that overlap one change are counted: a buffer read into again while it is written out is the app's race.
     */
    @Test
    void aRunChangingToPagesAndBackIsNeverMissingForALookupOnAnotherThread() throws Exception {
        long base = 0x7200_0000L;
        java.util.concurrent.atomic.AtomicLong starting = new java.util.concurrent.atomic.AtomicLong(-1);
        java.util.concurrent.atomic.AtomicLong whole = new java.util.concurrent.atomic.AtomicLong(-1);
        Thread reader = new Thread(() -> {
            for (int i = 0; i < 300_000; i++) {
                long run = base + (i & 1) * 65_536L;
                starting.set(i);
                Provenance.fill(null, run, 65_536, A);
                whole.set(i);
                Provenance.fill(null, run + 4_096, 100, B);
            }
        });
        reader.start();
        long[] misses = new long[2], lookups = new long[2];
        Matches found = new Matches();
        while (reader.isAlive()) {
            for (int kind = 0; kind < 2; kind++) {
                // kind 0: a whole run, while it splits; kind 1: a run's pages (from two reads before), while the run
                // is read into whole again
                long i = kind == 0 ? whole.get() : starting.get();
                if (i < 2) continue;
                found.clear();
                long n = Provenance.lookup(null, base + (i & 1) * 65_536L + 40_960, 4_096, found);
                if (kind == 0 ? starting.get() >= i + 2 : whole.get() >= i) continue; // the next change may have begun
                if (n != 4_096 || found.sources[0] != A) misses[kind]++;
                lookups[kind]++;
            }
        }
        reader.join();
        for (int kind = 0; kind < 2; kind++) {
            String what = kind == 0 ? "while a run split" : "while pages became a run";
            assertTrue(lookups[kind] > 1_000, "only " + lookups[kind] + " lookups " + what);
            assertEquals(0, misses[kind], misses[kind] + " of " + lookups[kind] + " lookups missed the page " + what);
        }
    }

    @Test
    void aFillLargerThanTheBoundTracksItsFirstPagesAndCountsTheRest() {
        long len = (Provenance.MAX_FILL_PAGES + 10) * 4096L;
        Provenance.fill(null, 0, len, A);
        assertEquals(10 * 4096L, Provenance.UNTRACKED.get());
        assertEquals(Provenance.MAX_FILL_PAGES * 4096L, Provenance.lookup(null, 0, len, m));
        Provenance.UNTRACKED.set(0);
    }
}
