// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code struct perf_event_attr} from {@code <linux/perf_event.h>}, PERF_ATTR_SIZE_VER8 (136 bytes).
 *
 * <p>Older kernels accept a larger struct as long as the bytes they do not know are zero, so one
 * layout serves all kernels we care about. Unions are represented by their first member; the bit
 * field word is {@link #flags}, built from the {@code FLAG_*} constants.
 */
@FieldOrder({"type", "size", "config", "sample_period", "sample_type", "read_format", "flags",
        "wakeup_events", "bp_type", "config1", "config2", "branch_sample_type", "sample_regs_user",
        "sample_stack_user", "clockid", "sample_regs_intr", "aux_watermark", "sample_max_stack",
        "__reserved_2", "aux_sample_size", "__reserved_3", "sig_data", "config3"})
public final class PerfEventAttr extends Structure {
    /** The size this layout declares to the kernel. */
    public static final int SIZE_VER8 = 136;

    public static final int PERF_TYPE_SOFTWARE = 1;
    public static final int PERF_TYPE_TRACEPOINT = 2;

    public static final long PERF_COUNT_SW_PAGE_FAULTS_MIN = 5;
    public static final long PERF_COUNT_SW_PAGE_FAULTS_MAJ = 6;
    public static final long PERF_COUNT_SW_CONTEXT_SWITCHES = 3;

    public static final long PERF_SAMPLE_TID = 1L << 1;
    public static final long PERF_SAMPLE_TIME = 1L << 2;
    public static final long PERF_SAMPLE_RAW = 1L << 10;

    /** Start disabled; enabled later with one ioctl so the window is not polluted by our own setup. */
    public static final long FLAG_DISABLED = 1L;
    /** Children (threads, and processes unless {@link #FLAG_INHERIT_THREAD}) inherit the counter. */
    public static final long FLAG_INHERIT = 1L << 1;
    /** Do not count in hypervisor mode: unprivileged users may not anyway. */
    public static final long FLAG_EXCLUDE_HV = 1L << 6;
    /** Linux 5.13+: inherit only into threads (CLONE_THREAD), not into forked processes. */
    public static final long FLAG_INHERIT_THREAD = 1L << 35;

    public int type;
    public int size;
    public long config;
    public long sample_period;
    public long sample_type;
    public long read_format;
    public long flags;
    public int wakeup_events;
    public int bp_type;
    public long config1;
    public long config2;
    public long branch_sample_type;
    public long sample_regs_user;
    public int sample_stack_user;
    public int clockid;
    public long sample_regs_intr;
    public int aux_watermark;
    public short sample_max_stack;
    public short __reserved_2;
    public int aux_sample_size;
    public int __reserved_3;
    public long sig_data;
    public long config3;

    public PerfEventAttr() {
        size = SIZE_VER8;
    }
}
