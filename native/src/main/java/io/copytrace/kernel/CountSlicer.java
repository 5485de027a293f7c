// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import io.copytrace.kernel.perf.PerfCounters;
import io.copytrace.kernel.perf.PerfEventAttr;
import io.copytrace.kernel.perf.PerfRefusedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Switches a set of counters on for slices of the window ({@link SlicePlan}) and reads them at the end of
 * each slice. The head is enabled by {@link #start} itself, so the window begins when it returns; every
 * later ioctl and read is made by one daemon thread from the caller's factory. Between slices the
 * counters stay open but disabled: a syscall then pays the tracepoint's slow path, not the count.
 *
 * <p>Slice times are the midpoints of the enable and disable loops: the ioctls walk the descriptors in
 * the same order both times, so each descriptor is on for about that long.
 */
final class CountSlicer {
    /** How long {@link #finish} waits for the thread; it only has to leave a sleep and make a few ioctls. */
    private static final long JOIN_MILLIS = 5_000;
    /** Fewer slices than this after the head make an estimate weak (Student's t with < 4 degrees is wide). */
    static final int MIN_SLICES = 5;

    private final PerfCounters counters;
    private final SlicePlan plan;
    private final long startNanos;
    private final SplittableRandom random = new SplittableRandom();
    private volatile boolean stopping;
    /** Set by whichever of the thread (leaving run) and finish (giving up on the join) comes first. */
    private final AtomicBoolean oneLeft = new AtomicBoolean();
    private volatile long stopNanos;
    private Thread thread;

    // Written by the slicer thread (or by start/finish when there is none); read after join.
    private boolean enabled;
    private long[] previous;
    private long[] headCounts;
    private long headEndNanos = -1;
    /** Midpoint of the latest disable: the window ends there when a slice was on at stop. */
    private long lastOffNanos;
    private final List<long[]> sliceCounts = new ArrayList<>();
    private final List<Long> sliceNanos = new ArrayList<>();
    private long toggles;
    private long toggleNanos;
    private long reads;
    private long readNanos;
    private String failure;

    private CountSlicer(PerfCounters counters, SlicePlan plan, long startNanos) {
        this.counters = counters;
        this.plan = plan;
        this.startNanos = startNanos;
    }

    /**
     * Enables the counters for the head and starts the slicer thread. If the factory fails, the counters
     * simply stay on: the window is then counted whole, and the result says why.
     *
     * @throws PerfRefusedException when the first enable fails (the caller closes the counters)
     */
    static CountSlicer start(PerfCounters counters, SlicePlan plan, ThreadFactory factory) throws PerfRefusedException {
        long before = System.nanoTime();
        counters.enable();
        long after = System.nanoTime();
        CountSlicer slicer = new CountSlicer(counters, plan, before + (after - before) / 2);
        slicer.enabled = true;
        slicer.previous = new long[counters.specs().size()];
        slicer.toggles = 1;
        slicer.toggleNanos = after - before;
        try {
            Thread thread = factory.newThread(slicer::run);
            thread.setDaemon(true);
            slicer.thread = thread;
            thread.start();
        } catch (Throwable t) {
            slicer.thread = null;
            slicer.failure = "the slicer thread could not start (" + t + "); counted the whole window";
        }
        return slicer;
    }

    private void run() {
        try {
            if (sleepUntil(startNanos + TimeUnit.MILLISECONDS.toNanos(plan.headMillis()))) {
                endHead();
                long sliceLength = TimeUnit.MILLISECONDS.toNanos(plan.sliceMillis());
                long period = TimeUnit.MILLISECONDS.toNanos(plan.periodMillis());
                for (long periodStart = headEndNanos; !stopping; periodStart += period) {
                    long sliceStart = periodStart + random.nextInt(plan.slots()) * sliceLength;
                    if (!sleepUntil(sliceStart)) {
                        break;
                    }
                    long on = toggle(true);
                    sleepUntil(sliceStart + sliceLength); // Returns early at stop: a shorter last slice.
                    long off = toggle(false);
                    long[] counts = delta(read());
                    sliceCounts.add(counts);
                    sliceNanos.add(Math.max(0, off - on));
                }
            }
            stopCounting();
        } catch (Throwable t) {
            failure = "the slicer failed (" + t + ")";
            try {
                counters.disable();
                enabled = false;
            } catch (Throwable ignored) {
                // Already failing; finish reports it.
            }
        } finally {
            if (!oneLeft.compareAndSet(false, true)) {
                counters.close(); // finish gave up waiting and left the descriptors to us: no one else uses them now.
            }
        }
    }

    /** Ends the head slice (or, at stop during the head, the whole window). */
    private void endHead() throws PerfRefusedException {
        headEndNanos = toggle(false);
        headCounts = read();
        previous = headCounts.clone();
    }

    /** At stop: the head may still be on; slices always end disabled. */
    private void stopCounting() throws PerfRefusedException {
        if (headCounts == null) {
            endHead();
        }
    }

    /** Enables or disables every counter; returns the loop's midpoint. */
    private long toggle(boolean on) throws PerfRefusedException {
        long before = System.nanoTime();
        if (on) {
            counters.enable();
        } else {
            counters.disable();
        }
        long after = System.nanoTime();
        enabled = on;
        if (!on) {
            lastOffNanos = before + (after - before) / 2;
        }
        toggles++;
        toggleNanos += after - before;
        return before + (after - before) / 2;
    }

    private long[] read() throws PerfRefusedException {
        long before = System.nanoTime();
        long[] totals = counters.read();
        reads++;
        readNanos += System.nanoTime() - before;
        return totals;
    }

    private long[] delta(long[] totals) {
        long[] counts = new long[totals.length];
        for (int i = 0; i < totals.length; i++) {
            counts[i] = Math.max(0, totals[i] - previous[i]);
        }
        previous = totals;
        return counts;
    }

    /** Parks until {@code deadline} (System.nanoTime) or stop; returns false when stopping. */
    private boolean sleepUntil(long deadline) {
        for (long left; !stopping && (left = deadline - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(this, left);
        }
        return !stopping;
    }

    /**
     * Stops slicing and leaves the counters disabled and read. Never throws.
     *
     * @return the slices, or a result with {@code failure} set when the counts cannot be trusted
     */
    Slices finish() {
        stopNanos = System.nanoTime();
        stopping = true;
        boolean joined = true;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            joined = !thread.isAlive();
        }
        if (!joined && oneLeft.compareAndSet(false, true)) {
            // Still running: it may yet touch the descriptors, so it closes them when it leaves, not the
            // caller (a closed number can be reused by the application at once).
            return new Slices(null, -1, -1, List.of(), new long[0], 0, 0, 0, 0,
                    "the slicer thread did not stop within " + JOIN_MILLIS + " ms", true);
        }
        if (thread == null) {
            try {
                endHead(); // No thread: the head is the whole window.
            } catch (Throwable t) {
                failure = "reading the counters failed (" + t + ")";
            }
        }
        if (headCounts == null) {
            return new Slices(null, -1, -1, List.of(), new long[0], toggles, toggleNanos, reads, readNanos,
                    failure == null ? "the counters were never read" : failure, false);
        }
        long[] durations = sliceNanos.stream().mapToLong(Long::longValue).toArray();
        long lastEdge = Math.max(stopNanos, lastOffNanos);
        return new Slices(headCounts, headEndNanos - startNanos, Math.max(0, lastEdge - headEndNanos),
                List.copyOf(sliceCounts), durations, toggles, toggleNanos, reads, readNanos,
                enabled ? "the counters could not be switched off (" + failure + ")" : failure, false);
    }

    /**
     * What was counted.
     *
     * @param headCounts per counter, in the head; null when nothing could be read
     * @param headNanos how long the head was counted
     * @param restNanos the window after the head, sampled by the slices
     * @param sliceCounts per slice, per counter
     * @param sliceNanos per slice, its duration
     * @param failure why the slicing stopped early or could not run, or null; with {@code headCounts}
     *                present the counts stay valid (a failure at a slice edge leaves the counters off)
     * @param slicerClosesCounters the thread did not stop in time and will close the counters itself
     */
    record Slices(long[] headCounts, long headNanos, long restNanos, List<long[]> sliceCounts, long[] sliceNanos,
                  long toggles, long toggleNanos, long reads, long readNanos, String failure,
                  boolean slicerClosesCounters) {
        /** Nanoseconds counted: head plus slices. */
        long countedNanos() {
            long sum = Math.max(0, headNanos);
            for (long nanos : sliceNanos) {
                sum += nanos;
            }
            return sum;
        }

        /**
         * The {@code sampling} subtree of the window (schema in docs/kernel-counters.md); {@code estimates}
         * gets each counter's estimate by name.
         */
        Map<String, Object> toJson(List<PerfCounters.Spec> specs, SlicePlan plan, Map<String, Long> estimates) {
            Map<String, Object> syscalls = new LinkedHashMap<>();
            Map<String, Object> software = new LinkedHashMap<>();
            for (int i = 0; i < specs.size(); i++) {
                SliceEstimate estimate = estimate(i);
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("estimate", estimate.estimate());
                json.put("counted", estimate.counted());
                json.put("low", estimate.low());
                json.put("high", estimate.high());
                json.put("standardError", estimate.standardError());
                (specs.get(i).type() == PerfEventAttr.PERF_TYPE_SOFTWARE ? software : syscalls)
                        .put(specs.get(i).name(), json);
                estimates.put(specs.get(i).name(), estimate.estimate());
            }
            long windowNanos = Math.max(0, headNanos) + restNanos;
            boolean weak = restNanos > 0 && sliceNanos.length < MIN_SLICES;
            String note = failure;
            if (weak && note == null) {
                note = "only " + sliceNanos.length + " slice(s) after the counted head: the intervals rest on too few"
                        + " slices (a window of " + MIN_SLICES + "+ periods after the head gives a firm estimate)";
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("sliceMillis", plan.sliceMillis());
            json.put("periodMillis", plan.periodMillis());
            json.put("headMillis", plan.headMillis());
            json.put("windowNanos", windowNanos);
            json.put("countedNanos", Math.min(windowNanos, countedNanos()));
            json.put("countedPermille", windowNanos == 0 ? 1000L : Math.min(1000L, countedNanos() * 1000 / windowNanos));
            json.put("slices", (long) sliceNanos.length);
            json.put("weak", weak);
            json.put("note", note);
            json.put("toggles", toggles);
            json.put("toggleMicrosMean", toggles == 0 ? 0L : toggleNanos / toggles / 1000);
            json.put("readMicrosMean", reads == 0 ? 0L : readNanos / reads / 1000);
            json.put("syscalls", syscalls);
            json.put("counters", software);
            return json;
        }

        /** The estimate of counter {@code index}. */
        SliceEstimate estimate(int index) {
            long[] counts = new long[sliceCounts.size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = sliceCounts.get(i)[index];
            }
            return SliceEstimate.of(headCounts[index], counts, sliceNanos, restNanos);
        }
    }
}
