// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static io.copytrace.boot.Codes.*;

/**
 * What an operation's frame can only know at its end: why a transfer left the kernel's path, which path a
 * composite copy ran, and the JVM copies java.io and datagram packets make of the bytes moved.
 */
final class FrameFacts {
    /** The JDK's feature version: some fallbacks are specific to a JDK. */
    static final int FEATURE = Runtime.version().feature();
    /** java.io streams malloc a native buffer per call above this many bytes (io_util.c BUF_SIZE). */
    static final int JAVA_IO_STACK_BUFFER = 8192;

    private FrameFacts() {}

    /** Completes {@code f}, which moved {@code moved} bytes, before it is counted. */
    static void complete(Frame f, long moved) {
        if (f.op == OP_FILE_TRANSFER_TO || f.op == OP_FILE_TRANSFER_FROM) {
            transferReasons(f);
        } else if (f.op == OP_FILES_COPY || f.op == OP_STREAM_TRANSFER_TO) {
            compositePath(f, moved);
        }
        if (f.buffer == BUF_BYTE_ARRAY) {
            if (f.op == OP_STREAM_READ || f.op == OP_STREAM_WRITE) {
                // JNI Get/SetByteArrayRegion copies exactly the bytes moved; above 8 KiB it mallocs per call.
                f.jvmCopied += moved;
                if (f.requested > JAVA_IO_STACK_BUFFER) f.rare().nativeAllocs++;
            } else if (f.op == OP_DATAGRAM_SEND || f.op == OP_DATAGRAM_RECEIVE) {
                f.jvmCopied += moved; // the packet's array through a temporary direct buffer
            }
        }
    }

    private static void transferReasons(Frame f) {
        TransferInspector in = Probe.inspector;
        if (f.path == PATH_NONE) {
            f.reason = WHY_NOTHING_TO_TRANSFER;
        } else if (f.path != PATH_DIRECT && in != null) {
            f.reason = in.reason(f.op, f.self, f.other, f.requested, f.path, f.directCode, f.mappedCode,
                    f.stickyFlags, false);
            if (f.path == PATH_LOOP) {
                f.rare().mappedReason = in.reason(f.op, f.self, f.other, f.requested, f.path, f.directCode,
                        f.mappedCode, f.stickyFlags, true);
            }
        }
    }

    /**
     * Files.copy and InputStream.transferTo: the path is what their folded operations ran. A loop names
     * why: JDK 17's InputStream.transferTo never hands off to the kernel; Files.copy(Path, Path) falls back
     * to its buffered copy only when copy_file_range is refused; otherwise the stream on one end is not
     * one the JDK can pass to transferTo. A folded transfer's own reason wins.
     */
    private static void compositePath(Frame f, long moved) {
        int p = f.childPaths;
        if ((p & 1 << PATH_DIRECT) != 0) {
            f.path = PATH_DIRECT;
        } else if ((p & 1 << PATH_MAPPED) != 0) {
            f.path = PATH_MAPPED;
        } else if ((p & (1 << PATH_LOOP | 1 << PATH_SYSCALL)) != 0) {
            f.path = PATH_LOOP;
        } else if (f.path == PATH_NONE && moved > 0) {
            f.path = PATH_LOOP; // bytes moved through code we do not hook (an application stream)
        }
        if (f.path == PATH_LOOP && f.reason == WHY_NONE) {
            if (f.op == OP_STREAM_TRANSFER_TO && FEATURE < 21) {
                f.reason = WHY_TARGET_TYPE_ON_THIS_JDK;
            } else if (f.op == OP_FILES_COPY && f.source == END_FILE && f.target == END_FILE
                    && (p & 1 << PATH_LOOP) != 0 && (p & 1 << PATH_SYSCALL) == 0) {
                f.reason = WHY_KERNEL_REFUSED; // sun.nio.fs bufferedCopy after a refused copy_file_range
            } else {
                f.reason = WHY_TARGET_TYPE;
            }
        }
    }

    /**
     * The engine's negotiated cipher suite (a constant string of the JDK's), the TLS endpoint's name: whether
     * Linux kernel TLS could take this traffic depends on it. Null during the handshake (no suite yet).
     */
    static Object cipherSuite(Object engine) {
        try {
            if (!(engine instanceof javax.net.ssl.SSLEngine e)) return null;
            String suite = e.getSession().getCipherSuite();
            return suite == null || suite.startsWith("SSL_NULL") ? null : suite;
        } catch (Throwable t) {
            return null;
        }
    }
}
