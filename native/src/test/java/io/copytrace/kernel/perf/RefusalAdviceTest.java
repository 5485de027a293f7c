// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RefusalAdviceTest {
    @Test
    void paranoidWithoutCapabilityTellsTheThreeWaysOut() {
        String advice = new RefusalAdvice(2, false).forOpen("software context-switches", Errno.EACCES, 1);
        assertEquals("perf_event_open(software context-switches) failed with EACCES (13): "
                + "kernel.perf_event_paranoid=2 and no CAP_PERFMON: run as root, grant CAP_PERFMON (setcap "
                + "cap_perfmon+ep on the java binary, or --cap-add PERFMON for a container), or sysctl "
                + "kernel.perf_event_paranoid=1", advice);
    }

    @Test
    void refusalDespitePermissionPointsAtSeccomp() {
        assertTrue(new RefusalAdvice(1, false).forOpen("x", Errno.EPERM, 1).contains("seccomp"));
        assertTrue(new RefusalAdvice(2, true).forOpen("x", Errno.EPERM, 1).contains("seccomp"));
    }

    @Test
    void otherErrnosGetTheirOwnAdvice() {
        RefusalAdvice advice = new RefusalAdvice(2, true);
        assertTrue(advice.forOpen("x", Errno.ENOSYS, 1).contains("CONFIG_PERF_EVENTS"));
        assertTrue(advice.forOpen("x", Errno.EMFILE, 506).contains("about 506"));
        assertTrue(advice.forOpen("x", Errno.EMFILE, 506).contains("ulimit -n"));
        assertTrue(advice.forOpen("x", Errno.ENOENT, 1).contains("does not support the event"));
        assertTrue(advice.forOpen("x", 42, 1).contains("errno 42"));
    }

    @Test
    void samplingNeedsMoreThanCounting() {
        assertTrue(new RefusalAdvice(1, false).forSampling("x", Errno.EACCES, 1)
                .contains("kernel.perf_event_paranoid=-1 or CAP_PERFMON"));
        assertTrue(new RefusalAdvice(-1, true).forSampling("mmap", Errno.ENOMEM, 1).contains("perf_event_mlock_kb"));
    }

    @Test
    void syscallNumbersPerArchitecture() {
        assertEquals(298, PerfEvents.perfEventOpenNumber("amd64"));
        assertEquals(241, PerfEvents.perfEventOpenNumber("aarch64"));
        assertEquals(-1, PerfEvents.perfEventOpenNumber("riscv64"));
        assertEquals(186, PerfEvents.gettidNumber("amd64"));
        assertEquals(178, PerfEvents.gettidNumber("aarch64"));
    }

    @Test
    void attributeStructureHasTheKernelsVersion8LayoutAndSize() {
        PerfEventAttr attr = new PerfEventAttr();
        attr.type = PerfEventAttr.PERF_TYPE_TRACEPOINT;
        attr.config = 0x1122334455667788L;
        attr.sample_period = 1;
        attr.sample_type = PerfEventAttr.PERF_SAMPLE_RAW;
        attr.read_format = 4;
        attr.flags = PerfEventAttr.FLAG_DISABLED | PerfEventAttr.FLAG_INHERIT_THREAD;
        attr.wakeup_events = 7;
        try (com.sun.jna.Memory m = attr.toMemory()) {
            assertEquals(PerfEventAttr.SIZE_VER8, m.size());
            // offsets from <linux/perf_event.h>: __u32 type, size; __u64 config, sample_period, sample_type,
            // read_format, the bit fields; __u32 wakeup_events; the rest (bp_type … config3) zero
            assertEquals(2, m.getInt(0));
            assertEquals(136, m.getInt(4));
            assertEquals(0x1122334455667788L, m.getLong(8));
            assertEquals(1, m.getLong(16));
            assertEquals(1L << 10, m.getLong(24));
            assertEquals(4, m.getLong(32));
            assertEquals(1L | 1L << 35, m.getLong(40));
            assertEquals(7, m.getInt(48));
            for (int off = 52; off < 136; off += 4) assertEquals(0, m.getInt(off), "offset " + off);
        }
    }
}
