// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import io.copytrace.analysis.FindingKind;
import io.copytrace.analysis.HostCost;
import io.copytrace.analysis.Report;
import io.copytrace.analysis.Saving;
import io.copytrace.analysis.Units;
import io.copytrace.recording.Recording;
import java.util.Locale;

/** The sentences every format opens with, so text, Markdown and HTML say the same thing. */
final class Summary {
    private Summary() {}

    static String subject(Report report) {
        Recording.Jvm jvm = report.recording().jvm();
        if (report.recording().fleet().isPresent()) {
            return "A fleet of " + Units.count(report.recording().fleet().get().members().size()) + " JVMs: "
                    + jvm.mainCommand() + " on Java " + jvm.javaVersion() + ", windows spanning "
                    + Units.nanos(report.recording().windowNanos()) + ", call sites "
                    + (report.recording().exactSites() ? "exact" : "sampled");
        }
        String from = report.recording().origin().isAgent() ? "" : "From " + report.recording().origin().title() + ": ";
        return from + jvm.mainCommand() + " on Java " + jvm.javaVersion() + " (pid " + jvm.pid() + "), window "
                + Units.nanos(report.recording().windowNanos()) + ", call sites "
                + (report.recording().exactSites() ? "exact" : "sampled");
    }

    static String totals(Report report) {
        Recording.Totals t = report.recording().totals();
        if (!report.recording().origin().isAgent()) {
            return "Application I/O recorded: " + Units.count(t.calls()) + " calls, " + Units.bytes(t.bytesMoved())
                    + " moved, at least " + Units.bytes(t.cpuCopiedBytes()) + " CPU-copied by the kernel; the JVM's own "
                    + "copies are not visible in " + report.recording().origin().source().toUpperCase(Locale.ROOT) + " events";
        }
        return "Application I/O: " + Units.count(t.calls()) + " calls, " + Units.bytes(t.bytesMoved()) + " moved, "
                + Units.bytes(t.cpuCopiedBytes()) + " CPU-copied (" + Units.ratio(t.cpuCopiesPerByte())
                + " copies/byte), " + Units.bytes(t.jvmCopiedBytes()) + " of it by the JVM itself";
    }

    /** A site's JVM-copied bytes for a table, "n/a" when the recording's source cannot see them. */
    static String jvmCopied(Report report, long bytes) {
        return report.recording().origin().isAgent() ? Units.bytes(bytes) : "n/a";
    }

    static String saving(Report report) {
        Saving s = report.totalSaving();
        if (s.isNone()) return "Potential saving: none found";
        return "Potential saving: " + saving(s) + " (" + costNote(report.cost()) + ")";
    }

    static String saving(Saving s) {
        return Units.bytes(s.cpuCopiedBytes()) + " of CPU copies, " + Units.count(s.syscalls()) + " syscalls ("
                + Units.count(s.modeSwitches()) + " mode switches), "
                + (s.pageFaults() > 0 ? Units.count(s.pageFaults()) + " page faults, " : "")
                + "~" + Units.nanos(s.estimatedNanos()) + " CPU";
    }

    /** What a limitation costs, as a report line: no change inside the JDK removes it. */
    static String cost(Saving s) {
        return saving(s) + " (estimate; not a saving: no change inside the JDK removes it)";
    }

    static String costNote(HostCost cost) {
        String cached = cost.cachedCopyBytesPerNano() == cost.memcpyBytesPerNano() ? ""
                : String.format(Locale.ROOT, " (%.1f GB/s in cache)", cost.cachedCopyBytesPerNano());
        return String.format(Locale.ROOT, "CPU time is an estimate: memcpy %.1f GB/s%s, %.0f ns per syscall, %,.0f ns per"
                        + " small TCP send, %,.0f ns per minor page fault, %.0f ns per KiB of a kernel file copy beyond its page copy,"
                        + " %,.0f ns per thread hand-off, %.0f ns per KiB handed to another core, %s",
                cost.memcpyBytesPerNano(), cached, cost.syscallNanos(), cost.socketSendNanos(), cost.minorFaultNanos(),
                cost.fileCopyOverheadNanosPerKib(), cost.contextSwitchNanos(), cost.crossCoreNanosPerKib(),
                cost.calibration().text());
    }

    static String counts(Report report) {
        return plural(report.findings(FindingKind.OPPORTUNITY).size(), "opportunity", "opportunities") + ", "
                + plural(report.findings(FindingKind.LIMITATION).size(), "limitation", "limitations") + ", "
                + Units.count(report.findings(FindingKind.UNEXPLAINED).size()) + " unexplained, "
                + Units.count(report.findings(FindingKind.GOOD).size()) + " good";
    }

    private static String plural(int n, String one, String many) {
        return Units.count(n) + " " + (n == 1 ? one : many);
    }

    /** The findings a human format shows: the first {@code limit} in rank order. */
    static java.util.List<io.copytrace.analysis.Finding> shown(Report report, int limit) {
        return report.findings().subList(0, Math.min(limit, report.findings().size()));
    }

    /** A sentence about the findings left out of a human format, or null when none were. */
    static String notShown(Report report, int limit) {
        int more = report.findings().size() - limit;
        if (more <= 0) return null;
        Saving rest = Saving.NONE;
        for (io.copytrace.analysis.Finding f : report.findings().subList(limit, report.findings().size())) {
            rest = rest.plus(f.saving());
        }
        return Units.count(more) + " lower-ranked findings are not shown here (together they save "
                + saving(rest) + "); the JSON report lists them all.";
    }
}
