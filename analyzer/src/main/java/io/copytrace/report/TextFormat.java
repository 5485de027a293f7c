// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import io.copytrace.analysis.CopyPath;
import io.copytrace.analysis.CrossCheck;
import io.copytrace.analysis.Evidence;
import io.copytrace.analysis.Finding;
import io.copytrace.analysis.Report;
import io.copytrace.analysis.SiteVolume;
import io.copytrace.analysis.Units;
import io.copytrace.analysis.CopyCpuText;
import io.copytrace.profile.CpuProfile;
import io.copytrace.recording.KernelThreads;
import java.util.Locale;

/** The terminal report: summary, ranked findings, cross-check, heaviest sites; 100 columns wide. */
final class TextFormat implements ReportFormat {
    static final int WIDTH = 100;
    static final int TOP_SITES = 15;
    static final int TOP_FINDINGS = 30;
    static final int TOP_THREAD_GROUPS = 15;
    static final int TOP_JVMS = 10;

    @Override
    public String render(Report report) {
        StringBuilder out = new StringBuilder(8192);
        out.append("copytrace report: ").append(report.recording().name()).append('\n');
        out.append(Summary.subject(report)).append("\n\n");
        for (String limit : report.recording().origin().limits()) wrap(out, "! " + limit, "", "  ");
        if (!report.recording().origin().isAgent()) out.append('\n');
        wrap(out, Summary.totals(report), "", "");
        wrap(out, Summary.saving(report), "", "");
        FleetTable.of(report).ifPresent(f -> fleet(out, f));
        for (String w : report.recording().warnings()) wrap(out, "warning: " + w, "", "  ");
        for (String e : report.recording().agentErrors()) wrap(out, "agent error: " + e, "", "  ");
        report.recording().profile().ifPresent(p -> profile(out, p));
        out.append("\nFindings: ").append(Summary.counts(report)).append('\n');
        int rank = 1;
        for (Finding f : Summary.shown(report, TOP_FINDINGS)) {
            out.append('\n');
            wrap(out, "#" + rank++ + " [" + f.kind().label() + ", " + f.confidence().label() + " confidence] " + f.title(),
                    "", "   ");
            out.append("   where:    ").append(f.where()).append('\n');
            for (int i = 1; i < f.stack().size(); i++) out.append("             at ").append(f.stack().get(i)).append('\n');
            out.append("   evidence:\n");
            for (Evidence.Line e : f.evidence().lines()) wrap(out, e.label() + ": " + e.text(), "     ", "       ");
            if (!f.paths().isEmpty()) {
                out.append("   path:\n");
                for (CopyPath p : f.paths()) wrap(out, p.line(), "     ", "       ");
            }
            if (!f.saving().isNone()) out.append("   saves:    ").append(Summary.saving(f.saving())).append(" (estimate)\n");
            if (!f.cost().isNone()) wrap(out, Summary.cost(f.cost()), "   costs:    ", "             ");
            wrap(out, f.advice(), "   why:      ", "             ");
            if (!f.fix().isEmpty()) {
                out.append("   fix:\n");
                for (String line : f.fix().split("\n")) out.append("     | ").append(line).append('\n');
            }
        }
        String more = Summary.notShown(report, TOP_FINDINGS);
        if (more != null) wrap(out.append('\n'), more, "", "");
        out.append("\nKernel vs JVM cross-check\n");
        CrossCheck check = report.crossCheck();
        wrap(out, check.note(), "  ", "  ");
        if (check.available()) {
            out.append(String.format(Locale.ROOT, "  %-24s %14s %14s  %s%n", "syscalls", "kernel", "agent records", "verdict"));
            for (CrossCheck.Row r : check.rows()) {
                out.append(String.format(Locale.ROOT, "  %-24s %14s %14s  %s%n", r.family(), Units.count(r.kernelCalls()),
                        Units.count(r.agentCalls()), r.verdict()));
            }
        }
        ThreadTable.of(report).ifPresent(t -> threads(out, t));
        out.append("\nCall sites by CPU-copied bytes (").append(Units.count(report.sites().size())).append(" sites)\n");
        out.append(String.format(Locale.ROOT, "  %12s %12s %12s %10s  %s%n", "CPU-copied", "JVM-copied", "moved", "calls", "site"));
        for (SiteVolume v : report.sites().subList(0, Math.min(TOP_SITES, report.sites().size()))) {
            out.append(String.format(Locale.ROOT, "  %12s %12s %12s %10s  %s%n", Units.bytes(v.cpuCopiedBytes()),
                    Summary.jvmCopied(report, v.jvmCopiedBytes()), Units.bytes(v.bytesMoved()), Units.count(v.calls()), v.site().frame()));
        }
        if (report.sites().size() > TOP_SITES) {
            out.append("  … ").append(Units.count(report.sites().size() - TOP_SITES)).append(" more in the html and json reports\n");
        }
        return out.toString();
    }

