// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.TransferFallback.Peer.FILE;
import static io.copytrace.agent.TransferFallback.Peer.OTHER;
import static io.copytrace.agent.TransferFallback.Peer.OTHER_SELECTABLE;
import static io.copytrace.agent.TransferFallback.Peer.PIPE_SINK;
import static io.copytrace.agent.TransferFallback.Peer.SOCKET;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.copytrace.boot.Codes;
import io.copytrace.model.FallbackReason;
import org.junit.jupiter.api.Test;

/**
 * The JDK's transfer fallback table, row by row, without a JVM per case: what each JDK does is in
 * {@code FileChannelImpl.transferTo/transferFrom} of that release (the ITs check the same rows end to end
 * on JDK 17 and 25).
 */
class TransferFallbackTest {
    private static final int TO = Codes.OP_FILE_TRANSFER_TO;
    private static final int FROM = Codes.OP_FILE_TRANSFER_FROM;
    private static final long BIG = 1 << 20;

    private static TransferFallback.Facts facts(int feature, int op, TransferFallback.Peer other) {
        return new TransferFallback.Facts(feature, op, other, BIG, true, 0, false, false);
    }

    private static void direct(String expected, TransferFallback.Facts f) {
        assertEquals(expected, FallbackReason.values()[TransferFallback.whyNotDirect(f)].wireName(), f.toString());
    }

    private static void mapped(String expected, TransferFallback.Facts f) {
        assertEquals(expected, FallbackReason.values()[TransferFallback.whyNotMapped(f)].wireName(), f.toString());
    }

    @Test
    void transferToTargets() {
        for (int jdk : new int[] {17, 21, 25}) {
            direct("target-type", facts(jdk, TO, OTHER));
            direct("kernel-refused", facts(jdk, TO, FILE));
            direct("kernel-refused", facts(jdk, TO, SOCKET));
        }
        // pipes and datagrams lost the direct path in JDK 25 only
        direct("kernel-refused", facts(17, TO, PIPE_SINK));
        direct("kernel-refused", facts(21, TO, OTHER_SELECTABLE));
        direct("target-type-on-this-jdk", facts(25, TO, PIPE_SINK));
        direct("target-type-on-this-jdk", facts(25, TO, OTHER_SELECTABLE));
    }

    @Test
    void transferToFileTargetFacts() {
        TransferFallback.Facts append = new TransferFallback.Facts(17, TO, FILE, BIG, true, 0, true, false);
        direct("append-target", append);
        TransferFallback.Facts same = new TransferFallback.Facts(25, TO, FILE, BIG, true, 0, false, true);
        direct("same-file", same);
        // append and sameFile are about files: a socket target with such facts is still the kernel's refusal
        direct("kernel-refused", new TransferFallback.Facts(17, TO, SOCKET, BIG, true, 0, true, true));
    }

    @Test
    void stickyFlagsDisableThePathForTheJvmsLife() {
        direct("sticky-flag", new TransferFallback.Facts(17, TO, SOCKET, BIG, true, TransferFallback.TRANSFER_OFF,
                false, false));
        direct("sticky-flag", new TransferFallback.Facts(17, TO, FILE, BIG, true, TransferFallback.FILE_OFF, false,
                false));
        direct("kernel-refused", new TransferFallback.Facts(17, TO, SOCKET, BIG, true, TransferFallback.FILE_OFF,
                false, false));
        direct("sticky-flag", new TransferFallback.Facts(17, TO, PIPE_SINK, BIG, true, TransferFallback.PIPE_OFF,
                false, false));
        direct("sticky-flag", new TransferFallback.Facts(21, FROM, FILE, BIG, true, TransferFallback.FROM_OFF, false,
                false));
    }

    @Test
    void notTriedMeansAnEmptySourceOnJdk21AndLater() {
        direct("unknown", new TransferFallback.Facts(17, TO, SOCKET, BIG, false, 0, false, false));
        direct("source-size-zero", new TransferFallback.Facts(21, TO, SOCKET, BIG, false, 0, false, false));
        direct("source-size-zero", new TransferFallback.Facts(25, FROM, FILE, BIG, false, 0, false, false));
        mapped("source-size-zero", new TransferFallback.Facts(25, TO, SOCKET, BIG, false, 0, false, false));
        mapped("unknown", new TransferFallback.Facts(17, TO, SOCKET, BIG, false, 0, false, false));
    }

    @Test
    void transferFromSources() {
        direct("source-not-file", facts(25, FROM, SOCKET));
        direct("target-type-on-this-jdk", facts(17, FROM, FILE)); // no copy_file_range transferFrom on 17
        direct("kernel-refused", facts(21, FROM, FILE));
        direct("append-target", new TransferFallback.Facts(25, FROM, FILE, BIG, true, 0, true, false));
        direct("same-file", new TransferFallback.Facts(25, FROM, FILE, BIG, true, 0, false, true));
    }

    @Test
    void mappedPathNeedsAJdkChannelAndEnoughBytesOnJdk21AndLater() {
        mapped("target-type", facts(17, TO, OTHER));
        mapped("unknown", facts(17, TO, PIPE_SINK));
        mapped("source-not-file", facts(21, FROM, SOCKET));
        long small = TransferFallback.MAPPED_THRESHOLD - 1;
        mapped("below-mapped-threshold", new TransferFallback.Facts(21, TO, SOCKET, small, true, 0, false, false));
        mapped("below-mapped-threshold", new TransferFallback.Facts(25, FROM, FILE, small, true, 0, false, false));
        mapped("unknown", new TransferFallback.Facts(17, TO, SOCKET, small, true, 0, false, false));
        mapped("unknown", new TransferFallback.Facts(25, TO, FILE, TransferFallback.MAPPED_THRESHOLD, true, 0, false,
                false));
    }
}
