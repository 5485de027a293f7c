// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

import com.sun.jna.LastErrorException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Samples every hit of a set of tracepoints in a whole process, into one ring buffer per CPU.
 *
 * <p>Why per CPU: the kernel refuses to mmap an inheriting per-thread event ({@code cpu == -1}
 * with {@code inherit}: EINVAL), because all children would write to one buffer. Inheriting
 * events bound to one CPU may be mapped. So each (start thread, tracepoint) pair is opened once
 * per online CPU, and every event on a CPU is redirected with {@code PERF_EVENT_IOC_SET_OUTPUT}
 * into that CPU's buffer: descriptors = threads x tracepoints x CPUs, buffers = CPUs.
 */
public final class PerfSampler implements AutoCloseable {
    private final List<Integer> fds;
    private final List<SampleRing> rings;

    private PerfSampler(List<Integer> fds, List<SampleRing> rings) {
        this.fds = fds;
        this.rings = rings;
    }

    /** Descriptors {@link #open} would need. */
    public static long descriptorsNeeded(int tracepoints, int tasks, int cpus) {
        return (long) tracepoints * tasks * cpus;
    }

    /**
     * Opens disabled sampling events and maps one buffer per CPU.
     *
     * @param dataPages ring size per CPU in pages, a power of two
     * @throws PerfRefusedException with advice; nothing stays open or mapped then
     */
    public static PerfSampler open(long syscallNumber, List<Integer> tracepointIds, List<Integer> tids,
                                   List<Integer> cpus, int dataPages, RefusalAdvice advice) throws PerfRefusedException {
        List<Integer> fds = new ArrayList<>();
        List<SampleRing> rings = new ArrayList<>();
        int needed = (int) Math.min(Integer.MAX_VALUE, descriptorsNeeded(tracepointIds.size(), tids.size(), cpus.size()));
        boolean threadOnly = true;
        try {
            for (int cpu : cpus) {
                SampleRing ring = null;
                for (int tid : tids) {
                    int[] taskFds = new int[tracepointIds.size()];
                    Arrays.fill(taskFds, -1);
                    boolean alive = true;
                    for (int i = 0; i < tracepointIds.size() && alive; i++) {
                        try {
                            taskFds[i] = PerfEvents.open(syscallNumber, attr(tracepointIds.get(i), threadOnly), tid, cpu, -1);
                        } catch (LastErrorException e) {
                            if (e.getErrorCode() == Errno.EINVAL && threadOnly) {
                                threadOnly = false; // Pre-5.13 kernel without inherit_thread.
                                i--;
                            } else if (e.getErrorCode() == Errno.ESRCH) {
                                alive = false;
                            } else {
                                closeAll(taskFds); // Not yet in fds: the catch below would miss them.
                                throw new PerfRefusedException(e.getErrorCode(), advice.forSampling(
                                        "perf_event_open(tracepoint " + tracepointIds.get(i) + ", tid " + tid + ", cpu "
                                                + cpu + ")", e.getErrorCode(), needed));
                            }
                        }
                    }
                    for (int fd : taskFds) {
                        if (fd < 0) {
                            continue;
                        }
                        if (!alive) {
                            PerfEvents.closeQuietly(fd);
                            continue;
                        }
                        fds.add(fd);
                        try {
                            if (ring == null) {
                                ring = SampleRing.map(fd, dataPages);
                                rings.add(ring);
                            } else {
                                PerfEvents.ioctl(fd, Ioctl.PERF_EVENT_IOC_SET_OUTPUT, ring.fd());
                            }
                        } catch (LastErrorException e) {
                            throw new PerfRefusedException(e.getErrorCode(), advice.forSampling(
                                    ring == null ? "mmap of the cpu " + cpu + " ring buffer" : "PERF_EVENT_IOC_SET_OUTPUT",
                                    e.getErrorCode(), needed));
                        }
                    }
                }
            }
        } catch (PerfRefusedException | RuntimeException e) {
            new PerfSampler(fds, rings).close();
            throw e;
        }
        return new PerfSampler(fds, rings);
    }

    private static void closeAll(int[] fds) {
        for (int fd : fds) {
            PerfEvents.closeQuietly(fd);
        }
    }

    private static PerfEventAttr attr(int tracepointId, boolean threadOnly) {
        PerfEventAttr attr = new PerfEventAttr();
        attr.type = PerfEventAttr.PERF_TYPE_TRACEPOINT;
        attr.config = tracepointId;
        attr.sample_period = 1; // every hit: bytes are summed exactly, not estimated
        attr.sample_type = PerfEventAttr.PERF_SAMPLE_TID | PerfEventAttr.PERF_SAMPLE_TIME | PerfEventAttr.PERF_SAMPLE_RAW;
        attr.flags = PerfEventAttr.FLAG_DISABLED | PerfEventAttr.FLAG_INHERIT | PerfEventAttr.FLAG_EXCLUDE_HV
                | (threadOnly ? PerfEventAttr.FLAG_INHERIT_THREAD : 0);
        return attr;
    }

    public void enable() {
        ioctlAll(Ioctl.PERF_EVENT_IOC_ENABLE);
    }

    public void disable() {
        ioctlAll(Ioctl.PERF_EVENT_IOC_DISABLE);
    }

    private void ioctlAll(long request) {
        for (int fd : fds) {
            try {
                PerfEvents.ioctl(fd, request, 0);
            } catch (LastErrorException e) {
                // A descriptor that cannot be switched only loses or keeps its own samples.
            }
        }
    }

    /** Drains every CPU's buffer once; returns bytes consumed. Call from one thread at a time. */
    public long drain(SampleRing.Sink sink) {
        long consumed = 0;
        for (SampleRing ring : rings) {
            consumed += ring.drain(sink);
        }
        return consumed;
    }

    public int descriptors() {
        return fds.size();
    }

    public int buffers() {
        return rings.size();
    }

    /** Throttle records over all buffers. */
    public long throttled() {
        long total = 0;
        for (SampleRing ring : rings) {
            total += ring.throttled();
        }
        return total;
    }

    /** Unmaps every buffer, then closes every descriptor. Safe to call twice. */
    @Override
    public void close() {
        for (SampleRing ring : rings) {
            ring.close();
        }
        for (int i = 0; i < fds.size(); i++) {
            PerfEvents.closeQuietly(fds.get(i));
            fds.set(i, -1);
        }
    }
}
