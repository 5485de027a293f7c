// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import io.copytrace.model.CopyModel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a merged recording's {@code fleet} section and its records' {@code jvms} into a {@link Fleet}. Each JVM's
 * CPU-copied bytes come from its shares of the records and this analyzer's copy model, as a record's do.
 */
final class FleetReader {
    /** One share as read: fleet index, calls, bytes moved, JVM-copied bytes, CPU-copied bytes. */
    private final IdentityHashMap<CopyRecord, List<long[]>> shares = new IdentityHashMap<>();
    private final String file;

    FleetReader(String file) {
        this.file = file;
    }

    /** Notes what each JVM gave to {@code rec}, from the record's {@code jvms}. */
    void record(Map<String, Object> m, CopyRecord rec) throws BadRecording {
        if (!(m.get("jvms") instanceof List<?> l)) return;
        List<long[]> out = new ArrayList<>(l.size());
        for (Object o : l) {
            if (!(o instanceof Map<?, ?> s)) throw corrupt("a record's \"jvms\" holds a non-object");
            long jvm = count(s, "jvm");
            long moved = count(s, "bytesMoved");
            long jvmCopied = count(s, "jvmCopiedBytes");
            long cpu = CopyModel.cpuCopiedBytes(rec.operation(), rec.path(), rec.target().kind(),
                    rec.target().sendOffload(), moved, jvmCopied);
            out.add(new long[] {jvm, count(s, "calls"), moved, jvmCopied, cpu});
        }
        shares.put(rec, out);
    }

    /** The fleet, when the recording has a {@code fleet} section; adds a warning per JVM whose window never closed. */
    Optional<Fleet> fleet(Map<?, ?> root, List<String> warnings) throws BadRecording {
        if (!(root.get("fleet") instanceof Map<?, ?> fleet)) return Optional.empty();
        if (!(fleet.get("members") instanceof List<?> list)) throw corrupt("\"fleet\" has no \"members\" array");
        long[] cpu = new long[list.size()];
        for (List<long[]> rows : shares.values()) {
            for (long[] s : rows) {
                if (s[0] >= list.size()) throw corrupt("a record's jvms name JVM " + s[0] + " of " + list.size());
            }
        }
        shares.forEach((rec, rows) -> {
            if (rec.isApplication()) for (long[] s : rows) cpu[(int) s[0]] += s[4];
        });
        List<Fleet.Member> members = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) throw corrupt("\"fleet\" members holds a non-object");
            Map<?, ?> window = m.get("window") instanceof Map<?, ?> w ? w : Map.of();
            Map<?, ?> totals = m.get("totals") instanceof Map<?, ?> t ? t : Map.of();
            int i = members.size();
            Fleet.Member member = new Fleet.Member(i, String.valueOf(m.get("file")), count(m, "pid"),
                    m.get("host") instanceof String h ? h : null, String.valueOf(m.get("javaVersion")),
                    String.valueOf(m.get("mainCommand")), count(window, "durationNanos"),
                    String.valueOf(window.get("endedBy")), count(totals, "calls"), count(totals, "bytesMoved"),
                    count(totals, "jvmCopiedBytes"), cpu[i]);
            members.add(member);
            if ("checkpoint".equals(member.endedBy())) {
                warnings.add(member.label() + " is a checkpoint: its window was still open when it was written (the JVM"
                        + " ended without closing it)");
            }
        }
        IdentityHashMap<CopyRecord, List<Fleet.Share>> byRecord = new IdentityHashMap<>();
        shares.forEach((rec, rows) -> {
            List<Fleet.Share> out = new ArrayList<>(rows.size());
            for (long[] s : rows) out.add(new Fleet.Share(members.get((int) s[0]), s[1], s[2], s[3], s[4]));
            byRecord.put(rec, Fleet.heaviestFirst(out));
        });
        return Optional.of(new Fleet(members, byRecord));
    }

    private long count(Map<?, ?> m, String key) throws BadRecording {
        Object v = m.get(key);
        if (v == null) return 0;
        if (!(v instanceof Long n) || n < 0) throw corrupt("fleet: \"" + key + "\" is not a whole number >= 0: " + v);
        return n;
    }

    private BadRecording corrupt(String what) {
        return new BadRecording(file + ": corrupt recording: " + what);
    }
}
