// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.recording.CopyRecord;
import java.util.Collection;

/**
 * The heap arrays a finding's reads allocated per call (the agent's fresh-array counts: arrays a read filled for the
 * first time), which a fix that reads into one reused buffer no longer allocates. Counted only where the reads take
 * a fresh array on at least half their calls: code that keeps its buffer per connection or in a pool allocates
 * about as often with the fix, so those are not a saving. Priced as the JVM zeroing them: a streaming write of
 * their bytes at the host's copy rate, which is what an allocation costs once the heap has its size (measured here:
 * 0.10–0.11 ns per byte of 4–256 KiB arrays against 0.08 for the copy rate). While the heap still grows, each new
 * page of it also faults (0.4–0.5 ns per byte here): not priced, nor the collector's work, which is small for arrays
 * that die young.
 *
 * @param arrays fresh arrays counted on the reads
 * @param bytes  their lengths
 * @param calls  the reads' calls
 */
record FreshBuffers(long arrays, long bytes, long calls) {
    /** The per-call fresh arrays of {@code reads} (read records with a heap buffer or byte[]; others add nothing). */
    static FreshBuffers of(Collection<CopyRecord> reads) {
        long arrays = 0, bytes = 0, calls = 0;
        for (CopyRecord r : reads) {
            if (!r.operation().isInbound() || !r.buffer().onJavaHeap()) continue;
            arrays += r.freshArrays().arrays();
            bytes += r.freshArrays().bytes();
            calls += r.calls();
        }
        return new FreshBuffers(arrays, bytes, calls);
    }

    /** True when the reads allocate per call: fresh arrays on at least half of them (and more than one). */
    boolean perCall() {
        return arrays > 1 && 2 * arrays >= calls;
    }

    /** What zeroing them cost, in the saving when {@link #perCall}. */
    Saving saving(HostCost cost) {
        return perCall() ? new Saving(0, 0, 0, 0, nanos(cost)) : Saving.NONE;
    }

    private long nanos(HostCost cost) {
        return Math.round(bytes / cost.memcpyBytesPerNano());
    }

    /** The evidence line: how many, how large, what the saving counts for them. */
    Prose line(HostCost cost) {
        return Prose.of(Figure.FRESH_ARRAYS, arrays).text(" heap arrays (").fig(Figure.FRESH_ARRAY_BYTES, bytes)
                .text(") allocated for these reads' ").fig(Figure.CALLS, calls)
                .text(" calls, each filled for the first time: a reused buffer saves allocating them, ")
                .fig(Figure.FRESH_ARRAY_NANOS, nanos(cost))
                .text(" in the saving (the JVM zeroing them, at the copy rate; while the heap still grows each new page"
                        + " of it also faults, and the collector's work for them: not priced)");
    }
}
