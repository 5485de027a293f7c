// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import io.copytrace.analysis.CopyPath;
import io.copytrace.analysis.CrossCheck;
import io.copytrace.analysis.Evidence;
import io.copytrace.analysis.Finding;
import io.copytrace.analysis.Report;
import io.copytrace.analysis.Saving;
import io.copytrace.analysis.SiteVolume;
import io.copytrace.profile.CopyClass;
import io.copytrace.profile.CpuProfile;
import io.copytrace.json.JsonWriter;
import io.copytrace.recording.KernelThreads;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON report for tools (schema: docs/report-format.md), written with the one JSON writer. */
final class JsonFormat implements ReportFormat {
    /**
     * The report schema version; bumped on changes and removals, not on additions. 2: {@code advice} and
     * {@code fix} are indexes into {@code texts}. 3: a finding's {@code evidence} is a list of named lines of
     * figures (numbers with the unit in the key) instead of label → prose. 4: {@code hostCost} has no
     * {@code coldSendNanosecondsPerKib} and no finding a {@code coldCopy} line (a mapped send's copy is priced at the
     * streaming rate alone).
     */
    static final int VERSION = 4;

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
        recording.put("source", rec.origin().source());
        recording.put("limits", new ArrayList<Object>(rec.origin().limits()));
        recording.put("warnings", new ArrayList<Object>(rec.warnings()));
        recording.put("agentErrors", new ArrayList<Object>(rec.agentErrors()));
        root.put("recording", recording);
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("memcpyBytesPerNanosecond", report.cost().memcpyBytesPerNano());
        cost.put("cachedCopyBytesPerNanosecond", report.cost().cachedCopyBytesPerNano());
        cost.put("syscallNanoseconds", report.cost().syscallNanos());
        cost.put("socketSendNanoseconds", report.cost().socketSendNanos());
        cost.put("minorFaultNanoseconds", report.cost().minorFaultNanos());
        cost.put("fileCopyOverheadNanosecondsPerKib", report.cost().fileCopyOverheadNanosPerKib());
        cost.put("contextSwitchNanoseconds", report.cost().contextSwitchNanos());
        cost.put("crossCoreNanosecondsPerKib", report.cost().crossCoreNanosPerKib());
        io.copytrace.analysis.ShortDistanceCopy.Measured shortDistance = report.cost().shortDistanceCopy();
        Map<String, Object> shortCopy = null;
        if (shortDistance != null) {
            shortCopy = new LinkedHashMap<>();
            shortCopy.put("aheadNanosecondsPerKib", shortDistance.aheadNanosPerKib());
            shortCopy.put("apartNanosecondsPerKib", shortDistance.apartNanosPerKib());
        }
        cost.put("shortDistanceCopy", shortCopy);
        cost.put("measured", report.cost().measured());
        cost.put("calibration", report.cost().calibration().text());
        root.put("hostCost", cost);
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("calls", rec.totals().calls());
        totals.put("bytesMoved", rec.totals().bytesMoved());
        totals.put("cpuCopiedBytes", rec.totals().cpuCopiedBytes());
        totals.put("jvmCopiedBytes", rec.totals().jvmCopiedBytes());
        totals.put("cpuCopiesPerByte", rec.totals().cpuCopiesPerByte());
        totals.put("jdkInternalBytesMoved", rec.totals().jdkInternalBytesMoved());
        root.put("totals", totals);
        rec.fleet().ifPresent(f -> root.put("fleet", fleet(f)));
        root.put("potentialSaving", saving(report.totalSaving()));
        List<Object> findings = new ArrayList<>();
        // Advice and fixes are prose shared by many findings (a few hundred texts for ten thousand
        // findings): each is written once in "texts" and findings refer to it by index.
        Map<String, Integer> texts = new LinkedHashMap<>();
        // Pictures of paths, likewise: a few dozen shapes for ten thousand findings; a finding's "paths" give
        // the shape's index and their own bytes.
        Map<Integer, List<Known>> pictureIndex = new HashMap<>();
        List<Object> pictures = new ArrayList<>();
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
            m.put("evidence", evidence(f.evidence()));
            m.put("saving", saving(f.saving()));
            m.put("cost", saving(f.cost()));
            if (rec.profile().isPresent() && !rec.profile().get().isFailed() && f.site() != null) {
                m.put("copyCpu", copyCpu(rec.profile().get(), f.site().id()));
            }
            m.put("advice", textIndex(texts, f.advice()));
            m.put("fix", f.fix().isEmpty() ? null : textIndex(texts, f.fix()));
            m.put("paths", paths(f.paths(), pictureIndex, pictures));
            findings.add(m);
        }
        root.put("findings", findings);
        root.put("texts", new ArrayList<Object>(texts.keySet()));
        root.put("pictures", pictures);
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
        ThreadTable.of(report).ifPresent(t -> root.put("kernelThreads", threads(t)));
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

    /** The recording's per-thread view as read (every group it lists), with the note the other formats show. */
    private static Map<String, Object> threads(KernelThreads t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threadsAtStart", t.threadsAtStart());
        m.put("threadsAtEnd", t.threadsAtEnd());
        m.put("born", t.born());
        m.put("ended", t.ended());
        m.put("interimSnapshots", t.interimSnapshots());
        List<Object> groups = new ArrayList<>();
        for (KernelThreads.Row g : t.groups()) groups.add(row(g, "group"));
        m.put("groups", groups);
        m.put("groupsNotListed", t.groupsNotListed());
        m.put("otherGroups", t.otherGroups() == null ? null : row(t.otherGroups(), null));
        m.put("app", t.app() == null ? null : row(t.app(), null));
        m.put("own", t.own() == null ? null : row(t.own(), null));
        Map<String, Object> ended = t.endedThreads() == null ? null : row(t.endedThreads(), null);
        if (ended != null) {
            ended.put("groups", new LinkedHashMap<String, Object>(t.endedGroups()));
            ended.put("lost", new ArrayList<Object>(t.lost()));
        }
        m.put("endedThreads", ended);
        m.put("process", t.process() == null ? null : row(t.process(), null));
        m.put("note", ThreadTable.note(t));
        return m;
    }

    /** A row's threads and counters (-1 = unknown or lost), under its name when {@code nameKey} is given. */
    private static Map<String, Object> row(KernelThreads.Row r, String nameKey) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (nameKey != null) {
            m.put(nameKey, r.name());
            m.put("own", r.own());
        }
        m.put("threads", r.threads());
        m.put("born", r.born());
        m.put("ended", r.ended());
        m.putAll(r.counters());
        return m;
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

    /**
     * A finding's pictures: each the index of its shape in the report's {@code pictures} (added when new) and its
     * own numbers, on one line each.
     */
    private static List<Object> paths(List<CopyPath> paths, Map<Integer, List<Known>> index, List<Object> pictures) {
        List<Object> out = new ArrayList<>(paths.size());
        for (CopyPath p : paths) {
            // Looked up by a hash of the shape's fields, then compared field by field: no key is built per picture
            // (ten thousand findings have two each).
            List<Known> same = index.computeIfAbsent(shapeHash(p), h -> new ArrayList<>(1));
            int i = -1;
            for (Known k : same) {
                if (sameShape(p, k.path())) {
                    i = k.index();
                    break;
                }
            }
            if (i < 0) {
                i = pictures.size();
                pictures.add(shape(p));
                same.add(new Known(p, i));
            }
            List<Object> arrowBytes = new ArrayList<>(p.arrows().size());
            for (CopyPath.Arrow a : p.arrows()) arrowBytes.add(a.bytes());
            Map<String, Object> m = new JsonWriter.Line(); // one line each: ten thousand findings have two
            m.put("picture", i);
            m.put("bytes", p.bytes());
            m.put("arrowBytes", arrowBytes);
            m.put("syscalls", p.syscalls() < 0 ? null : p.syscalls());
            out.add(m);
        }
        return out;
    }

    /** A picture whose shape is the {@code index}th of the report's {@code pictures}. */
    private record Known(CopyPath path, int index) {}

    private static int shapeHash(CopyPath p) {
        int h = p.label().hashCode() * 31 + p.note().hashCode();
        h = h * 31 + p.syscallsPerChunk() * 7 + p.modeSwitchesPerChunk();
        for (CopyPath.Station s : p.stations()) h = h * 31 + s.name().hashCode() + s.space().ordinal();
        for (CopyPath.Arrow a : p.arrows()) h = (h * 31 + a.what().hashCode()) * 31 + a.mover().ordinal() * 7 + a.cpuCopies();
        return h;
    }

    /** True when two pictures differ at most in their bytes and syscalls. */
    private static boolean sameShape(CopyPath a, CopyPath b) {
        if (!a.label().equals(b.label()) || !a.note().equals(b.note()) || a.syscallsPerChunk() != b.syscallsPerChunk()
                || a.modeSwitchesPerChunk() != b.modeSwitchesPerChunk() || a.stations().size() != b.stations().size()) {
            return false;
        }
        for (int i = 0; i < a.stations().size(); i++) {
            CopyPath.Station x = a.stations().get(i), y = b.stations().get(i);
            if (x.space() != y.space() || !x.name().equals(y.name())) return false;
        }
        for (int i = 0; i < a.arrows().size(); i++) {
            CopyPath.Arrow x = a.arrows().get(i), y = b.arrows().get(i);
            if (x.mover() != y.mover() || x.cpuCopies() != y.cpuCopies() || !x.what().equals(y.what())) return false;
        }
        return true;
    }

    /** What pictures share: everything but their bytes and syscalls. */
    private static Map<String, Object> shape(CopyPath p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", p.label());
        List<Object> names = new ArrayList<>(p.stations().size()), spaces = new ArrayList<>(p.stations().size());
        for (CopyPath.Station s : p.stations()) {
            names.add(s.name());
            spaces.add(s.space().wireName());
        }
        m.put("stations", names);
        m.put("spaces", spaces);
        List<Object> arrows = new ArrayList<>(p.arrows().size());
        for (CopyPath.Arrow a : p.arrows()) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("mover", a.mover().wireName());
            am.put("cpu", a.mover().cpu());
            am.put("cpuCopies", a.cpuCopies());
            am.put("what", a.what());
            arrows.add(am);
        }
        m.put("arrows", arrows);
        m.put("syscallsPerChunk", p.syscallsPerChunk());
        m.put("modeSwitchesPerChunk", p.modeSwitchesPerChunk());
        m.put("note", p.note());
        return m;
    }

    /** A finding's evidence as data: per line its name and figures, numbers as numbers (units in the keys). */
    private static List<Object> evidence(Evidence evidence) {
        List<Object> lines = new ArrayList<>(evidence.lines().size());
        for (Evidence.Line line : evidence.lines()) {
            Map<String, Object> m = new JsonWriter.Line(); // one line each unless it has items
            m.put("name", line.name());
            line.figures().forEach((key, value) -> m.put(key, value instanceof List<?> l ? items(l) : value));
            lines.add(m);
        }
        return lines;
    }

    /** A figure's list as is, or its items one line each. */
    private static List<?> items(List<?> list) {
        if (list.isEmpty() || !(list.get(0) instanceof Map<?, ?>)) return list;
        List<Object> out = new ArrayList<>(list.size());
        for (Object item : list) {
            Map<String, Object> m = new JsonWriter.Line();
            ((Map<?, ?>) item).forEach((k, v) -> m.put((String) k, v));
            out.add(m);
        }
        return out;
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
        m.put("pageFaults", s.pageFaults());
        m.put("estimatedCpuNanos", s.estimatedNanos());
        return m;
    }

    /** A merged recording's JVMs, the ones that CPU-copied most first (docs/report-format.md). */
    private static Map<String, Object> fleet(io.copytrace.recording.Fleet fleet) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("jvms", fleet.members().size());
        f.put("cpuCopiedBytes", fleet.cpuCopiedBytes());
        List<Object> members = new ArrayList<>();
        for (io.copytrace.recording.Fleet.Member m : fleet.ranked()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("index", m.index());
            j.put("file", m.file());
            j.put("pid", m.pid());
            j.put("host", m.host());
            j.put("javaVersion", m.javaVersion());
            j.put("mainCommand", m.mainCommand());
            j.put("windowNanos", m.durationNanos());
            j.put("endedBy", m.endedBy());
            j.put("calls", m.calls());
            j.put("bytesMoved", m.bytesMoved());
            j.put("jvmCopiedBytes", m.jvmCopiedBytes());
            j.put("cpuCopiedBytes", m.cpuCopiedBytes());
            j.put("shareOfCpuCopiedBytes", FleetTable.share(fleet, m));
            members.add(j);
        }
        f.put("members", members);
        return f;
    }
}
