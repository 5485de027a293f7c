// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's per-thread view of the window, from {@code /proc/self/task/*} read at its start and end
 * (the recording's {@code kernel.threads}, described in {@code docs/kernel-counters.md}). Thread names
 * are the kernel's: at most 15 characters, "java" for the main thread.
 *
 * @param threadsAtStart threads alive at the start
 * @param threadsAtEnd   threads alive at the end
 * @param born           threads alive at the end but not at the start
 * @param ended          threads seen (at the start or an interim snapshot) but not alive at the end
 * @param interimSnapshots readings between start and end (e.g. at checkpoints); ended threads keep their last one
 * @param process        the process-wide delta (io and faults include threads that ended; no context switches)
 * @param app            the live threads that are not copytrace's
 * @param own            copytrace's own live threads (names starting with "copytrace")
 * @param endedThreads   process minus live threads and ended threads' last readings: what those did after it
 * @param endedGroups    name groups of the ended threads seen at the start, and how many of each
 * @param lost           counters of ended threads that /proc cannot give (e.g. context switches)
 * @param groups         the busiest name groups, busiest first
 * @param groupsNotListed groups summed into {@code otherGroups} instead
 * @param otherGroups    the groups not listed, summed; null when all are listed
 * @param idleGroups     groups whose every counter was 0 in the window, counted but not listed (0 in recordings
 *                       made before they were left out)
 */
public record KernelThreads(long threadsAtStart, long threadsAtEnd, long born, long ended, long interimSnapshots,
                            Row process, Row app,
                            Row own, Row endedThreads, Map<String, Long> endedGroups, List<String> lost,
                            List<Row> groups, long groupsNotListed, Row otherGroups, long idleGroups) {
    /** Counter keys, in the recording's order. */
    public static final List<String> KEYS = List.of("syscr", "syscw", "rchar", "wchar", "readBytes", "writeBytes",
            "voluntaryContextSwitches", "nonvoluntaryContextSwitches", "pageFaultsMinor", "pageFaultsMajor");

    /**
     * One row: a group, a total or the ended threads.
     *
     * @param name     the group ("pool-#-thread-#") or a label
     * @param own      true for copytrace's own threads
     * @param threads  threads summed (-1 when unknown)
     * @param born     of those, born inside the window
     * @param ended    of those, ended inside the window (counted up to their last reading)
     * @param counters values by {@link #KEYS}; -1 = unknown or lost
     */
    public record Row(String name, boolean own, long threads, long born, long ended, Map<String, Long> counters) {
        /** A counter, -1 when unknown. */
        public long get(String key) {
            return counters.getOrDefault(key, -1L);
        }

        /** The sum of two counters, -1 when either is unknown. */
        public long sum(String a, String b) {
            return get(a) < 0 || get(b) < 0 ? -1 : get(a) + get(b);
        }
    }

    /**
     * Reads {@code kernel.threads}; null when absent or not an object. Tolerant: a missing number reads
     * as -1 (unknown), a missing list as empty, rows that are not objects are skipped.
     */
    static KernelThreads read(Object json) {
        if (!(json instanceof Map<?, ?> m)) return null;
        List<Row> groups = new ArrayList<>();
        if (m.get("byGroup") instanceof List<?> l) {
            for (Object o : l) if (o instanceof Map<?, ?> g) groups.add(row(g, String.valueOf(g.get("group"))));
        }
        Map<String, Long> endedGroups = new LinkedHashMap<>();
        List<String> lost = new ArrayList<>();
        Row ended = null;
        if (m.get("endedThreads") instanceof Map<?, ?> e) {
            ended = row(e, "ended threads");
            if (e.get("groups") instanceof Map<?, ?> g) g.forEach((k, v) -> endedGroups.put(String.valueOf(k), number(v)));
            if (e.get("lost") instanceof List<?> l) for (Object o : l) lost.add(String.valueOf(o));
        }
        return new KernelThreads(number(m.get("threadsAtStart")), number(m.get("threadsAtEnd")), number(m.get("born")),
                number(m.get("ended")), Math.max(0, number(m.get("interimSnapshots"))), rowOrNull(m.get("process"), "process"), rowOrNull(m.get("app"), "app threads"),
                rowOrNull(m.get("own"), "copytrace threads"), ended, Collections.unmodifiableMap(endedGroups),
                List.copyOf(lost), List.copyOf(groups), Math.max(0, number(m.get("groupsNotListed"))),
                rowOrNull(m.get("otherGroups"), "other groups"), Math.max(0, number(m.get("idleGroupsNotListed"))));
    }

    private static Row rowOrNull(Object json, String name) {
        return json instanceof Map<?, ?> m ? row(m, name) : null;
    }

    private static Row row(Map<?, ?> m, String name) {
        Map<String, Long> counters = new LinkedHashMap<>();
        for (String key : KEYS) counters.put(key, number(m.get(key)));
        return new Row(name, Boolean.TRUE.equals(m.get("own")), number(m.get("threads")), Math.max(0, number(m.get("born"))),
                Math.max(0, number(m.get("ended"))), Collections.unmodifiableMap(counters));
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : -1;
    }
}
