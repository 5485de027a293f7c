// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import io.copytrace.analysis.Report;
import io.copytrace.analysis.Units;
import io.copytrace.analysis.CopyCpuText;
import io.copytrace.recording.Fleet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fleet table of a merged recording, shared by the text, Markdown and HTML reports: its JVMs, the ones that
 * CPU-copied most first, with their own totals and their share of the fleet's CPU-copied bytes.
 */
final class FleetTable {
    /** One rendered row; cells already formatted. */
    record Line(String cpuCopied, String jvmCopied, String moved, String calls, String share, String jvm) {}

    private FleetTable() {}

    /** The recording's fleet, when it is a merged recording. */
    static Optional<Fleet> of(Report report) {
        return report.recording().fleet();
    }

    /** The heading sentence: how many JVMs and which one CPU-copied most. */
    static String headline(Fleet fleet) {
        Fleet.Member top = fleet.ranked().get(0);
        return "Fleet: " + Units.count(fleet.members().size()) + " JVMs merged; most CPU-copied bytes from "
                + top.label() + ": " + CopyCpuText.percent(share(fleet, top)) + " of the fleet's";
    }

    /** Up to {@code max} JVMs, heaviest first, then one row summing the rest. */
    static List<Line> lines(Fleet fleet, int max) {
        List<Line> out = new ArrayList<>();
        List<Fleet.Member> ranked = fleet.ranked();
        for (Fleet.Member m : ranked.subList(0, Math.min(max, ranked.size()))) {
            out.add(new Line(Units.bytes(m.cpuCopiedBytes()), Units.bytes(m.jvmCopiedBytes()), Units.bytes(m.bytesMoved()),
                    Units.count(m.calls()), CopyCpuText.percent(share(fleet, m)), m.label()));
        }
        if (ranked.size() > max) {
            long cpu = 0, jvm = 0, moved = 0, calls = 0;
            for (Fleet.Member m : ranked.subList(max, ranked.size())) {
                cpu += m.cpuCopiedBytes();
                jvm += m.jvmCopiedBytes();
                moved += m.bytesMoved();
                calls += m.calls();
            }
            long all = fleet.cpuCopiedBytes();
            out.add(new Line(Units.bytes(cpu), Units.bytes(jvm), Units.bytes(moved), Units.count(calls),
                    CopyCpuText.percent(all > 0 ? (double) cpu / all : 0),
                    Units.count(ranked.size() - max) + " more JVMs"));
        }
        return out;
    }

    /** A JVM's share of the fleet's CPU-copied bytes (0 when the fleet copied nothing). */
    static double share(Fleet fleet, Fleet.Member m) {
        long all = fleet.cpuCopiedBytes();
        return all > 0 ? (double) m.cpuCopiedBytes() / all : 0;
    }
}
