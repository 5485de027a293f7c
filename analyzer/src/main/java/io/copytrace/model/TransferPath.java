// SPDX-License-Identifier: Apache-2.0
package io.copytrace.model;

/**
 * Which JDK code path really moved the bytes. Order is the wire contract with {@code Codes.PATH_*}.
 */
public enum TransferPath {
    /** Nothing was moved (count 0, position past the end, or the call failed before any I/O). */
    NONE("none", "no bytes moved"),
    /** One read/write-family syscall on the caller's buffer (plus JVM copies the buffer kind implies). */
    SYSCALL("syscall", "read/write syscall through a user buffer"),
    /** sendfile or copy_file_range: the kernel moves the bytes, no user-space copy. */
    DIRECT("direct", "in-kernel transfer (sendfile / copy_file_range)"),
    /** The source is mapped read-only in chunks and the mapping is written to the target. */
    MAPPED("mapped", "mmap + write"),
    /** An 8 KiB (16 KiB for some helpers) user-space buffer read/write loop. */
    LOOP("loop", "user-space buffer read/write loop"),
    /** A mapping was created (FileChannel.map) or touched (load/force). */
    MAP("map", "memory mapping"),
    /** Bytes went through a TLS engine in user space. */
    TLS_ENGINE("tls-engine", "TLS encryption/decryption in user space");

    private final String wireName;
    private final String title;

    TransferPath(String wireName, String title) {
        this.wireName = wireName;
        this.title = title;
    }

    /** The name used in recordings. */
    public String wireName() {
        return wireName;
    }

    /** A human description for reports. */
    public String title() {
        return title;
    }
}
