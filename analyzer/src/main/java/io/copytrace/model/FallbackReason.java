// SPDX-License-Identifier: Apache-2.0
package io.copytrace.model;

/**
 * Why the JDK did not take its fastest path for a transfer, as far as the JDK lets us know. Order is
 * the wire contract with {@code Codes.WHY_*}.
 */
public enum FallbackReason {
    NONE("none", "the fastest path ran"),
    TARGET_TYPE("target-type",
            "the target is not a JDK file or socket channel (a wrapper or custom channel): no in-kernel transfer is possible"),
    TARGET_TYPE_ON_THIS_JDK("target-type-on-this-jdk",
            "this JDK has no in-kernel transfer to this channel type (JDK 25: pipes and datagram channels)"),
    APPEND_TARGET("append-target",
            "the target file is open in append mode: sendfile/copy_file_range refuse it"),
    STICKY_FLAG("sticky-flag",
            "an earlier refusal switched the direct path off for the rest of this JVM's life"),
    KERNEL_REFUSED("kernel-refused", "the kernel refused the in-kernel transfer for this call"),
    BELOW_MAPPED_THRESHOLD("below-mapped-threshold",
            "fewer than 16 KiB: the JDK skips the mapped path and loops through a heap buffer"),
    SOURCE_SIZE_ZERO("source-size-zero",
            "the source reports size 0 (e.g. /proc files): the JDK goes straight to the buffer loop"),
    SAME_FILE("same-file", "source and target are the same file"),
    NOTHING_TO_TRANSFER("nothing-to-transfer", "position at or past the end of the source, or count 0"),
    SOURCE_NOT_FILE("source-not-file",
            "the source is not a FileChannel: transferFrom always loops through a heap buffer (no splice in the JDK)"),
    TLS("tls", "TLS encrypts in user space: sendfile is impossible in the JDK"),
    UNKNOWN("unknown", "the direct path was not taken for a reason the JDK did not expose");

    private final String wireName;
    private final String explanation;

    FallbackReason(String wireName, String explanation) {
        this.wireName = wireName;
        this.explanation = explanation;
    }

    /** The name used in recordings. */
    public String wireName() {
        return wireName;
    }

    /** One sentence a user can act on. */
    public String explanation() {
        return explanation;
    }
}
