// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

/**
 * The syscalls copytrace counts: the ways a JVM moves bytes between user space and the kernel,
 * and the mapping calls that avoid doing so. The name is the tracepoint suffix
 * ({@code syscalls:sys_enter_<name>}) and the key in the JSON.
 */
public enum TracedSyscall {
    READ("read", true),
    WRITE("write", true),
    PREAD64("pread64", true),
    PWRITE64("pwrite64", true),
    READV("readv", true),
    WRITEV("writev", true),
    PREADV("preadv", true),
    PWRITEV("pwritev", true),
    SENDFILE64("sendfile64", true),
    SPLICE("splice", true),
    VMSPLICE("vmsplice", true),
    COPY_FILE_RANGE("copy_file_range", true),
    MMAP("mmap", false),
    MUNMAP("munmap", false),
    MADVISE("madvise", false),
    MSYNC("msync", false),
    SENDTO("sendto", true),
    RECVFROM("recvfrom", true),
    SENDMSG("sendmsg", true),
    RECVMSG("recvmsg", true);

    private final String syscallName;
    private final boolean data;

    TracedSyscall(String syscallName, boolean data) {
        this.syscallName = syscallName;
        this.data = data;
    }

    /** The kernel's name, e.g. "sendfile64". */
    public String syscallName() {
        return syscallName;
    }

    /** Whether the call moves bytes through a descriptor, and so is sampled (fd, bytes) in sampling mode. */
    public boolean data() {
        return data;
    }
}
