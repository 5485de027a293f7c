// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.util.concurrent.atomic.AtomicLongArray;

import static io.copytrace.boot.Codes.*;

/**
 * Counts a finished operation into its row: a platform thread into its own {@link Tally} (plain stores), a
 * virtual thread into its carrier's ({@link CarrierTallies}), or, where that cannot be had, into one stripe of
 * the row's counters (atomic adds). Keeps the last row per thread, operation and
 * key, so a steady call finds its row and counters without a map lookup.
 */
final class RowCounter {
    /** A name no call has: the first call after a row change always notes its names. */
    private static final Object UNSET = new Object();

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
            mine = s.virtual ? null : s.tally().counts(row);
            o.cachedCounts = mine;
            o.countsCarrier = null;
            o.lastSourceName = UNSET;
            o.lastTargetName = UNSET;
        }
        if (s.virtual) mine = CarrierTallies.counts(o, row); // asked per call: the thread may be on another carrier
        if (mine != null) {
            Tally.add(mine, C_CALLS, 1);
            Tally.add(mine, C_REQUESTED, f.requested);
            if (moved > 0) Tally.add(mine, C_MOVED, moved);
            if (eof) Tally.add(mine, C_EOF, 1);
            else if (moved < f.requested) Tally.add(mine, C_PARTIAL, 1);
            if (failed) Tally.add(mine, C_FAILED, 1);
            if (f.jvmCopied > 0) Tally.add(mine, C_JVM_COPIED, f.jvmCopied);
            if (s.walked) Tally.add(mine, C_WALKED, 1);
            if (f.rare) {
                if (f.nativeAllocs > 0) Tally.add(mine, C_NATIVE_ALLOCS, f.nativeAllocs);
                if (f.produced > 0) Tally.add(mine, C_PRODUCED, f.produced);
                if (f.freshArrays > 0) {
                    Tally.add(mine, C_FRESH_ARRAYS, f.freshArrays);
                    Tally.add(mine, C_FRESH_BYTES, f.freshBytes);
                }
                if (f.faultsSet) {
                    Tally.add(mine, C_FAULT_CALLS, 1);
                    Tally.add(mine, C_FAULTS_MINOR, f.faultsMinor);
                    Tally.add(mine, C_FAULTS_MAJOR, f.faultsMajor);
                }
            }
        } else {
            AtomicLongArray c = row.stripes();
            int b = stripe(s);
            c.getAndIncrement(b + C_CALLS);
            c.getAndAdd(b + C_REQUESTED, f.requested);
            if (moved > 0) c.getAndAdd(b + C_MOVED, moved);
            if (eof) c.getAndIncrement(b + C_EOF);
            else if (moved < f.requested) c.getAndIncrement(b + C_PARTIAL);
            if (failed) c.getAndIncrement(b + C_FAILED);
            if (f.jvmCopied > 0) c.getAndAdd(b + C_JVM_COPIED, f.jvmCopied);
            if (s.walked) c.getAndIncrement(b + C_WALKED);
            if (f.rare) {
                if (f.nativeAllocs > 0) c.getAndAdd(b + C_NATIVE_ALLOCS, f.nativeAllocs);
                if (f.produced > 0) c.getAndAdd(b + C_PRODUCED, f.produced);
                if (f.freshArrays > 0) {
                    c.getAndAdd(b + C_FRESH_ARRAYS, f.freshArrays);
                    c.getAndAdd(b + C_FRESH_BYTES, f.freshBytes);
                }
            }
            // no page faults here: virtual threads are not measured (FaultMeter)
        }
        if (s.walked) {
            row.noteThread(s.threadGroup());
            row.noteStack(s.walkedStack, moved);
        }
        // Names are noted when this thread's differ from its last ones: a row's names are a bounded sample, and
        // 10,000 threads each on its own file would otherwise take the row's lock on every call.
        if (f.sourceName != o.lastSourceName || f.targetName != o.lastTargetName) {
            int dropped = row.noteNames(f.sourceName, f.targetName);
            o.lastSourceName = f.sourceName;
            o.lastTargetName = f.targetName;
            if (dropped > 0) {
                if (mine != null) Tally.add(mine, C_NAMES_DROPPED, dropped);
                else row.stripes().getAndAdd(stripe(s) + C_NAMES_DROPPED, dropped);
            }
        }
        return row;
    }

    /** Where {@code s}'s stripe of a row's atomic counters starts: picked by the thread's tag. */
    private static int stripe(ThreadState s) {
        return (s.tag & (Stats.STRIPES - 1)) * Stats.STRIDE;
    }

    /**
     * The counters of a platform thread's whole call (it moved all it was asked to) at its key's cached row, when
     * nothing but its calls, bytes and JVM copies is to be counted (no rare fact: native allocations, TLS output,
     * fresh arrays, faults) and its names are the ones last noted there; else null, and {@link #count} counts it.
     */
    private static long[] repeatCounts(OpState.KeyState o, Frame f) {
        long[] mine = o.cachedCounts;
        return mine == null || f.rare || o.cachedSite != o.site || f.sourceName != o.lastSourceName
                || f.targetName != o.lastTargetName ? null : mine;
    }

    /** Counts a finished operation: its facts completed, its site, its row, and the flows of its bytes. */
    static void finish(ThreadState s, Frame f, long result, boolean failed) {
        if (f.rare && f.faultsSet) FaultMeter.atFinish(f);
        long moved = Math.max(0, result);
        FrameFacts.complete(f, moved);
        int key = Codes.key(f.op, f.form, f.path, f.reason, f.buffer, f.source, f.target, f.nested, f.mappedReason);
        OpState.KeyState o = SiteSampler.keyState(s, f.op, key);
        boolean traced = Probe.flows && moved > 0 && !failed;
        if (traced) FlowTrace.noteFresh(f); // before the fill hashes the arrays
        Stats row;
        long[] mine = moved == f.requested && moved > 0 && !failed && !s.virtual ? repeatCounts(o, f) : null;
        if (mine != null && SiteSampler.repeat(s, o, f.self, f.requested)) {
            // A thread repeating one call: counted without the site rules' and the counting's general paths.
            Tally.add(mine, C_CALLS, 1);
            Tally.add(mine, C_REQUESTED, moved);
            Tally.add(mine, C_MOVED, moved);
            if (f.jvmCopied > 0) Tally.add(mine, C_JVM_COPIED, f.jvmCopied);
            row = o.cachedRow;
        } else {
            Site site = SiteSampler.siteFor(s, o, f.op, f.self, f.requested);
            row = count(s, o, site, key, f, moved, result == -1 && Probe.isInbound(f.op), failed);
        }
        if (traced) FlowTrace.trace(s, f, row, moved);
    }
}
