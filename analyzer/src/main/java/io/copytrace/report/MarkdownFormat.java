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
import io.copytrace.profile.CopyFrames;
import io.copytrace.profile.CpuProfile;
import io.copytrace.recording.KernelThreads;

/** The Markdown report, for a ticket or a pull request (GitHub renders the details blocks). */
final class MarkdownFormat implements ReportFormat {
    static final int TOP_SITES = 20;
    static final int TOP_FINDINGS = 50;
    static final int TOP_THREAD_GROUPS = 20;
    static final int TOP_JVMS = 25;

    @Override
    public String render(Report report) {
        StringBuilder out = new StringBuilder(8192);
        out.append("# copytrace report: `").append(report.recording().name()).append("`\n\n");
        out.append(Summary.subject(report)).append("\n\n");
        if (!report.recording().origin().isAgent()) {
            out.append("> ").append(String.join("\n>\n> ", report.recording().origin().limits().stream()
                    .map(MarkdownFormat::cell).toList())).append("\n\n");
        }
        out.append("- ").append(Summary.totals(report)).append('\n');
        out.append("- ").append(Summary.saving(report)).append('\n');
        out.append("- Findings: ").append(Summary.counts(report)).append('\n');
        for (String w : report.recording().warnings()) out.append("- warning: ").append(cell(w)).append('\n');
        for (String e : report.recording().agentErrors()) out.append("- agent error: ").append(cell(e)).append('\n');
        report.recording().profile().ifPresent(p -> profile(out, p));
        FleetTable.of(report).ifPresent(f -> fleet(out, f));
        out.append("\n## Findings\n\n");
        if (!report.findings().isEmpty()) {
            out.append("| # | kind | finding | where | saves or costs (estimate) | confidence |\n|---|---|---|---|---|---|\n");
            int rank = 1;
            for (Finding f : Summary.shown(report, TOP_FINDINGS)) {
                out.append("| ").append(rank++).append(" | ").append(f.kind().label()).append(" | ").append(cell(f.title()))
                        .append(" | `").append(cell(f.where())).append("` | ")
                        .append(!f.saving().isNone() ? cell(Summary.saving(f.saving()))
                                : !f.cost().isNone() ? "costs " + cell(Summary.saving(f.cost())) : "–").append(" | ")
                        .append(f.confidence().label()).append(" |\n");
            }
        }
        int rank = 1;
        for (Finding f : Summary.shown(report, TOP_FINDINGS)) {
            out.append("\n### ").append(rank++).append(". ").append(f.title()).append("\n\n");
            out.append("*").append(f.kind().label()).append(", ").append(f.confidence().label()).append(" confidence, rule `")
                    .append(f.rule()).append("`*\n\n");
            out.append("**Where:** `").append(f.where()).append("`\n\n");
            if (f.stack().size() > 1) {
                out.append("<details><summary>stack</summary>\n\n```\n");
                for (String frame : f.stack()) out.append(frame).append('\n');
                out.append("```\n</details>\n\n");
            }
            out.append("**Evidence:**\n\n");
            for (Evidence.Line e : f.evidence().lines()) {
                out.append("- ").append(cell(e.label())).append(": ").append(cell(e.text())).append('\n');
            }
            if (!f.paths().isEmpty()) {
                out.append("\n**Path:**\n\n");
                for (CopyPath p : f.paths()) out.append("- ").append(cell(p.line())).append('\n');
            }
            if (!f.saving().isNone()) out.append("\n**Saves:** ").append(Summary.saving(f.saving())).append(" (estimate)\n");
            if (!f.cost().isNone()) out.append("\n**Costs:** ").append(Summary.cost(f.cost())).append('\n');
            out.append("\n").append(f.advice()).append('\n');
            if (!f.fix().isEmpty()) out.append("\n```java\n").append(f.fix()).append("\n```\n");
        }
        String more = Summary.notShown(report, TOP_FINDINGS);
        if (more != null) out.append("\n").append(more).append('\n');
        out.append("\n## Kernel vs JVM cross-check\n\n").append(report.crossCheck().note()).append('\n');
        if (report.crossCheck().available()) {
            out.append("\n| syscalls | kernel | agent records | verdict |\n|---|---:|---:|---|\n");
            for (CrossCheck.Row r : report.crossCheck().rows()) {
                out.append("| ").append(r.family()).append(" | ").append(Units.count(r.kernelCalls())).append(" | ")
                        .append(Units.count(r.agentCalls())).append(" | ").append(r.verdict()).append(" |\n");
            }
        }
        ThreadTable.of(report).ifPresent(t -> threads(out, t));
        out.append("\n## Call sites by CPU-copied bytes\n\n| CPU-copied | JVM-copied | moved | calls | site |\n|---:|---:|---:|---:|---|\n");
        for (SiteVolume v : report.sites().subList(0, Math.min(TOP_SITES, report.sites().size()))) {
            out.append("| ").append(Units.bytes(v.cpuCopiedBytes())).append(" | ").append(Summary.jvmCopied(report, v.jvmCopiedBytes()))
                    .append(" | ").append(Units.bytes(v.bytesMoved())).append(" | ").append(Units.count(v.calls()))
                    .append(" | `").append(cell(v.site().frame())).append("` |\n");
        }
        if (report.sites().size() > TOP_SITES) {
            out.append("\n").append(Units.count(report.sites().size() - TOP_SITES)).append(" more sites in the html and json reports.\n");
        }
        out.append("\n").append(Summary.costNote(report.cost())).append(".\n");
        return out.toString();
    }

