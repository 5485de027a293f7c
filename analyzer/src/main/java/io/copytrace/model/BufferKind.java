// SPDX-License-Identifier: Apache-2.0
package io.copytrace.model;

/** The memory the application handed to the JDK. Order is the wire contract with {@code Codes.BUF_*}. */
public enum BufferKind {
    NONE("none"),
    HEAP("heap"),
    DIRECT("direct"),
    MAPPED("mapped"),
    BYTE_ARRAY("byte[]"),
    /** Scatter/gather arrays mixing heap and direct buffers. */
    MIXED("mixed"),
    /** Not recorded: JDK Flight Recorder's I/O events do not say which buffer a channel call used. */
    UNKNOWN("unknown");

    private final String wireName;

    BufferKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in recordings. */
    public String wireName() {
        return wireName;
    }

    /** True when the JDK must copy between this memory and native memory around each syscall. */
    public boolean onJavaHeap() {
        return this == HEAP || this == BYTE_ARRAY;
    }
}
