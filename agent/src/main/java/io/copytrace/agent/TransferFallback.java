// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.boot.Codes;

/**
 * Why a {@code FileChannel} transfer did not take the JDK's direct path (sendfile / copy_file_range), or
 * not the mapped path either: the JDK's own decision table ({@code FileChannelImpl.transferTo/From} of
 * JDK 17, 21 and 25), as a pure function of facts {@link JdkInspector} reads from the objects. The only
 * home of these rules; {@code TransferFallbackTest} walks the table without forking a JVM.
 */
final class TransferFallback {
    // Sticky flag bits, as seen before a transfer (JDK 17-24: three "supported" flags; 25: two "not supported").
    static final int TRANSFER_OFF = 1;
    static final int FILE_OFF = 2;
    static final int PIPE_OFF = 4;
    static final int FROM_OFF = 8;

    /** Below this many bytes JDK 21+ do not map the source (FileChannelImpl.MAPPED_TRANSFER_THRESHOLD). */
    static final long MAPPED_THRESHOLD = 16 * 1024;

    /** What the other end of a transfer is, as the JDK's checks tell channels apart. */
    enum Peer {
        /** {@code sun.nio.ch.FileChannelImpl} */
        FILE,
        /** {@code sun.nio.ch.SocketChannelImpl} */
        SOCKET,
        /** a pipe's sink ({@code SinkChannelImpl}, a selectable channel) */
        PIPE_SINK,
        /** another JDK selectable channel ({@code SelChImpl}: datagram, pipe source) */
        OTHER_SELECTABLE,
        /** anything else: a wrapper, an application channel, null */
        OTHER
    }

    /**
     * The facts of one transfer that fell back.
     *
     * @param feature     the JDK feature version
     * @param op          {@code Codes.OP_FILE_TRANSFER_TO} or {@code OP_FILE_TRANSFER_FROM}
     * @param other       the other channel: the target of transferTo, the source of transferFrom
     * @param count       bytes asked for
     * @param directTried false when the JDK returned before trying the direct path
     *                    ({@code io.copytrace.boot.Probe#NOT_TRIED}: JDK 21+ do that when the source reports size 0)
     * @param sticky      the sticky flags ({@link #TRANSFER_OFF}…) before the call
     * @param append      the file written to is in append mode
     * @param sameFile    both ends are one file descriptor
     */
    record Facts(int feature, int op, Peer other, long count, boolean directTried, int sticky, boolean append,
                 boolean sameFile) {}

    private TransferFallback() {}

    /** Why the direct path was not taken ({@code Codes.WHY_*}). */
    static int whyNotDirect(Facts f) {
        return f.op == Codes.OP_FILE_TRANSFER_TO ? whyNotDirectTo(f) : whyNotDirectFrom(f);
    }

    /** Why the mapped path was not taken either (loop transfers only). */
    static int whyNotMapped(Facts f) {
        if (f.op == Codes.OP_FILE_TRANSFER_TO) {
            if (f.feature >= 21 && !f.directTried) return Codes.WHY_SOURCE_SIZE_ZERO;
            if (f.other == Peer.OTHER) return Codes.WHY_TARGET_TYPE; // only JDK channels get a mapped transfer
        } else if (f.other != Peer.FILE) {
            return Codes.WHY_SOURCE_NOT_FILE;
        }
        if (f.feature >= 21 && f.count < MAPPED_THRESHOLD) return Codes.WHY_BELOW_MAPPED_THRESHOLD;
        return Codes.WHY_UNKNOWN;
    }

    private static int whyNotDirectTo(Facts f) {
        if (!f.directTried) return f.feature >= 21 ? Codes.WHY_SOURCE_SIZE_ZERO : Codes.WHY_UNKNOWN;
        if ((f.sticky & TRANSFER_OFF) != 0) return Codes.WHY_STICKY_FLAG;
        if (f.feature >= 25) {
            // JDK 25 sends directly only to files and sockets; other selectable channels lost it
            if (f.other != Peer.FILE && f.other != Peer.SOCKET) {
                return f.other == Peer.OTHER ? Codes.WHY_TARGET_TYPE : Codes.WHY_TARGET_TYPE_ON_THIS_JDK;
            }
        } else if (f.other == Peer.OTHER) {
            return Codes.WHY_TARGET_TYPE;
        }
        if (f.other == Peer.FILE && (f.sticky & FILE_OFF) != 0) return Codes.WHY_STICKY_FLAG;
        if (f.other == Peer.PIPE_SINK && (f.sticky & PIPE_OFF) != 0) return Codes.WHY_STICKY_FLAG;
        if (f.other == Peer.FILE && f.append) return Codes.WHY_APPEND_TARGET;
        if (f.other == Peer.FILE && f.sameFile) return Codes.WHY_SAME_FILE;
        return Codes.WHY_KERNEL_REFUSED;
    }

    private static int whyNotDirectFrom(Facts f) {
        if (f.other != Peer.FILE) return Codes.WHY_SOURCE_NOT_FILE;
        if (f.feature < 21) return Codes.WHY_TARGET_TYPE_ON_THIS_JDK; // JDK 17 has no copy_file_range transferFrom
        if (!f.directTried) return Codes.WHY_SOURCE_SIZE_ZERO;
        if ((f.sticky & FROM_OFF) != 0) return Codes.WHY_STICKY_FLAG;
        if (f.append) return Codes.WHY_APPEND_TARGET;
        if (f.sameFile) return Codes.WHY_SAME_FILE;
        return Codes.WHY_KERNEL_REFUSED;
    }
}
