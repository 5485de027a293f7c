// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/** {@code <sys/ioctl.h>} and the perf ioctl requests from {@code <linux/perf_event.h>}. */
public interface Ioctl extends Library {
    Ioctl LIBC = Native.load("c", Ioctl.class);

    /** {@code _IO('$', 0)}: start counting; with arg 0 it also applies to inherited children. */
    long PERF_EVENT_IOC_ENABLE = 0x2400;
    /** {@code _IO('$', 1)}: stop counting, the value stays readable. */
    long PERF_EVENT_IOC_DISABLE = 0x2401;
    /** {@code _IO('$', 3)}: zero the count. */
    long PERF_EVENT_IOC_RESET = 0x2403;
    /** {@code _IO('$', 5)}: send this event's samples to another event's ring buffer (same CPU). */
    long PERF_EVENT_IOC_SET_OUTPUT = 0x2405;

    int ioctl(int fd, long request, long arg) throws LastErrorException;
}
