// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import java.util.Optional;

/**
 * Bytes a write drained from memory that a recorded read had filled (matched by memory, on any thread),
 * or whose source is unknown ({@code from} empty).
 *
 * @param from             the read that filled the memory, when known
 * @param to               the write that drained it
 * @param bytes            bytes written that came from {@code from}
 * @param writeCalls       write calls that wrote some of them
 * @param handedOff        the read ran on another thread than the write
 * @param viaFrameworkCopy a framework copied the bytes in Java between the read and the write
 * @param viaTls           the bytes went through an SSLEngine between the read and the write
 */
public record Flow(Optional<CopyRecord> from, CopyRecord to, long bytes, long writeCalls, boolean handedOff,
                   boolean viaFrameworkCopy, boolean viaTls) {}
