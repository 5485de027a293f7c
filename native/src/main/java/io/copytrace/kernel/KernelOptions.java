// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import java.util.concurrent.ThreadFactory;

/**
 * How {@link KernelMonitor} records.
 *
 * @param mode where numbers come from; null means {@link KernelMode#PERF}
 * @param samples also sample every data syscall (fd, bytes) into ring buffers; off by default
 * @param ringBufferPages data pages per CPU ring buffer, rounded up to a power of two in [1, 65536]
 * @param threadFactory makes the sample reader and slicer threads, so the agent can mark them as its own; null means
 *                      plain threads
 * @param slicePlan when {@link KernelMode#SAMPLED} counts; null means {@link SlicePlan#DEFAULT}
 */
public record KernelOptions(KernelMode mode, boolean samples, int ringBufferPages, ThreadFactory threadFactory,
                            SlicePlan slicePlan) {
    /**
     * 256 pages = 1 MiB per CPU: about 14,000 syscall samples (7,000 calls) between two drains, which
     * absorbs a tight write loop while the reader thread waits for a CPU. 64 pages lost samples here.
     */
    public static final int DEFAULT_RING_BUFFER_PAGES = 256;
    /** Upper bound on pages per CPU (256 MiB with 4 KiB pages). */
    public static final int MAX_RING_BUFFER_PAGES = 1 << 16;

    public KernelOptions {
        if (mode == null) {
            mode = KernelMode.PERF;
        }
        ringBufferPages = powerOfTwo(ringBufferPages);
        if (threadFactory == null) {
            threadFactory = Thread::new;
        }
        if (slicePlan == null) {
            slicePlan = SlicePlan.DEFAULT;
        }
    }

    /** With the default {@link SlicePlan}. */
    public KernelOptions(KernelMode mode, boolean samples, int ringBufferPages, ThreadFactory threadFactory) {
        this(mode, samples, ringBufferPages, threadFactory, null);
    }

    /** perf with /proc fallback, no sampling, default buffers. */
    public static KernelOptions defaults(ThreadFactory threadFactory) {
        return new KernelOptions(KernelMode.PERF, false, DEFAULT_RING_BUFFER_PAGES, threadFactory);
    }

    private static int powerOfTwo(int pages) {
        if (pages <= 1) {
            return pages <= 0 ? DEFAULT_RING_BUFFER_PAGES : 1;
        }
        if (pages >= MAX_RING_BUFFER_PAGES) {
            return MAX_RING_BUFFER_PAGES;
        }
        return Integer.highestOneBit(pages - 1) << 1;
    }
}
