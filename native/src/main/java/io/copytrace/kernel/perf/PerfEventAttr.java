// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

import com.sun.jna.Memory;

/**
 * {@code struct perf_event_attr} from {@code <linux/perf_event.h>}, PERF_ATTR_SIZE_VER8 (136 bytes).
 *
 * <p>Older kernels accept a larger struct as long as the bytes they do not know are zero, so one
 * layout serves all kernels we care about. Only the members copytrace sets are fields; the rest stay
 * zero. The bit field word is {@link #flags}, built from the {@code FLAG_*} constants. Written to native
 * memory at the header's offsets by {@link #toMemory()}: not a JNA {@code Structure}, whose reflection
 * costs ~0.1 s of start-up.
 */
public final class PerfEventAttr {
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
    public int size = SIZE_VER8;
    public long config;
    public long sample_period;
    public long sample_type;
    public long read_format;
    public long flags;
    public int wakeup_events;

    /** Offsets in {@code struct perf_event_attr}. */
    static final int OFF_TYPE = 0;
    static final int OFF_SIZE = 4;
    static final int OFF_CONFIG = 8;
    static final int OFF_SAMPLE_PERIOD = 16;
    static final int OFF_SAMPLE_TYPE = 24;
    static final int OFF_READ_FORMAT = 32;
    static final int OFF_FLAGS = 40;
    static final int OFF_WAKEUP_EVENTS = 48;

    /** The whole struct in native memory, every other member zero. */
    public Memory toMemory() {
        Memory m = new Memory(SIZE_VER8);
        m.clear();
        m.setInt(OFF_TYPE, type);
        m.setInt(OFF_SIZE, size);
        m.setLong(OFF_CONFIG, config);
        m.setLong(OFF_SAMPLE_PERIOD, sample_period);
        m.setLong(OFF_SAMPLE_TYPE, sample_type);
        m.setLong(OFF_READ_FORMAT, read_format);
        m.setLong(OFF_FLAGS, flags);
        m.setInt(OFF_WAKEUP_EVENTS, wakeup_events);
        return m;
    }
}
