// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import java.util.HashMap;
import java.util.Map;

/**
 * The start snapshot of a window and what later snapshots saw of threads that have since ended: each
 * such thread's counters from its first to its last reading, summed per name group (so memory stays
 * bounded by live threads and groups, not by thread churn). An ended thread's activity after its last
 * reading stays in {@link ThreadWindow}'s remainder. Thread-safe.
 */
public final class ThreadHistory {
    private final ThreadSnapshot start;
    private ThreadSnapshot latest;
    private final Map<String, Ended> endedByGroup = new HashMap<>();
    private int interimSnapshots;
    private boolean finished;

    /** What the ended threads of one name group did up to their last readings. */
    static final class Ended {
        long threads;
        final long[] values = new long[ThreadCounters.KEYS.size()];
    }

    /** Starts from the window's start snapshot. */
    public ThreadHistory(ThreadSnapshot start) {
        this.start = start;
        this.latest = start;
    }

    /**
     * A new history from this one's start snapshot, without its later readings: for a rehearsal of the end. Loads
     * the ended threads' class too, which a rehearsal in which no thread ended does not: read from the agent's jar
     * at the exit, it took ~1 ms there.
     */
    public ThreadHistory fromStart() {
        new Ended();
        return new ThreadHistory(start);
    }

    /** An interim snapshot (any order of reads will do: the process files are not used); ignored after the end. */
    public synchronized void sample(ThreadSnapshot interim) {
        if (finished) {
            return;
        }
        foldEnded(interim);
        latest = interim;
        interimSnapshots++;
    }

    /** Folds in the threads gone by {@code end}, once; the ended threads' known parts per group. */
    synchronized Map<String, Ended> endedAt(ThreadSnapshot end) {
        if (!finished) {
            foldEnded(end);
            latest = end;
            finished = true;
        }
        return java.util.Collections.unmodifiableMap(endedByGroup); // no sample() changes it any more
    }

    ThreadSnapshot start() {
        return start;
    }

    /** The latest reading (the start, an interim snapshot or the end). */
    public synchronized ThreadSnapshot latest() {
        return latest;
    }

    /** Live threads at the latest reading (the start, an interim snapshot or the end). */
    public synchronized int threadsLastSeen() {
        return latest.tasks().size();
    }

    synchronized int interimSnapshots() {
        return interimSnapshots;
    }

    /** The counters {@code task} started the window with: its start reading, or zero when born inside. */
    ThreadCounters first(ThreadSnapshot.Task task) {
        ThreadSnapshot.Task atStart = start.tasks().get(task.tid());
        return same(atStart, task) ? atStart.counters() : ThreadCounters.ZERO;
    }

    /** Same thread in two readings: same tid (the map key), same start time, no counter went down. */
    static boolean same(ThreadSnapshot.Task before, ThreadSnapshot.Task after) {
        return before != null && after != null && before.startTime() == after.startTime()
                && !after.counters().below(before.counters());
    }

    private void foldEnded(ThreadSnapshot now) {
        for (ThreadSnapshot.Task last : latest.tasks().values()) {
            if (same(last, now.tasks().get(last.tid()))) {
                continue;
            }
            String group = ThreadWindow.group(last.name());
            Ended ended = endedByGroup.get(group); // no lambda: linked at the exit's close otherwise (ThreadWindow.sum)
            if (ended == null) {
                ended = new Ended();
                endedByGroup.put(group, ended);
            }
            ended.threads++;
            ThreadCounters known = last.counters().minus(first(last));
            for (int i = 0; i < ended.values.length; i++) {
                ended.values[i] = ended.values[i] < 0 || known.get(i) < 0 ? -1 : ended.values[i] + known.get(i);
            }
        }
    }
}
