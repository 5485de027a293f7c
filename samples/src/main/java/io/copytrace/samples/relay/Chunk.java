// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.relay;

import java.nio.ByteBuffer;

/**
 * What the reader hands the writer: a pooled buffer holding {@code length} bytes of the file from
 * {@code position} (the buffer's position 0 to its limit). {@link #END} says the file is done.
 */
public record Chunk(ByteBuffer buffer, long position, int length) {
    /** The last element of every relay queue. */
    public static final Chunk END = new Chunk(null, -1, -1);
}
