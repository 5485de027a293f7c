// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few {@code <unistd.h>} functions the perf bridge needs.
 *
 * <p>{@code size_t}/{@code ssize_t} are mapped to {@code long}: only LP64 Linux (x86-64, aarch64) is
 * supported, where both are 64 bits.
 */
public interface Unistd extends Library {
    /** Loaded lazily by {@link PerfEvents}; loading fails on non-Linux systems, which is expected. */
    Unistd LIBC = Native.load("c", Unistd.class);

    /** {@code long syscall(long number, ...)}: perf_event_open has no glibc wrapper. */
    long syscall(long number, Object... args) throws LastErrorException;

    long read(int fd, Pointer buf, long count) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    /** The size mmap works in; the perf ring buffer is one header page plus 2^n data pages. */
    int getpagesize();
}
