// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import io.copytrace.analysis.Report;
import io.copytrace.analysis.Units;
import io.copytrace.recording.KernelCounts;
import io.copytrace.recording.KernelThreads;
import io.copytrace.recording.KernelThreads.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The "kernel, per thread group" table shared by the text, Markdown and HTML reports: the busiest name
 * groups, the rest summed, the app's and copytrace's totals, the ended-threads remainder and the process.
 */
final class ThreadTable {
    /** One rendered row; cells are already formatted: "lost" for an ended thread's lost counters, "–" where unknown. */
    record Line(String label, String threads, String syscalls, String chars, String storage, String switches,
                String faults, boolean own, boolean total) {}

    private ThreadTable() {}

    /** The recording's per-thread view, if it has one. */
    static Optional<KernelThreads> of(Report report) {
        return report.recording().kernel().flatMap(KernelCounts::threadView);
    }

    /**
     * Rows: up to {@code maxGroups} groups, the rest summed, then the totals. {@code splitPairs} shows
     * context switches as voluntary / involuntary and faults as minor / major; otherwise their sums.
     */
    static List<Line> lines(KernelThreads t, int maxGroups, boolean splitPairs) {
        List<Line> lines = new ArrayList<>();
        int shown = Math.min(maxGroups, t.groups().size());
        for (Row g : t.groups().subList(0, shown)) lines.add(line(g.name(), g, List.of(), splitPairs, false));
        Row rest = t.otherGroups();
        long restGroups = t.groupsNotListed();
        for (Row g : t.groups().subList(shown, t.groups().size())) {
            rest = rest == null ? g : sum(rest, g);
            restGroups++;
        }
        if (rest != null) lines.add(line(Units.count(restGroups) + " more groups", rest, List.of(), splitPairs, false));
        if (t.app() != null) lines.add(line("app threads", t.app(), List.of(), splitPairs, true));
        if (t.own() != null) lines.add(line("copytrace threads", t.own(), List.of(), splitPairs, true));
        if (t.endedThreads() != null) {
            lines.add(line("ended threads", t.endedThreads(), t.lost(), splitPairs, true));
        }
        if (t.process() != null) lines.add(line("process", t.process(), List.of(), splitPairs, true));
        return lines;
    }

    /** The sentence under the table: where the numbers come from and what the ended-threads row cannot hold. */
    static String note(KernelThreads t) {
        StringBuilder s = new StringBuilder("From /proc/self/task/*/{io,stat,status} at the window's start and end: ")
                .append(Units.count(t.threadsAtStart())).append(" threads at the start, ").append(Units.count(t.threadsAtEnd()))
                .append(" at the end (").append(Units.count(t.born())).append(" born, ").append(Units.count(t.ended()))
                .append(" ended inside the window). Names are the kernel's (15 characters, \"java\" for the main thread), "
                        + "digit runs folded to #; storage is read_bytes/write_bytes (block-layer reads, dirtied page cache). "
                        + (t.interimSnapshots() > 0 ? "Threads that ended count in their group up to their last reading ("
                        + Units.count(t.interimSnapshots()) + " taken between start and end). " : "")
                        + "The ended-threads row is the process totals minus the live threads"
                        + (t.interimSnapshots() > 0 ? " and those last readings" : "") + ": ");
        int i = 0;
        for (Map.Entry<String, Long> e : t.endedGroups().entrySet()) {
            s.append(i++ == 0 ? "" : ", ").append(e.getKey()).append(" ×").append(Units.count(e.getValue()));
        }
        // Threads born and ended between the two snapshots were never seen: only this row has their I/O.
        s.append(i == 0 ? "" : ", and ").append("any thread born and ended inside the window, which no snapshot saw");
        s.append(t.lost().isEmpty() ? "." : "; their " + String.join(" and ", readable(t.lost()))
                + " are lost: no process-wide /proc file keeps them.");
        if (t.idleGroups() > 0) {
            s.append(' ').append(Units.count(t.idleGroups())).append(t.idleGroups() == 1 ? " group" : " groups")
                    .append(" did nothing in the window (every counter 0): not listed.");
        }
        return s.toString();
    }

    private static List<String> readable(List<String> keys) {
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            out.add(switch (k) {
                case "voluntaryContextSwitches" -> "voluntary context switches";
                case "nonvoluntaryContextSwitches" -> "involuntary context switches";
                default -> k;
            });
        }
        return out;
    }

    private static Line line(String label, Row r, List<String> lost, boolean splitPairs, boolean total) {
        String switches = splitPairs ? pair(r, "voluntaryContextSwitches", "nonvoluntaryContextSwitches", lost, false)
                : value(r.sum("voluntaryContextSwitches", "nonvoluntaryContextSwitches"),
                        lost.contains("voluntaryContextSwitches"), false);
        String faults = splitPairs ? pair(r, "pageFaultsMinor", "pageFaultsMajor", lost, false)
                : value(r.sum("pageFaultsMinor", "pageFaultsMajor"), lost.contains("pageFaultsMinor"), false);
        String threads = r.threads() < 0 ? "–" : Units.count(r.threads())
                + (splitPairs && r.ended() > 0 ? " (" + Units.count(r.ended()) + " ended)" : "");
        return new Line(label, threads, pair(r, "syscr", "syscw", lost, false),
                pair(r, "rchar", "wchar", lost, true), pair(r, "readBytes", "writeBytes", lost, true), switches, faults,
                r.own(), total);
    }

    private static String pair(Row r, String a, String b, List<String> lost, boolean bytes) {
        return value(r.get(a), lost.contains(a), bytes) + " / " + value(r.get(b), lost.contains(b), bytes);
    }

    private static String value(long v, boolean lost, boolean bytes) {
        if (v < 0) return lost ? "lost" : "–";
        return bytes ? Units.bytes(v) : Units.count(v);
    }

    private static Row sum(Row a, Row b) {
        Map<String, Long> counters = new LinkedHashMap<>();
        for (String key : KernelThreads.KEYS) {
            counters.put(key, a.get(key) < 0 || b.get(key) < 0 ? -1 : a.get(key) + b.get(key));
        }
        return new Row("other groups", false, a.threads() < 0 || b.threads() < 0 ? -1 : a.threads() + b.threads(),
                a.born() + b.born(), a.ended() + b.ended(), counters);
    }
}
