// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.KernelCounts;
import io.copytrace.recording.KernelThreads;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a relay's hand-offs between threads cost, when its fix puts the whole transfer on one thread: the voluntary
 * context switches the kernel counted on the relay's thread groups over the window (the recording's per-thread
 * view: exact counts), the relay's share of them (its reads and writes over those threads' read and write
 * calls), each at {@link HostCost#contextSwitchNanos()}. A thread that waits for the other (for a filled buffer,
 * for a free one) blocks: a voluntary switch, and a wake-up by the other thread. The fixed design has no other
 * thread to wait for, but it still waits where the old one waited on the outside world (for room in a socket
 * buffer): those switches are among the counted ones and the counts cannot tell them apart, and the price per
 * switch is the host's calibration, not what these threads paid: an estimate, and the finding says so.
 */
final class RelayHandOffs {
    /** The estimate (0 when not priced) and the evidence line saying what it is, or why there is none. */
    record Priced(long nanos, Prose line) {}

    private static final String COUNTERS = "voluntaryContextSwitches";

    private RelayHandOffs() {}

    /**
     * Prices the hand-offs of a relay whose bytes were read on one thread and written on another.
     *
     * @param records        the relay's read and write records (their {@code threads} name the groups)
     * @param relaySyscalls  the relay's read and write calls
     * @param threadsStay    null when the fix runs the transfer on one thread (one kernel call, no other thread);
     *                       else why the hand-offs stay with the fix
     */
    static Priced of(Recording recording, Collection<CopyRecord> records, long relaySyscalls, String threadsStay,
                     HostCost cost) {
        if (threadsStay != null) return notPriced(threadsStay);
        KernelThreads view = recording.kernel().flatMap(KernelCounts::threadView).orElse(null);
        if (view == null) {
            return notPriced(recording.fleet().isPresent()
                    ? "a merged recording keeps the kernel's per-thread views per JVM, not merged"
                    : "the recording has no per-thread kernel view (kernel=off, or an agent before it),"
                            + " so no context switches per thread");
        }
        TreeSet<String> groups = new TreeSet<>();
        for (CopyRecord r : records) groups.addAll(r.threads());
        if (groups.isEmpty()) return notPriced("the records name no threads");
        Map<String, KernelThreads.Row> rows = new HashMap<>();
        for (KernelThreads.Row row : view.groups()) if (!row.own()) rows.put(row.name(), row);
        List<String> missing = new ArrayList<>();
        for (String g : groups) if (!rows.containsKey(g) || rows.get(g).get(COUNTERS) < 0) missing.add(g);
        if (!missing.isEmpty()) {
            return notPriced("the kernel's per-thread view has no context switches for " + String.join(", ", missing)
                    + ": a thread that ends inside the window before a reading takes its switches with it (/proc"
                    + " keeps none of exited threads; kernel=proc with checkpoints reads threads while they live),"
                    + " and only the busiest groups are listed");
        }
        long switches = 0, groupCalls = 0;
        boolean ended = false;
        List<Prose> items = new ArrayList<>();
        for (String g : groups) {
            KernelThreads.Row row = rows.get(g);
            switches += row.get(COUNTERS);
            groupCalls += Math.max(0, row.sum("syscr", "syscw"));
            ended |= row.ended() > 0;
            items.add(Prose.of(Figure.THREADS, g).text(" ").fig(Figure.VOLUNTARY_CONTEXT_SWITCHES, row.get(COUNTERS)));
        }
        // threads that do other work too: the relay's share of their switches, by its share of their I/O calls
        double share = groupCalls > 0 ? Math.min(1.0, (double) relaySyscalls / groupCalls) : 1.0;
        long handOffs = Math.round(switches * share);
        Prose line = new Prose().items(Figure.THREAD_GROUPS, ", ", items)
                .text(" voluntary context switches over the window (the kernel's count per thread"
                        + (ended ? "; threads that ended are counted up to their last reading, so more" : "") + "); ")
                .fig(Figure.SHARE_OF_THREAD_CALLS, share).text(" of those threads' read and write calls are the relay's, so ")
                .fig(Figure.HAND_OFFS, handOffs).text(String.format(java.util.Locale.ROOT, " hand-offs at %,.0f ns each: ",
                        cost.contextSwitchNanos()))
                .fig(Figure.HAND_OFF_NANOS, cost.handOffNanos(handOffs))
                .text(" in the saving. An estimate: the counts are exact, but the fix, one thread that waits for no"
                        + " other, still waits for the outside world (room in the socket buffer), and those waits are"
                        + " among the counted switches; the price per switch is this host's ping-pong figure for a wake-up"
                        + " on the waker's CPU, the low end: one on another CPU costs ~10× more, and the counts do not"
                        + " tell them apart");
        return new Priced(cost.handOffNanos(handOffs), line);
    }

    private static Priced notPriced(String why) {
        return new Priced(0, Prose.of("what the hand-offs cost (a queue, wake-ups, the bytes reaching another core's"
                + " cache) is not in the saving: " + why));
    }
}
