// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A window's start and end {@link ThreadSnapshot}s (and, through {@link ThreadHistory}, the last readings of
 * threads that ended in between): per thread and per thread-name group deltas, and what the ended threads
 * did after their last reading (process totals minus the live threads and those readings). The JSON layout
 * is the {@code threads} key of {@code docs/kernel-counters.md}.
 */
public final class ThreadWindow {
    /** Groups listed; the rest are summed in {@code otherGroups}. */
    public static final int MAX_GROUPS = 50;
    /** Threads listed, busiest first. */
    public static final int MAX_THREADS = 50;
    /** Threads whose name starts with this are copytrace's own and kept out of the app totals. */
    public static final String OWN_PREFIX = "copytrace";
    /** Context switches of an ended thread leave /proc with it (no process-wide file sums them). */
    static final List<String> LOST_FOR_ENDED = List.of("voluntaryContextSwitches", "nonvoluntaryContextSwitches");

    private ThreadWindow() {
    }

    /** The name group: digit runs folded to '#' ("pool-#-thread-#"), the rule the agent uses for records. */
    public static String group(String name) {
        // A loop, not replaceAll: the exit's close calls this per thread and group, and a regex there is
        // compiled each call, in code that has not reached the JIT.
        StringBuilder folded = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            if (!digit) {
                folded.append(c);
            } else if (i == 0 || name.charAt(i - 1) < '0' || name.charAt(i - 1) > '9') {
                folded.append('#');
            }
        }
        return folded.toString();
    }

    /** The window as a JSON-ready tree, bounded by {@link #MAX_GROUPS} and {@link #MAX_THREADS}. */
    public static Map<String, Object> toJson(ThreadSnapshot start, ThreadSnapshot end) {
        return toJson(new ThreadHistory(start), end, MAX_GROUPS, MAX_THREADS);
    }

    /** As {@link #toJson(ThreadSnapshot, ThreadSnapshot)}, with the ended threads' last readings of {@code history}. */
    public static Map<String, Object> toJson(ThreadHistory history, ThreadSnapshot end) {
        return toJson(history, end, MAX_GROUPS, MAX_THREADS);
    }

    static Map<String, Object> toJson(ThreadSnapshot start, ThreadSnapshot end, int maxGroups, int maxThreads) {
        return toJson(new ThreadHistory(start), end, maxGroups, maxThreads);
    }

    static Map<String, Object> toJson(ThreadHistory history, ThreadSnapshot end, int maxGroups, int maxThreads) {
        ThreadSnapshot start = history.start();
        List<Row> live = new ArrayList<>(end.tasks().size());
        for (ThreadSnapshot.Task task : end.tasks().values()) {
            // A thread not seen at the start was born inside the window: it counts from zero.
            boolean born = !ThreadHistory.same(start.tasks().get(task.tid()), task);
            live.add(new Row(task, task.counters().minus(history.first(task)), born));
        }
        Sum app = new Sum();
        Sum own = new Sum();
        Map<String, Sum> groups = new HashMap<>();
        for (Row row : live) {
            (row.task.name().startsWith(OWN_PREFIX) ? own : app).add(row.delta, row.born);
            sum(groups, group(row.task.name())).add(row.delta, row.born);
        }
        // Threads that ended, up to their last reading: counted in their group, and in app or own.
        Sum endedKnown = new Sum();
        Map<String, Long> endedGroups = new java.util.TreeMap<>();
        for (Map.Entry<String, ThreadHistory.Ended> e : history.endedAt(end).entrySet()) {
            ThreadHistory.Ended ended = e.getValue();
            endedGroups.put(e.getKey(), ended.threads);
            endedKnown.addEnded(ended);
            (e.getKey().startsWith(OWN_PREFIX) ? own : app).addEnded(ended);
            sum(groups, e.getKey()).addEnded(ended);
        }
        Sum counted = new Sum().plus(app).plus(own);
        long[] process = processDelta(start, end);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("threadsAtStart", (long) start.tasks().size());
        json.put("threadsAtEnd", (long) end.tasks().size());
        long born = 0;
        for (Row row : live) {
            born += row.born ? 1 : 0;
        }
        json.put("born", born);
        json.put("ended", endedKnown.ended);
        json.put("unreadable", (long) (start.unreadable() + end.unreadable()));
        json.put("startSnapshotNanos", start.nanos());
        json.put("endSnapshotNanos", end.nanos());
        json.put("carriedAtEnd", (long) end.carried());
        json.put("interimSnapshots", (long) history.interimSnapshots());
        json.put("process", counters(new LinkedHashMap<>(), process));
        json.put("app", app.toJson(new LinkedHashMap<>()));
        json.put("own", own.toJson(new LinkedHashMap<>()));
        json.put("endedThreads", ended(process, counted, endedKnown, endedGroups, maxGroups));
        // Groups and threads that did nothing at all in the window are counted, not listed: a row of zeros says only
        // a name, and a service's idle pools would fill the lists (and the exit's close) with them.
        List<Map.Entry<String, Sum>> ranked = new ArrayList<>();
        long idleGroups = 0;
        for (Map.Entry<String, Sum> e : groups.entrySet()) {
            if (e.getValue().idle()) {
                idleGroups++;
            } else {
                ranked.add(e);
            }
        }
        ranked.sort(new GroupsBusiestFirst());
        List<Object> groupRows = new ArrayList<>();
        Sum others = new Sum();
        for (int i = 0; i < ranked.size(); i++) {
            Map.Entry<String, Sum> entry = ranked.get(i);
            if (i < maxGroups) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("group", entry.getKey());
                row.put("own", entry.getKey().startsWith(OWN_PREFIX));
                groupRows.add(entry.getValue().toJson(row));
            } else {
                others.plus(entry.getValue());
            }
        }
        json.put("byGroup", groupRows);
        json.put("groupsNotListed", (long) Math.max(0, ranked.size() - maxGroups));
        json.put("otherGroups", ranked.size() > maxGroups ? others.toJson(new LinkedHashMap<>()) : null);
        json.put("idleGroupsNotListed", idleGroups);
        long idleThreads = 0;
        for (int i = live.size() - 1; i >= 0; i--) {
            if (live.get(i).delta.isZero()) {
                live.remove(i);
                idleThreads++;
            }
        }
        live.sort(new ThreadsBusiestFirst());
        List<Object> threadRows = new ArrayList<>();
        for (Row row : live.subList(0, Math.min(maxThreads, live.size()))) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("tid", (long) row.task.tid());
            item.put("name", row.task.name());
            item.put("group", group(row.task.name()));
            item.put("born", row.born);
            threadRows.add(counters(item, row.delta.toArray()));
        }
        json.put("byThread", threadRows);
        json.put("threadsNotListed", (long) Math.max(0, live.size() - maxThreads));
        json.put("idleThreadsNotListed", idleThreads);
        return json;
    }

    /**
     * The group's sum, made on first use. No lambda: a lambda on the ended threads' path is first linked at the
     * exit's close when the warm-up's rehearsal saw no thread end (~1 ms interpreted per call site).
     */
    private static Sum sum(Map<String, Sum> groups, String key) {
        Sum sum = groups.get(key);
        if (sum == null) {
            sum = new Sum();
            groups.put(key, sum);
        }
        return sum;
    }

    /** End minus start of the process-wide files, less the snapshots' own reads between process and task files. */
    private static long[] processDelta(ThreadSnapshot start, ThreadSnapshot end) {
        long[] delta = end.process().minus(start.process()).toArray();
        long ownReads = start.ownReads() + end.ownReads();
        long ownBytes = start.ownReadBytes() + end.ownReadBytes();
        delta[ThreadCounters.SYSCR] = delta[ThreadCounters.SYSCR] < 0 ? -1 : delta[ThreadCounters.SYSCR] - ownReads;
        delta[ThreadCounters.RCHAR] = delta[ThreadCounters.RCHAR] < 0 ? -1 : delta[ThreadCounters.RCHAR] - ownBytes;
        return delta;
    }

    /**
     * The threads that ended inside the window: what the process counted beyond the live threads and the
     * ended threads' last readings (their calls after it, and threads no snapshot saw).
     */
    private static Map<String, Object> ended(long[] process, Sum counted, Sum endedKnown, Map<String, Long> endedGroups,
                                             int maxGroups) {
        long[] remainder = new long[ThreadCounters.KEYS.size()];
        java.util.Arrays.fill(remainder, -1);
        for (int field : ThreadCounters.PROCESS_WIDE) {
            long known = counted.values[field];
            // Clamped: a live thread's calls in the µs between its task read and the process read may tip it below.
            remainder[field] = process[field] < 0 || known < 0 ? -1 : Math.max(0, process[field] - known);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("threads", endedKnown.ended);
        Map<String, Object> groups = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : endedGroups.entrySet()) { // no stream: see sum()
            if (groups.size() == maxGroups) {
                break;
            }
            groups.put(e.getKey(), e.getValue());
        }
        json.put("groups", groups);
        counters(json, remainder);
        json.put("lost", new ArrayList<Object>(LOST_FOR_ENDED));
        json.put("upToLastReading", counters(new LinkedHashMap<>(), endedKnown.values));
        return json;
    }

    private static Map<String, Object> counters(Map<String, Object> json, long[] values) {
        for (int i = 0; i < values.length; i++) {
            json.put(ThreadCounters.KEYS.get(i), values[i]);
        }
        return json;
    }

    private record Row(ThreadSnapshot.Task task, ThreadCounters delta, boolean born) {
    }

    // The orders below are classes, not lambda chains: a JVM that ends before the warm-up links every lambda of
    // the close at its exit, ~1 ms each, interpreted.

    /** Groups by weight, then syscalls (both descending), then name. */
    private static final class GroupsBusiestFirst implements Comparator<Map.Entry<String, Sum>> {
        @Override
        public int compare(Map.Entry<String, Sum> a, Map.Entry<String, Sum> b) {
            int c = Long.compare(b.getValue().weight(), a.getValue().weight());
            if (c == 0) {
                c = Long.compare(b.getValue().syscalls(), a.getValue().syscalls());
            }
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        }
    }

    /** Threads by weight, then syscalls (both descending), then tid. */
    private static final class ThreadsBusiestFirst implements Comparator<Row> {
        @Override
        public int compare(Row a, Row b) {
            int c = Long.compare(b.delta.weight(), a.delta.weight());
            if (c == 0) {
                c = Long.compare(b.delta.syscalls(), a.delta.syscalls());
            }
            return c != 0 ? c : Integer.compare(a.task.tid(), b.task.tid());
        }
    }

    /** Threads and their summed deltas; a field unknown for one thread is unknown for the sum. */
    private static final class Sum {
        final long[] values = new long[ThreadCounters.KEYS.size()];
        long threads;
        long born;
        long ended;

        /** Ended threads of a group, up to their last readings (counted in {@code threads} too). */
        void addEnded(ThreadHistory.Ended part) {
            threads += part.threads;
            ended += part.threads;
            for (int i = 0; i < values.length; i++) {
                values[i] = values[i] < 0 || part.values[i] < 0 ? -1 : values[i] + part.values[i];
            }
        }

        void add(ThreadCounters delta, boolean isBorn) {
            threads++;
            born += isBorn ? 1 : 0;
            for (int i = 0; i < values.length; i++) {
                values[i] = values[i] < 0 || delta.get(i) < 0 ? -1 : values[i] + delta.get(i);
            }
        }

        Sum plus(Sum other) {
            threads += other.threads;
            born += other.born;
            ended += other.ended;
            for (int i = 0; i < values.length; i++) {
                values[i] = values[i] < 0 || other.values[i] < 0 ? -1 : values[i] + other.values[i];
            }
            return this;
        }

        long weight() {
            return new ThreadCounters(values).weight();
        }

        /** Nothing counted at all, and no thread of it ended. */
        boolean idle() {
            for (long v : values) {
                if (v != 0) {
                    return false;
                }
            }
            return ended == 0;
        }

        long syscalls() {
            return new ThreadCounters(values).syscalls();
        }

        Map<String, Object> toJson(Map<String, Object> json) {
            json.put("threads", threads);
            json.put("born", born);
            json.put("ended", ended);
            return counters(json, values);
        }
    }
}
