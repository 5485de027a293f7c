// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.util.concurrent.atomic.AtomicLongArray;

import static io.copytrace.boot.Codes.*;

/**
 * Counts a finished operation into its row: a platform thread into its own {@link Tally} (plain stores), a
 * virtual thread into the row's shared counters (atomic adds). Keeps the last row per thread, operation and
 * key, so a steady call finds its row and counters without a map lookup.
 */
final class RowCounter {
    private RowCounter() {}

    /** Counts {@code f}, which moved {@code moved} bytes at {@code site}; returns its row. */
    static Stats count(ThreadState s, OpState.KeyState o, Site site, int key, Frame f, long moved, boolean eof,
                       boolean failed) {
        Stats row = o.cachedRow;
        long[] mine = o.cachedCounts;
        if (o.cachedSite != site || row == null) {
            row = site.row(key);
            o.cachedSite = site;
            o.cachedRow = row;
            if (!s.virtual) {
                if (s.tally == null) s.tally = Tally.register();
                mine = s.tally.counts(row);
            }
            o.cachedCounts = mine;
        }
        if (mine != null) {
            Tally.add(mine, C_CALLS, 1);
            Tally.add(mine, C_REQUESTED, f.requested);
            if (moved > 0) Tally.add(mine, C_MOVED, moved);
            if (eof) Tally.add(mine, C_EOF, 1);
            else if (moved < f.requested) Tally.add(mine, C_PARTIAL, 1);
            if (failed) Tally.add(mine, C_FAILED, 1);
            if (f.jvmCopied > 0) Tally.add(mine, C_JVM_COPIED, f.jvmCopied);
            if (f.nativeAllocs > 0) Tally.add(mine, C_NATIVE_ALLOCS, f.nativeAllocs);
            if (f.produced > 0) Tally.add(mine, C_PRODUCED, f.produced);
            if (s.walked) Tally.add(mine, C_WALKED, 1);
        } else {
            AtomicLongArray c = row.shared;
            c.getAndIncrement(C_CALLS);
            c.getAndAdd(C_REQUESTED, f.requested);
            if (moved > 0) c.getAndAdd(C_MOVED, moved);
            if (eof) c.getAndIncrement(C_EOF);
            else if (moved < f.requested) c.getAndIncrement(C_PARTIAL);
            if (failed) c.getAndIncrement(C_FAILED);
            if (f.jvmCopied > 0) c.getAndAdd(C_JVM_COPIED, f.jvmCopied);
            if (f.nativeAllocs > 0) c.getAndAdd(C_NATIVE_ALLOCS, f.nativeAllocs);
            if (f.produced > 0) c.getAndAdd(C_PRODUCED, f.produced);
            if (s.walked) c.getAndIncrement(C_WALKED);
        }
        if (s.walked) {
            row.noteThread(s.threadGroup());
            row.noteStack(s.walkedStack, moved);
        }
        row.noteNames(f.sourceName, f.targetName);
        return row;
    }
}
