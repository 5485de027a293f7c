// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.analysis.CopyCpuText;
import io.copytrace.profile.CpuProfile;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import io.copytrace.recording.Site;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs every rule over a recording and ranks the findings into a {@link Report}. */
public final class Analysis {
    /**
     * The rules, in claiming order: a rule that explains a record claims it, and later copy rules skip
     * it, so the most specific diagnosis wins (a read/write loop before its heap buffers).
     */
    private static final List<Rule> RULES = List.of(new ZeroCopyRule(), new TlsRule(), new TransferFallbackRule(),
            new ReadWriteLoopRule(), new RelayRule(), new MappedSendRule(), new HeapBufferRule(), new StreamIoRule(), new SmallIoRule(),
            new StorageReadRule(), new KernelCrossCheckRule());

    /**
     * Tier first (opportunities and limitations together, then unexplained, then good), then estimated CPU
     * time (an opportunity's saving, a limitation's cost), then volume.
     * Written out rather than chained {@code thenComparing}s: boxed keys and six lambda levels made
     * sorting ten thousand findings a visible part of a cold run.
     */
    private static final Comparator<Finding> RANKING = Analysis::compareRank;

    private static int compareRank(Finding a, Finding b) {
        int c = Integer.compare(a.kind().rankTier(), b.kind().rankTier());
        if (c == 0) c = Long.compare(b.rankNanos(), a.rankNanos());
        if (c == 0) c = Long.compare(b.rankCopiedBytes(), a.rankCopiedBytes());
        if (c == 0) c = a.kind().compareTo(b.kind());
        if (c == 0) c = Long.compare(b.bytes(), a.bytes());
        if (c == 0) c = a.where().compareTo(b.where());
        if (c == 0) c = a.title().compareTo(b.title());
        return c;
    }

    private Analysis() {}

    /** Analyzes a recording, pricing savings with {@code cost}. */
    public static Report analyze(Recording recording, HostCost cost) {
        Set<CopyRecord> claimed = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Finding> findings = new ArrayList<>();
        for (Rule rule : RULES) findings.addAll(rule.find(recording, cost, claimed));
        CrossCheck crossCheck = CrossCheck.of(recording);
        if (crossCheck.available()) findings.replaceAll(f -> withKernelEvidence(f, crossCheck));
        recording.profile().ifPresent(p -> findings.replaceAll(f -> withCopyCpuTime(f, p)));
        recording.fleet().ifPresent(fleet -> findings.replaceAll(f -> FleetEvidence.withShares(f, fleet)));
        findings.sort(RANKING);
        Saving total = Saving.NONE;
        for (Finding f : findings) total = total.plus(f.saving());
        return new Report(recording, cost, List.copyOf(findings), siteVolumes(recording), crossCheck, total);
    }

    /** Adds the process-wide read/write syscall comparison to an opportunity's evidence. */
    private static Finding withKernelEvidence(Finding f, CrossCheck check) {
        if (f.kind() != FindingKind.OPPORTUNITY) return f;
        List<Prose> rows = new ArrayList<>();
        for (CrossCheck.Row r : check.rows()) {
            if (!r.family().startsWith("read") && !r.family().startsWith("write")) continue;
            Prose row = Prose.of(Figure.FAMILY, r.family()).text(" ").fig(Figure.KERNEL_CALLS, r.kernelCalls())
                    .text(" counted vs ").fig(Figure.AGENT_CALLS, r.agentCalls()).text(" explained");
            if (r.unexplained()) {
                row.text(" (kernel saw ").fig(Figure.UNEXPLAINED_CALLS, r.kernelCalls() - r.agentCalls()).text(" more)");
            }
            rows.add(row);
        }
        return f.withEvidence("kernelCrossCheck", "kernel cross-check", new Prose().items(Figure.KERNEL_ROWS, "; ", rows)
                .text(" (whole process, ").fig(Figure.KERNEL_SOURCE, check.source()).text(")"));
    }

    /** Adds the CPU time the finding's call site spent copying (profile=cpu) to its evidence. */
    private static Finding withCopyCpuTime(Finding f, CpuProfile profile) {
        if (f.site() == null) return f;
        return CopyCpuText.forSite(profile, f.site().id()).map(line -> f.withEvidence("copyCpuTime", "copy CPU time", line))
                .orElse(f);
    }

    private static List<SiteVolume> siteVolumes(Recording recording) {
        // Keyed by id: a record may carry its own stack (another caller), but the site is the same.
        // (Hashing the id, not the Site record, also spares hashing every frame of every stack.)
        Map<Long, Site> canonical = new LinkedHashMap<>();
        for (Site s : recording.sites()) canonical.put(s.id(), s);
        Map<Long, Site> sites = new LinkedHashMap<>();
        Map<Long, long[]> totals = new HashMap<>();
        for (CopyRecord r : recording.applicationRecords()) {
            long[] v = totals.get(r.site().id());
            if (v == null) {
                v = new long[4];
                totals.put(r.site().id(), v);
                sites.put(r.site().id(), canonical.getOrDefault(r.site().id(), r.site()));
            }
            v[0] += r.calls();
            v[1] += r.bytesMoved();
            v[2] += r.cpuCopiedBytes();
            v[3] += r.jvmCopiedBytes();
        }
        List<SiteVolume> volumes = new ArrayList<>(sites.size());
        sites.forEach((id, site) -> {
            long[] v = totals.get(id);
            volumes.add(new SiteVolume(site, v[0], v[1], v[2], v[3]));
        });
        volumes.sort((a, b) -> {
            int c = Long.compare(b.cpuCopiedBytes(), a.cpuCopiedBytes());
            if (c == 0) c = Long.compare(b.bytesMoved(), a.bytesMoved());
            return c != 0 ? c : a.site().frame().compareTo(b.site().frame());
        });
        return List.copyOf(volumes);
    }
}
