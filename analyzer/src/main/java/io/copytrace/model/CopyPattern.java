// SPDX-License-Identifier: Apache-2.0
package io.copytrace.model;

/**
 * The per-chunk cost of moving bytes one way, as in the zero-copy primer §1 (the seeds' numbers).
 * CPU copies here are the kernel's and the ones the syscall pattern forces; JVM-added copies (heap
 * buffers, java.io streams) are measured by the agent and added on top.
 */
public enum CopyPattern {
    /** read + write through a user buffer ("traditional I/O"). */
    READ_WRITE("read+write", 2, 4, 2, 2),
    /** mmap + write. */
    MMAP_WRITE("mmap+write", 2, 4, 1, 2),
    /** sendfile. */
    SENDFILE("sendfile", 1, 2, 1, 2),
    /** sendfile with scatter/gather DMA (NIC with SG and checksum offload). */
    SENDFILE_SG("sendfile+sg-dma", 1, 2, 0, 2),
    /** copy_file_range file to file (one in-kernel page copy on ext4, 0 on reflink filesystems). */
    COPY_FILE_RANGE("copy_file_range", 1, 2, 1, 0),
    /** splice through a pipe. */
    SPLICE("splice", 2, 4, 0, 2),
    /** One read or one write syscall on a user buffer (half of READ_WRITE). */
    SINGLE_SYSCALL("read or write", 1, 2, 1, 1),
    /** Memory mapping itself: page faults instead of copies. */
    MAPPING("mmap", 1, 2, 0, 1),
    /** TLS wrap/unwrap: one transforming pass over the bytes in user space, no syscall. */
    TLS_PASS("tls wrap/unwrap", 0, 0, 1, 0),
    /** A JVM-internal heap/native copy alone, no syscall. */
    JVM_ONLY("jvm copy", 0, 0, 0, 0);

    private final String title;
    private final int syscallsPerChunk;
    private final int modeSwitchesPerChunk;
    private final int cpuCopies;
    private final int dmaCopies;

    CopyPattern(String title, int syscallsPerChunk, int modeSwitchesPerChunk, int cpuCopies, int dmaCopies) {
        this.title = title;
        this.syscallsPerChunk = syscallsPerChunk;
        this.modeSwitchesPerChunk = modeSwitchesPerChunk;
        this.cpuCopies = cpuCopies;
        this.dmaCopies = dmaCopies;
    }

    /** A short name for reports. */
    public String title() {
        return title;
    }

    /** Syscalls per chunk moved. */
    public int syscallsPerChunk() {
        return syscallsPerChunk;
    }

    /** User/kernel mode switches per chunk moved. */
    public int modeSwitchesPerChunk() {
        return modeSwitchesPerChunk;
    }

    /** CPU copies of each byte the pattern itself makes (kernel side). */
    public int cpuCopies() {
        return cpuCopies;
    }

    /** DMA copies of each byte (device side). */
    public int dmaCopies() {
        return dmaCopies;
    }
}
