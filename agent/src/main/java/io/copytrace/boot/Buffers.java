// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static io.copytrace.boot.Codes.*;

import java.nio.ByteBuffer;

/** What the probe and the advice need to know about the buffers of a call: kinds and byte counts. */
public final class Buffers {
    private Buffers() {}

    /** Total remaining bytes of {@code bufs[off, off+len)}; for the TLS advice. */
    public static long remaining(ByteBuffer[] bufs, int off, int len) {
        long total = 0;
        if (bufs == null) return 0;
        int end = Math.min(bufs.length, off + len);
        for (int i = Math.max(0, off); i < end; i++) if (bufs[i] != null) total += bufs[i].remaining();
        return total;
    }

    /** Heap bytes a gathering write copies: the remaining bytes of every non-direct buffer (IOV_MAX bound). */
    public static long heapRemaining(ByteBuffer[] bufs, int off, int len) {
        if (bufs == null) return 0;
        long total = 0;
        int end = Math.min(bufs.length, off + Math.min(len, 1024));
        for (int i = Math.max(0, off); i < end; i++) {
            ByteBuffer b = bufs[i];
            if (b != null && !b.isDirect()) total += b.remaining();
        }
        return total;
    }

    /** True when any buffer of {@code bufs[off, off+len)} is on the Java heap. */
    public static boolean anyHeap(ByteBuffer[] bufs, int off, int len) {
        if (bufs == null) return false;
        int end = Math.min(bufs.length, off + len);
        for (int i = Math.max(0, off); i < end; i++) if (bufs[i] != null && !bufs[i].isDirect()) return true;
        return false;
    }

    /** The memory kind of one buffer: heap, direct or a file mapping. */
    static int kind(ByteBuffer b) {
        if (b == null) return BUF_NONE;
        if (!b.isDirect()) return BUF_HEAP;
        int mapped = Memory.mapped(b);
        if (mapped >= 0) return mapped == 1 ? BUF_MAPPED : BUF_DIRECT;
        TransferInspector in = Probe.inspector;
        return in != null && in.isMapped(b) ? BUF_MAPPED : BUF_DIRECT;
    }

    /** JDK objects, whose composite copies fold every step they run. */
    static boolean isJdkObject(Object o) {
        if (o == null) return true;
        String n = o.getClass().getName();
        return n.startsWith("java.") || n.startsWith("sun.") || n.startsWith("jdk.");
    }
}
