// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * {@code perf_event_open(2)} and the calls around a perf descriptor.
 *
 * <p>glibc has no wrapper, so the syscall is made by number. Numbers are per architecture and
 * chosen explicitly (from the kernel's {@code arch/x86/entry/syscalls/syscall_64.tbl} and the
 * generic {@code include/uapi/asm-generic/unistd.h} that aarch64 uses).
 */
public final class PerfEvents {
    /** {@code __NR_perf_event_open} on x86-64. */
    public static final long SYS_PERF_EVENT_OPEN_X86_64 = 298;
    /** {@code __NR_perf_event_open} on aarch64 (asm-generic). */
    public static final long SYS_PERF_EVENT_OPEN_AARCH64 = 241;
    /** {@code __NR_gettid} on x86-64: to recognise our own reader thread in samples. */
    public static final long SYS_GETTID_X86_64 = 186;
    /** {@code __NR_gettid} on aarch64. */
    public static final long SYS_GETTID_AARCH64 = 178;

    /** Close the descriptor on exec, so a child process never holds our counters. */
    public static final long PERF_FLAG_FD_CLOEXEC = 1L << 3;

    private PerfEvents() {
    }

    /** perf_event_open's number for {@code os.arch}, or -1 where copytrace does not know it. */
    public static long perfEventOpenNumber(String osArch) {
        switch (osArch) {
            case "amd64":
            case "x86_64":
                return SYS_PERF_EVENT_OPEN_X86_64;
            case "aarch64":
                return SYS_PERF_EVENT_OPEN_AARCH64;
            default:
                return -1;
        }
    }

    /** gettid's number for {@code os.arch}, or -1. */
    public static long gettidNumber(String osArch) {
        switch (osArch) {
            case "amd64":
            case "x86_64":
                return SYS_GETTID_X86_64;
            case "aarch64":
                return SYS_GETTID_AARCH64;
            default:
                return -1;
        }
    }

    /**
     * Opens one event.
     *
     * @param pid a thread id (counts that thread, plus children when inherit is set), 0 for the caller
     * @param cpu -1 for any CPU, or one CPU (needed for inherited events that are mmap'd)
     * @return the new descriptor
     */
    public static int open(long syscallNumber, PerfEventAttr attr, int pid, int cpu, int groupFd)
            throws LastErrorException {
        try (Memory m = attr.toMemory()) {
            // Every argument is passed as a long: glibc's syscall() reads each vararg as a long.
            return (int) Unistd.LIBC.syscall(syscallNumber, m, (long) pid, (long) cpu, (long) groupFd,
                    PERF_FLAG_FD_CLOEXEC);
        }
    }

    /** The calling thread's kernel id. */
    public static int gettid(long gettidNumber) throws LastErrorException {
        return (int) Unistd.LIBC.syscall(gettidNumber);
    }

    /** Reads a counter opened with {@code read_format = 0}: one u64, children included. */
    public static long readCount(int fd, Memory eightBytes) throws LastErrorException {
        long got = Unistd.LIBC.read(fd, eightBytes, 8);
        return got == 8 ? eightBytes.getLong(0) : -1;
    }

    public static void ioctl(int fd, long request, long arg) throws LastErrorException {
        Ioctl.LIBC.ioctl(fd, request, arg);
    }

    /** Closes, ignoring errors: used on cleanup paths that must not throw. */
    public static void closeQuietly(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            Unistd.LIBC.close(fd);
        } catch (LastErrorException e) {
            // EBADF/EINTR on close: nothing left to do.
        }
    }
}
