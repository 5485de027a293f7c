// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The calling thread's CPU time, for calibrations whose other threads (a draining reader) or waits must not count:
 * the sending thread's own user + system time, wall-clock time where the JVM cannot tell.
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {}

    /** Nanoseconds of this thread's CPU so far (or of wall clock, when the JVM does not measure thread CPU). */
    static long now() {
        long cpu = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
        return cpu >= 0 ? cpu : System.nanoTime();
    }

    /** Nanoseconds of {@code t}'s CPU so far, or -1 when the JVM does not measure other threads' CPU. */
    static long of(Thread t) {
        return THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(t.getId()) : -1;
    }

    /**
     * The median of {@code rounds} (rounds timed by {@link #now}, or single copies): the upper middle of an even
     * count.
     */
    static long median(long[] rounds) {
        long[] sorted = rounds.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
