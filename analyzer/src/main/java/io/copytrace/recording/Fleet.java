// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVMs a merged recording ({@code copytrace merge}) was made from, and what each contributed: its own totals
 * and its share of every record. Read from the recording's {@code fleet} section and the records' {@code jvms}.
 */
public final class Fleet {
    /**
     * One JVM of the fleet: one input recording (a window of one JVM).
     *
     * @param index          its number in the fleet section, which records' {@code jvms} refer to
     * @param file           the recording file it came from
     * @param pid            the JVM's pid
     * @param host           the host it ran on, or null when its recording did not say
     * @param javaVersion    its {@code java.version}
     * @param mainCommand    its main class and arguments
     * @param durationNanos  its window's length
     * @param endedBy        how its window ended ({@code checkpoint}: the JVM never closed it)
     * @param calls          its application calls (its recording's totals)
     * @param bytesMoved     its application bytes moved
     * @param jvmCopiedBytes bytes its JVM itself copied
     * @param cpuCopiedBytes its CPU-copied bytes, from its shares of the records and this analyzer's copy model
     */
    public record Member(int index, String file, long pid, String host, String javaVersion, String mainCommand,
                         long durationNanos, String endedBy, long calls, long bytesMoved, long jvmCopiedBytes,
                         long cpuCopiedBytes) {
        /** How reports name it: "pid 4711 on web-1 (recording-4711.json)". */
        public String label() {
            return "pid " + pid + (host == null ? "" : " on " + host) + " (" + file + ")";
        }
    }

    /** What one JVM contributed to a record, or to a call site's records. */
    public record Share(Member member, long calls, long bytesMoved, long jvmCopiedBytes, long cpuCopiedBytes) {
        Share plus(Share o) {
            return new Share(member, calls + o.calls, bytesMoved + o.bytesMoved, jvmCopiedBytes + o.jvmCopiedBytes,
                    cpuCopiedBytes + o.cpuCopiedBytes);
        }
    }

    /** Heaviest first: CPU-copied bytes, then bytes moved, then fleet order. */
    private static final Comparator<Share> HEAVIEST = Comparator.comparingLong((Share s) -> -s.cpuCopiedBytes())
            .thenComparingLong(s -> -s.bytesMoved()).thenComparingInt(s -> s.member().index());

    private final List<Member> members;
    private final Map<CopyRecord, List<Share>> byRecord;
    private final Map<Long, List<Share>> bySite = new HashMap<>();

    Fleet(List<Member> members, IdentityHashMap<CopyRecord, List<Share>> byRecord) {
        this.members = List.copyOf(members);
        this.byRecord = byRecord;
        Map<Long, Map<Integer, Share>> sums = new HashMap<>();
        byRecord.forEach((r, shares) -> {
            if (!r.isApplication()) return;
            Map<Integer, Share> site = sums.computeIfAbsent(r.site().id(), id -> new HashMap<>());
            for (Share s : shares) site.merge(s.member().index(), s, Share::plus);
        });
        sums.forEach((site, shares) -> bySite.put(site, heaviestFirst(shares.values())));
    }

    /** The JVMs in fleet order. */
    public List<Member> members() {
        return members;
    }

    /** The JVMs heaviest first (CPU-copied bytes, then bytes moved): which contribute most. */
    public List<Member> ranked() {
        List<Member> out = new ArrayList<>(members);
        out.sort(Comparator.comparingLong((Member m) -> -m.cpuCopiedBytes()).thenComparingLong(m -> -m.bytesMoved())
                .thenComparingInt(Member::index));
        return out;
    }

    /** What each JVM contributed to a record, heaviest first; empty for a record the fleet section does not cover. */
    public List<Share> of(CopyRecord record) {
        return byRecord.getOrDefault(record, List.of());
    }

    /** What each JVM contributed to a call site's application records, heaviest first. */
    public List<Share> ofSite(long siteId) {
        return bySite.getOrDefault(siteId, List.of());
    }

    /** CPU-copied bytes of the whole fleet (its members' sum). */
    public long cpuCopiedBytes() {
        long sum = 0;
        for (Member m : members) sum += m.cpuCopiedBytes();
        return sum;
    }

    static List<Share> heaviestFirst(java.util.Collection<Share> shares) {
        List<Share> out = new ArrayList<>(shares);
        out.sort(HEAVIEST);
        return List.copyOf(out);
    }
}
