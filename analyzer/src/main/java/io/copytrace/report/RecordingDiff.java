// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import io.copytrace.analysis.Finding;
import io.copytrace.analysis.FindingKind;
import io.copytrace.analysis.Report;
import io.copytrace.analysis.Units;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What changed between two recordings of the same program: totals, per (site, operation, path, buffer)
 * rows, and findings that appeared or went away. Rows match by site frame, so line moves show as a
 * row gone and a row new.
 */
public final class RecordingDiff {
    /** Rows shown, biggest change in CPU-copied bytes first. */
    static final int TOP_ROWS = 25;

    private RecordingDiff() {}

    /** The diff as terminal text. */
    public static String text(Report before, Report after) {
        StringBuilder out = new StringBuilder(4096);
        out.append("copytrace diff: ").append(before.recording().name()).append(" → ").append(after.recording().name()).append("\n\n");
        Recording.Totals a = before.recording().totals();
        Recording.Totals b = after.recording().totals();
        out.append(String.format(Locale.ROOT, "%-22s %14s %14s %14s%n", "", "before", "after", "change"));
        if (before.recording().fleet().isPresent() || after.recording().fleet().isPresent()) {
            total(out, "JVMs", jvms(before.recording()), jvms(after.recording()), false); // merged recordings
        }
        total(out, "calls", a.calls(), b.calls(), false);
        total(out, "bytes moved", a.bytesMoved(), b.bytesMoved(), true);
        total(out, "CPU-copied", a.cpuCopiedBytes(), b.cpuCopiedBytes(), true);
        total(out, "JVM-copied", a.jvmCopiedBytes(), b.jvmCopiedBytes(), true);
        out.append(String.format(Locale.ROOT, "%-22s %14s %14s %14s%n", "CPU copies/byte", Units.ratio(a.cpuCopiesPerByte()),
                Units.ratio(b.cpuCopiesPerByte()), signed(b.cpuCopiesPerByte() - a.cpuCopiesPerByte())));

        Map<String, long[]> rows = new LinkedHashMap<>();
        add(rows, before.recording(), 0);
        add(rows, after.recording(), 1);
        List<Map.Entry<String, long[]>> changed = new ArrayList<>();
        for (Map.Entry<String, long[]> e : rows.entrySet()) {
            long[] v = e.getValue();
            if (v[0] != v[3] || v[1] != v[4] || v[2] != v[5]) changed.add(e);
        }
        changed.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -Math.abs(e.getValue()[5] - e.getValue()[2]))
                .thenComparing(Map.Entry::getKey));
        out.append("\nChanged rows (").append(changed.size()).append("), biggest change in CPU-copied bytes first:\n");
        out.append(String.format(Locale.ROOT, "  %-8s %12s %12s %12s  %s%n", "", "moved", "CPU-copied", "change", "site · operation · path · buffer"));
        for (Map.Entry<String, long[]> e : changed.subList(0, Math.min(TOP_ROWS, changed.size()))) {
            long[] v = e.getValue();
            String state = v[0] == 0 && v[1] == 0 ? "new" : v[3] == 0 && v[4] == 0 ? "gone" : "changed";
            out.append(String.format(Locale.ROOT, "  %-8s %12s %12s %12s  %s%n", state, Units.bytes(v[4]), Units.bytes(v[5]),
                    signedBytes(v[5] - v[2]), e.getKey()));
        }
        if (changed.size() > TOP_ROWS) out.append("  … ").append(changed.size() - TOP_ROWS).append(" more\n");

        Set<String> was = keys(before);
        Set<String> now = keys(after);
        out.append("\nFindings resolved:\n");
        lines(out, was, now);
        out.append("Findings new:\n");
        lines(out, now, was);
        return out.toString();
    }

    private static long jvms(Recording r) {
        return r.fleet().map(f -> (long) f.members().size()).orElse(1L);
    }

    private static void add(Map<String, long[]> rows, Recording r, int side) {
        for (CopyRecord c : r.applicationRecords()) {
            String key = c.site().frame() + " · " + c.operation().wireName() + " · " + c.path().wireName() + " · "
                    + c.buffer().wireName();
            long[] v = rows.computeIfAbsent(key, k -> new long[6]);
            v[3 * side] += c.calls();
            v[3 * side + 1] += c.bytesMoved();
            v[3 * side + 2] += c.cpuCopiedBytes();
        }
    }

    /** Findings identified by rule and site: titles carry numbers that change between runs. */
    private static Set<String> keys(Report report) {
        Set<String> keys = new LinkedHashSet<>();
        for (Finding f : report.findings()) {
            if (f.kind() != FindingKind.GOOD) keys.add(f.rule() + " at " + f.where());
        }
        return keys;
    }

    private static void lines(StringBuilder out, Set<String> in, Set<String> notIn) {
        int n = 0;
        for (String k : in) {
            if (!notIn.contains(k)) {
                out.append("  ").append(k).append('\n');
                n++;
            }
        }
        if (n == 0) out.append("  (none)\n");
    }

    private static void total(StringBuilder out, String label, long a, long b, boolean bytes) {
        out.append(String.format(Locale.ROOT, "%-22s %14s %14s %14s%n", label, bytes ? Units.bytes(a) : Units.count(a),
                bytes ? Units.bytes(b) : Units.count(b), bytes ? signedBytes(b - a) : signed(b - a)));
    }

    private static String signed(long d) {
        return (d > 0 ? "+" : "") + Units.count(d);
    }

    private static String signed(double d) {
        return (d > 0 ? "+" : "") + Units.ratio(d);
    }

    private static String signedBytes(long d) {
        return (d > 0 ? "+" : d < 0 ? "-" : "") + Units.bytes(Math.abs(d));
    }
}
