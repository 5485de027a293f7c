// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import io.copytrace.analysis.CopyPath;
import io.copytrace.analysis.CrossCheck;
import io.copytrace.analysis.Finding;
import io.copytrace.analysis.Report;
import io.copytrace.analysis.Saving;
import io.copytrace.analysis.SiteVolume;
import io.copytrace.analysis.cpu.CopyClass;
import io.copytrace.analysis.cpu.CpuProfile;
import io.copytrace.json.JsonWriter;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON report for tools (schema: docs/report-format.md), written with the one JSON writer. */
final class JsonFormat implements ReportFormat {
    /**
     * The report schema version; bumped on changes and removals, not on additions. 2: {@code advice} and
     * {@code fix} are indexes into {@code texts}.
     */
    static final int VERSION = 2;

    @Override
    public String render(Report report) {
        return JsonWriter.write(tree(report));
    }

    static Map<String, Object> tree(Report report) {
        Recording rec = report.recording();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "copytrace-report");
        root.put("version", VERSION);
        Map<String, Object> recording = new LinkedHashMap<>();
        recording.put("file", rec.name());
        recording.put("pid", rec.jvm().pid());
        recording.put("javaVersion", rec.jvm().javaVersion());
        recording.put("feature", rec.jvm().feature());
        recording.put("mainCommand", rec.jvm().mainCommand());
        recording.put("windowNanos", rec.windowNanos());
        recording.put("attribution", rec.exactSites() ? "exact" : "sampled");
        recording.put("warnings", new ArrayList<Object>(rec.warnings()));
        recording.put("agentErrors", new ArrayList<Object>(rec.agentErrors()));
        root.put("recording", recording);
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("memcpyBytesPerNanosecond", report.cost().memcpyBytesPerNano());
        cost.put("syscallNanoseconds", report.cost().syscallNanos());
        cost.put("measured", report.cost().measured());
        root.put("hostCost", cost);
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("calls", rec.totals().calls());
        totals.put("bytesMoved", rec.totals().bytesMoved());
        totals.put("cpuCopiedBytes", rec.totals().cpuCopiedBytes());
        totals.put("jvmCopiedBytes", rec.totals().jvmCopiedBytes());
        totals.put("cpuCopiesPerByte", rec.totals().cpuCopiesPerByte());
        totals.put("jdkInternalBytesMoved", rec.totals().jdkInternalBytesMoved());
        root.put("totals", totals);
        root.put("potentialSaving", saving(report.totalSaving()));
        List<Object> findings = new ArrayList<>();
        // Advice and fixes are prose shared by many findings (a few hundred texts for ten thousand
        // findings): each is written once in "texts" and findings refer to it by index.
        Map<String, Integer> texts = new LinkedHashMap<>();
        // Pictures of paths, likewise: a few dozen shapes for ten thousand findings; a finding's "paths" give
        // the shape's index and their own bytes.
        Map<Shape, Integer> pictures = new LinkedHashMap<>();
        int rank = 1;
        for (Finding f : report.findings()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rank", rank++);
            m.put("rule", f.rule());
            m.put("kind", f.kind().label());
            m.put("confidence", f.confidence().label());
            m.put("title", f.title());
            m.put("site", f.site() == null ? null : f.site().frame());
            m.put("stack", new ArrayList<Object>(f.stack()));
            m.put("bytes", f.bytes());
            m.put("evidence", new LinkedHashMap<String, Object>(f.evidence()));
            m.put("saving", saving(f.saving()));
            m.put("cost", saving(f.cost()));
            if (rec.profile().isPresent() && !rec.profile().get().isFailed() && f.site() != null) {
                m.put("copyCpu", copyCpu(rec.profile().get(), f.site().id()));
            }
            m.put("advice", textIndex(texts, f.advice()));
            m.put("fix", f.fix().isEmpty() ? null : textIndex(texts, f.fix()));
            m.put("paths", paths(f.paths(), pictures));
            findings.add(m);
        }
        root.put("findings", findings);
        root.put("texts", new ArrayList<Object>(texts.keySet()));
        List<Object> shapes = new ArrayList<>(pictures.size());
        for (Shape s : pictures.keySet()) shapes.add(s.toJson());
        root.put("pictures", shapes);
        Map<String, Object> check = new LinkedHashMap<>();
        CrossCheck cc = report.crossCheck();
        check.put("available", cc.available());
        check.put("source", cc.source());
        check.put("note", cc.note());
        List<Object> rows = new ArrayList<>();
        for (CrossCheck.Row r : cc.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("family", r.family());
            m.put("kernelSyscalls", r.kernelNames());
            m.put("kernelCalls", r.kernelCalls());
            m.put("agentCalls", r.agentCalls());
            m.put("unexplained", r.unexplained());
            m.put("verdict", r.verdict());
            rows.add(m);
        }
        check.put("rows", rows);
        root.put("crossCheck", check);
        List<Object> sites = new ArrayList<>();
        for (SiteVolume v : report.sites()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("site", v.site().frame());
            m.put("kind", v.site().kind());
            m.put("calls", v.calls());
            m.put("bytesMoved", v.bytesMoved());
            m.put("cpuCopiedBytes", v.cpuCopiedBytes());
            m.put("jvmCopiedBytes", v.jvmCopiedBytes());
            sites.add(m);
        }
        root.put("sites", sites);
        rec.profile().ifPresent(p -> root.put("profile", p.toJson()));
        return root;
    }

    /** The copy CPU time of a finding's call-site method; null values where the profile cannot know. */
    private static Map<String, Object> copyCpu(CpuProfile p, long siteId) {
        Map<String, Object> m = new LinkedHashMap<>();
        CpuProfile.MethodTime t = p.forSite(siteId).orElse(null);
        long copy = t == null ? 0 : t.copyTotal();
        m.put("method", t == null ? null : t.method());
        m.put("copySamples", copy);
        m.put("copyNanos", p.nanos(copy));
        m.put("shareOfCpu", Math.round(p.share(copy) * 10_000) / 10_000.0);
        Map<String, Object> byClass = new LinkedHashMap<>();
        for (CopyClass c : CopyClass.values()) {
            byClass.put(c.wireName(), p.known(c) ? p.nanos(t == null ? 0 : t.copySamples().getOrDefault(c, 0L)) : null);
        }
        m.put("nanosByClass", byClass);
        m.put("kernelKnown", p.run().kernelFrames());
        return m;
    }

    /** A finding's pictures: each the index of its shape in the report's {@code pictures} and its own numbers. */
    private static List<Object> paths(List<CopyPath> paths, Map<Shape, Integer> pictures) {
        List<Object> out = new ArrayList<>(paths.size());
        for (CopyPath p : paths) {
            Shape shape = Shape.of(p);
            Integer i = pictures.get(shape);
            if (i == null) {
                i = pictures.size();
                pictures.put(shape, i);
            }
            List<Object> arrowBytes = new ArrayList<>(p.arrows().size());
            for (CopyPath.Arrow a : p.arrows()) arrowBytes.add(a.bytes());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("picture", i);
            m.put("bytes", p.bytes());
            m.put("arrowBytes", arrowBytes);
            m.put("syscalls", p.syscalls() < 0 ? null : p.syscalls());
            out.add(m);
        }
        return out;
    }

    /** What pictures share: everything but the bytes and syscalls. */
    private record Shape(String label, List<CopyPath.Station> stations, List<CopyPath.Mover> movers, List<Integer> cpuCopies,
                         List<String> whats, int syscallsPerChunk, int modeSwitchesPerChunk, String note) {
        static Shape of(CopyPath p) {
            List<CopyPath.Mover> movers = new ArrayList<>(p.arrows().size());
            List<Integer> copies = new ArrayList<>(p.arrows().size());
            List<String> whats = new ArrayList<>(p.arrows().size());
            for (CopyPath.Arrow a : p.arrows()) {
                movers.add(a.mover());
                copies.add(a.cpuCopies());
                whats.add(a.what());
            }
            return new Shape(p.label(), p.stations(), movers, copies, whats, p.syscallsPerChunk(), p.modeSwitchesPerChunk(),
                    p.note());
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", label);
            List<Object> names = new ArrayList<>(stations.size()), spaces = new ArrayList<>(stations.size());
            for (CopyPath.Station s : stations) {
                names.add(s.name());
                spaces.add(s.space().wireName());
            }
            m.put("stations", names);
            m.put("spaces", spaces);
            List<Object> arrows = new ArrayList<>(movers.size());
            for (int i = 0; i < movers.size(); i++) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("mover", movers.get(i).wireName());
                a.put("cpu", movers.get(i).cpu());
                a.put("cpuCopies", cpuCopies.get(i));
                a.put("what", whats.get(i));
                arrows.add(a);
            }
            m.put("arrows", arrows);
            m.put("syscallsPerChunk", syscallsPerChunk);
            m.put("modeSwitchesPerChunk", modeSwitchesPerChunk);
            m.put("note", note);
            return m;
        }
    }

    /** The index of {@code text} in the report's {@code texts}, adding it when new. */
    private static Integer textIndex(Map<String, Integer> texts, String text) {
        Integer i = texts.get(text);
        if (i == null) {
            i = texts.size();
            texts.put(text, i);
        }
        return i;
    }

    private static Map<String, Object> saving(Saving s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpuCopiedBytes", s.cpuCopiedBytes());
        m.put("syscalls", s.syscalls());
        m.put("modeSwitches", s.modeSwitches());
        m.put("estimatedCpuNanos", s.estimatedNanos());
        return m;
    }
}
