// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.nio.ByteBuffer;

import static io.copytrace.boot.Codes.*;

/**
 * Where a finished operation meets provenance: a read fills memory with its row as the source, a write
 * drains memory and counts a flow per source found, a map call registers its
 * mapping. Called by {@link Probe} at the end of a recorded operation, on the operation's thread. Bytes written
 * whose source is unknown are not counted here: they are the write row's bytes minus its known flows.
 */
final class FlowTrace {
    private FlowTrace() {}

    static void trace(ThreadState s, Frame f, Stats row, long moved) {
        if (isFill(f.op)) {
            fill(s, f, row, moved);
            return;
        }
        switch (f.op) {
            case OP_FILE_WRITE, OP_SOCKET_WRITE, OP_SOCKET_STREAM_WRITE, OP_STREAM_WRITE -> drain(s, f, row, moved);
            case OP_FILE_MAP -> {
                if (f.result instanceof ByteBuffer m && m.isDirect()) { // trace runs only with flows on: memory readable
                    Provenance.mapped(Memory.base(m, 0), m.capacity(), row.id);
                }
            }
            default -> { }
        }
    }

    /**
     * Counts the heap arrays a read is about to fill for the first time: never identity-hashed, so never filled by
     * a recorded read before ({@link Headers}; the fill that follows hashes them). A buffer per request shows as
     * one fresh array per call; a reused one as one in all. Arrays filled before the window opened are fresh to
     * it once. Nothing is counted where headers cannot be read.
     */
    static void noteFresh(Frame f) {
        if (!Headers.WORKS || !isFill(f.op)) return;
        if (f.memSet) {
            if (f.memArray != null && Headers.neverHashed(f.memArray)) fresh(f, f.memArray);
        } else if (f.bufs != null) {
            byte[] last = null;
            for (int i = 0; i < f.bufCount; i++) {
                ByteBuffer b = f.bufs[f.bufOff + i];
                if (b == null || b.position() - f.positions[i] <= 0) continue; // as fill: only buffers it filled
                byte[] a = Memory.array(b);
                if (a != null && a != last && Headers.neverHashed(a)) fresh(f, a); // slices of one array: once
                last = a;
            }
        }
    }

    private static void fresh(Frame f, byte[] array) {
        f.rare().freshArrays++;
        f.rare().freshBytes += array.length;
    }

    /** The reads whose memory provenance follows (they fill it; {@link #noteFresh} counts their fresh arrays). */
    private static boolean isFill(int op) {
        return op == OP_FILE_READ || op == OP_SOCKET_READ || op == OP_SOCKET_STREAM_READ || op == OP_STREAM_READ;
    }

    private static void fill(ThreadState s, Frame f, Stats row, long moved) {
        long source = Provenance.source(row.id, s.tag, 0);
        if (f.memSet) {
            Provenance.fill(f.memArray, f.memBase, moved, source);
        } else if (f.bufs != null) {
            for (int i = 0; i < f.bufCount; i++) {
                ByteBuffer b = f.bufs[f.bufOff + i];
                if (b == null) continue;
                int n = b.position() - f.positions[i];
                if (n > 0) Provenance.fill(Memory.array(b), Memory.base(b, f.positions[i]), n, source);
            }
        }
    }

    private static void drain(ThreadState s, Frame f, Stats row, long moved) {
        if (f.memSet && !Provenance.mayMatch(f.memArray, f.memBase, moved)) return; // the scratch left untouched
        Matches m = s.matches;
        if (m == null) s.matches = m = new Matches();
        m.clear();
        if (f.memSet) {
            Provenance.lookup(f.memArray, f.memBase, moved, m);
        } else if (f.bufs != null) {
            for (int i = 0; i < f.bufCount; i++) {
                ByteBuffer b = f.bufs[f.bufOff + i];
                if (b == null) continue;
                int n = b.position() - f.positions[i];
                if (n > 0) Provenance.lookup(Memory.array(b), Memory.base(b, f.positions[i]), n, m);
            }
        }
        long known = 0;
        for (int i = 0; i < m.count; i++) {
            long n = Math.min(m.bytes[i], moved - known);
            if (n <= 0) break;
            Flows.add(s, m.sources[i], row, n);
            known += n;
        }
        // The rest has no known source: the recording writer derives it from the row's bytes (no counting here,
        // so a write of memory no recorded read filled costs a lookup and nothing more).
    }
}
