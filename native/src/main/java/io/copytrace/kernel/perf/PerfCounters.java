// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counting events for a whole process: one inheriting counter per event per thread that existed at
 * start. A thread created later is covered by its creator's counter (inherit), so the sum over the
 * start threads is the process total. Counters start disabled and are switched on and off with one
 * ioctl each, so copytrace's own set-up and read-out syscalls stay outside the window.
 */
public final class PerfCounters implements AutoCloseable {

    /** One event to count: a name for reports, and the perf type/config pair. */
    public record Spec(String name, int type, long config) {
    }

    private final List<Spec> specs;
    /** fds.get(task)[spec]; -1 where that task had exited before its counter was opened. */
    private final List<int[]> fds;
    private final int tasks;
    private final boolean threadOnlyInheritance;
    private final boolean grouped;

    private PerfCounters(List<Spec> specs, List<int[]> fds, boolean threadOnlyInheritance, boolean grouped) {
        this.specs = specs;
        this.fds = fds;
        this.tasks = fds.size();
        this.threadOnlyInheritance = threadOnlyInheritance;
        this.grouped = grouped;
    }

    /**
     * Opens every spec for every task, disabled.
     *
     * @throws PerfRefusedException when the kernel refuses; nothing stays open then
     */
    public static PerfCounters open(long syscallNumber, List<Spec> specs, List<Integer> tids, RefusalAdvice advice)
            throws PerfRefusedException {
        return open(syscallNumber, specs, tids, advice, false);
    }

    /**
     * Opens every spec for every task, disabled. With {@code grouped}, each task's counters form one perf
     * group led by the first spec: only the leader is opened disabled, the others count whenever it is on,
     * so {@link #enable}/{@link #disable} need one ioctl per task instead of one per counter (the ioctls,
     * not the counting, are what a slicer pays for: ~15 µs each for an inheriting counter here).
     *
     * @throws PerfRefusedException when the kernel refuses; nothing stays open then
     */
    public static PerfCounters open(long syscallNumber, List<Spec> specs, List<Integer> tids, RefusalAdvice advice,
                                    boolean grouped) throws PerfRefusedException {
        List<int[]> opened = new ArrayList<>();
        boolean threadOnly = true;
        try {
            for (int tid : tids) {
                int[] taskFds = new int[specs.size()];
                Arrays.fill(taskFds, -1);
                boolean alive = true;
                for (int i = 0; i < specs.size() && alive; i++) {
                    Spec spec = specs.get(i);
                    try {
                        taskFds[i] = openCounter(syscallNumber, spec, tid, threadOnly, grouped && i > 0 ? taskFds[0] : -1);
                    } catch (LastErrorException e) {
                        if (e.getErrorCode() == Errno.EINVAL && threadOnly) {
                            // Kernels before 5.13 do not know inherit_thread: inherit into processes too.
                            threadOnly = false;
                            i--;
                            continue;
                        }
                        if (e.getErrorCode() == Errno.ESRCH) {
                            alive = false; // The thread ended meanwhile; its creator's counter has nothing of it to miss.
                            continue;
                        }
                        for (int fd : taskFds) {
                            PerfEvents.closeQuietly(fd); // Not yet in opened: the catch below would miss them.
                        }
                        throw new PerfRefusedException(e.getErrorCode(), advice.forOpen(spec.name() + ", tid " + tid,
                                e.getErrorCode(), tids.size() * specs.size()));
                    }
                }
                if (!alive) {
                    for (int fd : taskFds) {
                        PerfEvents.closeQuietly(fd);
                    }
                    continue;
                }
                opened.add(taskFds);
            }
        } catch (PerfRefusedException | RuntimeException e) {
            closeAll(opened);
            throw e;
        }
        return new PerfCounters(List.copyOf(specs), opened, threadOnly, grouped);
    }

    /** {@code leader} -1: a counter of its own (or a group leader), opened disabled; else a member, enabled. */
    private static int openCounter(long syscallNumber, Spec spec, int tid, boolean threadOnly, int leader) {
        PerfEventAttr attr = new PerfEventAttr();
        attr.type = spec.type();
        attr.config = spec.config();
        attr.flags = (leader < 0 ? PerfEventAttr.FLAG_DISABLED : 0) | PerfEventAttr.FLAG_INHERIT
                | PerfEventAttr.FLAG_EXCLUDE_HV | (threadOnly ? PerfEventAttr.FLAG_INHERIT_THREAD : 0);
        return PerfEvents.open(syscallNumber, attr, tid, -1, leader);
    }

    /** Starts counting on every descriptor (children included). */
    public void enable() throws PerfRefusedException {
        ioctlAll(Ioctl.PERF_EVENT_IOC_ENABLE);
    }

    /** Stops counting; values stay readable. */
    public void disable() throws PerfRefusedException {
        ioctlAll(Ioctl.PERF_EVENT_IOC_DISABLE);
    }

    private void ioctlAll(long request) throws PerfRefusedException {
        for (int[] taskFds : fds) {
            for (int i = 0; i < (grouped ? Math.min(1, taskFds.length) : taskFds.length); i++) {
                int fd = taskFds[i];
                if (fd >= 0) {
                    try {
                        PerfEvents.ioctl(fd, request, 0);
                    } catch (LastErrorException e) {
                        throw new PerfRefusedException(e.getErrorCode(), "perf ioctl failed with "
                                + Errno.describe(e.getErrorCode()));
                    }
                }
            }
        }
    }

    /** The totals per spec, in spec order: the sum over all start threads and their descendants. */
    public long[] read() throws PerfRefusedException {
        long[] totals = new long[specs.size()];
        try (Memory buffer = new Memory(8)) {
            for (int[] taskFds : fds) {
                for (int i = 0; i < taskFds.length; i++) {
                    if (taskFds[i] >= 0) {
                        try {
                            long value = PerfEvents.readCount(taskFds[i], buffer);
                            if (value > 0) {
                                totals[i] += value;
                            }
                        } catch (LastErrorException e) {
                            throw new PerfRefusedException(e.getErrorCode(), "reading a perf counter failed with "
                                    + Errno.describe(e.getErrorCode()));
                        }
                    }
                }
            }
        }
        return totals;
    }

    public List<Spec> specs() {
        return specs;
    }

    /** Threads that got their own counters. */
    public int tasks() {
        return tasks;
    }

    /** Open perf descriptors. */
    public int descriptors() {
        return tasks * specs.size();
    }

    /** Whether inherit_thread was honoured (Linux 5.13+): forked child processes are then not counted. */
    public boolean threadOnlyInheritance() {
        return threadOnlyInheritance;
    }

    /** Closes every descriptor; safe to call twice. */
    @Override
    public void close() {
        closeAll(fds);
    }

    private static void closeAll(List<int[]> all) {
        for (int[] taskFds : all) {
            for (int i = taskFds.length - 1; i >= 0; i--) { // Members before their leader: none is left leaderless.
                PerfEvents.closeQuietly(taskFds[i]);
                taskFds[i] = -1;
            }
        }
    }
}