    /** The CPU profile section: headline, per kind, copy time per call-site method, the flame graph. */
    private static void profile(StringBuilder out, CpuProfile p) {
        out.append("\n## CPU spent copying\n\n").append(cell(CopyCpuText.headline(p))).append('\n');
        if (p.isFailed()) return;
        out.append("\n- By kind: ").append(cell(CopyCpuText.byClass(p))).append('\n');
        String own = CopyCpuText.ownCost(p);
        if (own != null) out.append("- ").append(cell(own)).append('\n');
        String hint = CopyCpuText.flameGraphHint(p);
        if (hint != null) out.append("- ").append(cell(hint).replace(CopyFrames.searchRegex(), "`" + CopyFrames.searchRegex() + "`")).append('\n');
        for (String w : p.run().warnings()) out.append("- profile warning: ").append(cell(w)).append('\n');
        if (!p.topCopyFrames().isEmpty()) {
            out.append("\n| copy frame (leaf) | kind | CPU | share |\n|---|---|---:|---:|\n");
            for (CpuProfile.FrameSamples f : p.topCopyFrames().subList(0, Math.min(CopyCpuText.TOP_FRAMES, p.topCopyFrames().size()))) {
                out.append("| `").append(cell(f.frame())).append("`").append(f.kernel() ? " (kernel)" : "").append(" | ")
                        .append(f.copyClass().label()).append(" | ").append(Units.nanos(p.nanos(f.samples()))).append(" | ")
                        .append(CopyCpuText.percent(p.share(f.samples()))).append(" |\n");
            }
        }
        if (!p.methods().isEmpty()) {
            out.append("\n| call-site method | copying | share | CPU under it |\n|---|---:|---:|---:|\n");
            for (CpuProfile.MethodTime m : p.methods().subList(0, Math.min(CopyCpuText.TOP_METHODS, p.methods().size()))) {
                out.append("| `").append(cell(m.method())).append("` | ").append(Units.nanos(p.nanos(m.copyTotal())))
                        .append(" | ").append(CopyCpuText.percent(p.share(m.copyTotal()))).append(" | ")
                        .append(Units.nanos(p.nanos(m.samples()))).append(" |\n");
            }
        }
    }

    /** The kernel's per-thread-group table. */
    private static void threads(StringBuilder out, KernelThreads t) {
        out.append("\n## Kernel, per thread group\n\n| group | threads | syscalls read / write | rchar / wchar | "
                + "storage read / write | context switches voluntary / involuntary | faults minor / major |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (ThreadTable.Line l : ThreadTable.lines(t, TOP_THREAD_GROUPS, true)) {
            String label = l.total() ? "**" + cell(l.label()) + "**" : "`" + cell(l.label()) + "`" + (l.own() ? " (copytrace)" : "");
            out.append("| ").append(label).append(" | ").append(l.threads()).append(" | ").append(l.syscalls()).append(" | ")
                    .append(l.chars()).append(" | ").append(l.storage()).append(" | ").append(l.switches()).append(" | ")
                    .append(l.faults()).append(" |\n");
        }
        out.append('\n').append(cell(ThreadTable.note(t))).append('\n');
    }

    /** Keeps a value inside one table cell or list item. */
    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    /** The fleet of a merged recording: its JVMs, the ones that CPU-copied most first. */
    private static void fleet(StringBuilder out, io.copytrace.recording.Fleet fleet) {
        out.append("\n## Fleet\n\n").append(cell(FleetTable.headline(fleet))).append("\n\n");
        out.append("| JVM | CPU-copied | JVM-copied | moved | calls | share |\n|---|---:|---:|---:|---:|---:|\n");
        for (FleetTable.Line l : FleetTable.lines(fleet, TOP_JVMS)) {
            out.append("| ").append(cell(l.jvm())).append(" | ").append(l.cpuCopied()).append(" | ").append(l.jvmCopied())
                    .append(" | ").append(l.moved()).append(" | ").append(l.calls()).append(" | ").append(l.share()).append(" |\n");
        }
    }
}
