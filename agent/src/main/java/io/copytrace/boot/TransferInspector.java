// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.nio.ByteBuffer;

/**
 * What the probe needs to know about JDK objects that only reflection into JDK internals can tell. The
 * agent core implements it (per JDK version) and installs it before the recording window opens.
 */
public interface TransferInspector {
    /** True when a direct buffer is a file mapping. */
    boolean isMapped(ByteBuffer buffer);

    /** The endpoint kind ({@code Codes.END_*}) of a channel or stream object. */
    int endpointKind(Object channelOrStream);

    /** A cheap name for an endpoint (file path, socket peer) or null. Must not do I/O. */
    Object endpointName(Object channelOrStream);

    /** The JDK's sticky "direct transfer disabled" flags, as a bit set, before a transfer runs. */
    int stickyFlags();

    /**
     * Why a transfer did not take the direct path ({@code Codes.WHY_*}), from the stage results.
     * {@code mapped} asks instead why the mapped path was not taken (only for loop transfers).
     */
    int reason(int op, Object self, Object other, long count, int path, long directCode, long mappedCode,
               int stickyFlagsBefore, boolean mapped);
}
