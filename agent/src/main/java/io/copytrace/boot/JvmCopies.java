// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static io.copytrace.boot.Codes.*;
import static io.copytrace.boot.OperationStack.begin;
import static io.copytrace.boot.OperationStack.push;

/**
 * The JVM's own copies between Java heap memory and native buffers (IOUtil's temporary direct buffer,
 * NioSocketImpl's, DatagramChannelImpl's): counted into the operation that made them, or recorded alone
 * when no hooked operation encloses them (a pipe channel).
 */
final class JvmCopies {
    private JvmCopies() {}

    /**
     * Adds {@code bytes} copied by the JVM to the innermost recorded operation of this thread, or records
     * them as a {@code channel.heapCopy} of their own, toward ({@code toNative}) or from the endpoint.
     */
    static void record(long bytes, Object dispatcher, int endpoint, boolean toNative) {
        if (bytes <= 0) return;
        ThreadState s = begin();
        if (s == null) return;
        try {
            boolean uncached = bytes > Probe.maxCachedBufferSize;
            Frame top = s.recordingTop();
            if (top != null) {
                top.jvmCopied += bytes;
                if (uncached) top.rare().nativeAllocs++;
                return;
            }
            // No hooked operation encloses this copy (e.g. a pipe channel): record the copy alone.
            Frame f = push(s, OP_HEAP_COPY, null, null);
            if (f == null) return;
            f.path = PATH_NONE;
            f.buffer = BUF_HEAP;
            f.requested = bytes;
            f.jvmCopied = bytes;
            if (uncached) f.rare().nativeAllocs = 1;
            if (dispatcher != null) endpoint = dispatcherKind(dispatcher);
            if (toNative) {
                f.source = END_MEMORY;
                f.target = endpoint;
            } else {
                f.source = endpoint;
                f.target = END_MEMORY;
            }
            try {
                RowCounter.finish(s, f, bytes, false);
            } finally {
                s.depth--;
                f.clearRefs();
            }
        } finally {
            s.busy = false;
        }
    }

    /** The kind of endpoint an IOUtil NativeDispatcher serves, from its class. */
    static int dispatcherKind(Object dispatcher) {
        if (dispatcher == null) return END_NONE;
        String n = dispatcher.getClass().getName();
        if (n.endsWith("SocketDispatcher")) return END_SOCKET;
        if (n.endsWith("DatagramDispatcher")) return END_DATAGRAM;
        if (n.endsWith("FileDispatcherImpl")) return END_FILE;
        return END_CHANNEL;
    }
}