    /** The CPU profile block: headline, per kind, top copy frames and sites, where the flame graph is. */
    private static void profile(StringBuilder out, CpuProfile p) {
        out.append('\n');
        wrap(out, CopyCpuText.headline(p), "", "  ");
        if (p.isFailed()) return;
        wrap(out, "by kind: " + CopyCpuText.byClass(p), "  ", "    ");
        String own = CopyCpuText.ownCost(p);
        if (own != null) wrap(out, own, "  ", "    ");
        if (!p.topCopyFrames().isEmpty()) {
            out.append("  copy frames (leaf):\n");
            for (CpuProfile.FrameSamples f : p.topCopyFrames().subList(0, Math.min(CopyCpuText.TOP_FRAMES, p.topCopyFrames().size()))) {
                out.append(String.format(Locale.ROOT, "  %12s %7s  %s%s%n", Units.nanos(p.nanos(f.samples())),
                        CopyCpuText.percent(p.share(f.samples())), f.frame(), f.kernel() ? " [kernel]" : ""));
            }
        }
        if (!p.methods().isEmpty()) {
            out.append("  copy time per call-site method:\n");
            for (CpuProfile.MethodTime m : p.methods().subList(0, Math.min(CopyCpuText.TOP_METHODS, p.methods().size()))) {
                out.append(String.format(Locale.ROOT, "  %12s %7s  %s%n", Units.nanos(p.nanos(m.copyTotal())),
                        CopyCpuText.percent(p.share(m.copyTotal())), m.method()));
            }
        }
        if (p.unattributed() > 0) {
            out.append("  ").append(Units.nanos(p.nanos(p.unattributed()))).append(" of copying had no recorded call site on its stack\n");
        }
        String hint = CopyCpuText.flameGraphHint(p);
        if (hint != null) wrap(out, hint, "  ", "    ");
        for (String w : p.run().warnings()) wrap(out, "profile warning: " + w, "  ", "    ");
    }

    /** The fleet of a merged recording: its JVMs, the ones that CPU-copied most first. */
    private static void fleet(StringBuilder out, io.copytrace.recording.Fleet fleet) {
        out.append('\n');
        wrap(out, FleetTable.headline(fleet), "", "  ");
        String row = "  %12s %12s %12s %10s %6s  %s%n";
        out.append(String.format(Locale.ROOT, row, "CPU-copied", "JVM-copied", "moved", "calls", "share", "JVM"));
        for (FleetTable.Line l : FleetTable.lines(fleet, TOP_JVMS)) {
            out.append(String.format(Locale.ROOT, row, l.cpuCopied(), l.jvmCopied(), l.moved(), l.calls(), l.share(), l.jvm()));
        }
    }

    /** The kernel's per-thread-group table: sums of context switches and of faults, to stay 100 columns wide. */
    private static void threads(StringBuilder out, KernelThreads t) {
        out.append("\nKernel, per thread group\n");
        String row = "  %-18s %7s %13s %19s %19s %8s %8s%n";
        out.append(String.format(Locale.ROOT, row, "group", "threads", "syscalls r/w", "rchar / wchar", "storage r / w",
                "switches", "faults"));
        for (ThreadTable.Line l : ThreadTable.lines(t, TOP_THREAD_GROUPS, false)) {
            String label = l.label().length() > 18 ? l.label().substring(0, 17) + "…" : l.label();
            out.append(String.format(Locale.ROOT, row, label + (l.own() && !l.total() ? "*" : ""), l.threads(), l.syscalls(),
                    l.chars(), l.storage(), l.switches(), l.faults()));
        }
        wrap(out, ThreadTable.note(t) + (t.groups().stream().anyMatch(KernelThreads.Row::own)
                ? " * copytrace's own threads, not in the app total." : ""), "  ", "  ");
    }

    /** Word-wraps {@code text} to {@link #WIDTH}: the first line after {@code first}, the rest after {@code rest}. */
    static void wrap(StringBuilder out, String text, String first, String rest) {
        String prefix = first;
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && prefix.length() + line.length() + 1 + word.length() > WIDTH) {
                out.append(prefix).append(line).append('\n');
                line.setLength(0);
                prefix = rest;
            }
            if (line.length() > 0) line.append(' ');
            line.append(word);
        }
        out.append(prefix).append(line).append('\n');
    }
}
