// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.agent.weave.HookTransformer;
import io.copytrace.boot.CarrierTallies;
import io.copytrace.boot.Codes;
import io.copytrace.boot.Flows;
import io.copytrace.boot.Site;
import io.copytrace.boot.SiteTable;
import io.copytrace.boot.Stats;
import io.copytrace.model.BufferKind;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.FallbackReason;
import io.copytrace.model.IoForm;
import io.copytrace.model.Operation;
import io.copytrace.model.TransferPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns the probe's sites and rows into the recording's JSON tree (schema: docs/recording-format.md). */
final class RecordingWriter {
    /** Recording format version; a reader refuses newer ones. */
    static final int FORMAT_VERSION = 3;
    /** Sites that keep their whole stack in the recording; lighter ones keep only the site frame. */
    static final int STACKS_FOR_TOP_SITES = 100;

    private RecordingWriter() {}

    /** One row and its counts, read at one moment. */
    private record Row(Site site, Stats stats, long[] counts, Operation op, TransferPath path, EndpointKind target,
                       long calls, long moved, long jvmCopied) {}

    static Map<String, Object> tree(AgentOptions options, boolean attached, long startMillis, long endMillis,
                                    long durationNanos, String endedBy, HookTransformer hooks) {
        int feature = Runtime.version().feature();
        List<Row> rows = new ArrayList<>();
        Map<Object, long[]> pending = Stats.pending(); // live threads' own counts (rows, flows), read at one moment
        Map<Stats, long[]> counts = new java.util.IdentityHashMap<>();
        for (Site site : SiteTable.all()) {
            for (Stats st : site.rows()) {
                long[] c = st.totals(pending);
                counts.put(st, c);
                Operation op = Operation.values()[Codes.keyOp(st.key)];
                TransferPath path = TransferPath.values()[Codes.keyPath(st.key)];
                EndpointKind target = EndpointKind.values()[Codes.keyTarget(st.key)];
                long moved = c[Codes.C_MOVED];
                long jvm = c[Codes.C_JVM_COPIED];
                rows.add(new Row(site, st, c, op, path, target, c[Codes.C_CALLS], moved, jvm));
            }
        }
        // Heaviest first by measured bytes (moved plus what the JVM copied): the analyzer, not the agent, knows
        // what each path costs in CPU copies.
        rows.sort(new HeaviestFirst());

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "copytrace-recording");
        root.put("version", FORMAT_VERSION);
        root.put("agent", agent(options, attached, hooks));
        root.put("jvm", jvm(feature));
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("startEpochMillis", startMillis);
        window.put("endEpochMillis", endMillis);
        window.put("durationNanos", durationNanos);
        window.put("endedBy", endedBy);
        root.put("window", window);
        Map<String, Object> attribution = new LinkedHashMap<>();
        attribution.put("mode", options.sampleInterval == 1 ? "exact" : "sampled");
        attribution.put("maxCallsBetweenStackWalks", options.sampleInterval);
        attribution.put("walkTimeShare",
                options.sampleInterval == 1 ? 1.0 : io.copytrace.boot.SiteSampler.walkTimeShare());
        attribution.put("note", options.sampleInterval == 1
                ? "every call's stack was walked: per-site counts are exact"
                : "per-thread stack walks at growing intervals while the site stays the same, up to"
                        + " maxCallsBetweenStackWalks calls apart, and further apart when walks that only confirm the"
                        + " site would take more than walkTimeShare of the thread's time; a new channel or request size"
                        + " walks at once: totals per row are exact, attribution of calls between walks to a site is"
                        + " sampled (walkedCalls says how many were walked)");
        root.put("attribution", attribution);
        root.put("totals", totals(rows));
        root.put("sites", sites(rows));
        Map<Stats, Integer> ids = new java.util.IdentityHashMap<>();
        for (Row r : rows) ids.put(r.stats, ids.size());
        root.put("records", new Records(rows));
        root.put("provenance", provenance());
        root.put("flows", flows(ids, counts, pending));
        return root;
    }

    private static Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("enabled", Flows.enabled());
        p.put("maxFlows", Flows.MAX_FLOWS);
        p.put("droppedFlowBytes", Flows.droppedBytes());
        p.put("untrackedFillBytes", Flows.untrackedFillBytes());
        p.put("freshArraysCounted", Flows.freshArraysCounted());
        p.put("note", "a write's bytes are matched by memory (native address, or array identity and offset) to the"
                + " recorded read that last filled them, on any thread; bytes copied in Java code the agent does not"
                + " hook, or whose fill was overwritten in the bounded page table, have an unknown source"
                + " (docs/provenance.md)");
        return p;
    }

    /**
     * The flows the probe counted, and per write row the bytes of unknown source: its bytes moved minus its
     * known flows (the probe does not count those, to keep unmatched writes cheap).
     */
    private static List<Object> flows(Map<Stats, Integer> ids, Map<Stats, long[]> counts, Map<Object, long[]> pending) {
        List<Flows.Flow> all = new ArrayList<>(Flows.all(pending));
        Map<Stats, Long> known = new java.util.IdentityHashMap<>();
        for (Flows.Flow f : all) known.put(f.to(), known.getOrDefault(f.to(), 0L) + f.bytes());
        if (Flows.enabled()) {
            for (Stats row : ids.keySet()) {
                long unknown = counts.get(row)[Codes.C_MOVED] - known.getOrDefault(row, 0L);
                if (isWrite(Codes.keyOp(row.key)) && unknown > 0) {
                    all.add(new Flows.Flow(null, row, false, false, false, unknown, -1));
                }
            }
        }
        all.sort(new FlowsLargestFirst(ids));
        List<Object> out = new ArrayList<>();
        for (Flows.Flow f : all) {
            Integer to = ids.get(f.to());
            if (to == null) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", f.from() == null ? null : ids.get(f.from()));
            m.put("to", to);
            m.put("bytes", f.bytes());
            if (f.calls() >= 0) m.put("writeCalls", f.calls());
            m.put("handedOff", f.handedOff());
            m.put("viaFrameworkCopy", f.viaCopy());
            m.put("viaTls", f.viaTls());
            out.add(m);
        }
        return out;
    }

    // The orders below are classes, not lambda chains: a JVM that ends before the warm-up (Recording) links every
    // lambda of the close at its exit, ~1 ms each, interpreted.

    /** Rows by bytes moved plus JVM-copied, then moved (both descending), then site and key. */
    private static final class HeaviestFirst implements Comparator<Row> {
        @Override
        public int compare(Row a, Row b) {
            int c = Long.compare(b.moved + b.jvmCopied, a.moved + a.jvmCopied);
            if (c == 0) c = Long.compare(b.moved, a.moved);
            if (c == 0) c = Integer.compare(a.site.id, b.site.id);
            return c != 0 ? c : Integer.compare(a.stats.key, b.stats.key);
        }
    }

    /** Flows by bytes (descending), then their write row's id; flows of rows without an id last. */
    private static final class FlowsLargestFirst implements Comparator<Flows.Flow> {
        private final Map<Stats, Integer> ids;

        FlowsLargestFirst(Map<Stats, Integer> ids) {
            this.ids = ids;
        }

        @Override
        public int compare(Flows.Flow a, Flows.Flow b) {
            int c = Long.compare(b.bytes(), a.bytes());
            if (c != 0) return c;
            Integer x = ids.get(a.to()), y = ids.get(b.to());
            return x == null || y == null ? Boolean.compare(x == null, y == null) : x.compareTo(y);
        }
    }

    private static boolean isWrite(int op) {
        return op == Codes.OP_FILE_WRITE || op == Codes.OP_SOCKET_WRITE || op == Codes.OP_SOCKET_STREAM_WRITE
                || op == Codes.OP_STREAM_WRITE;
    }

    private static Map<String, Object> agent(AgentOptions options, boolean attached, HookTransformer hooks) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("version", version());
        a.put("attached", attached);
        a.put("options", new LinkedHashMap<String, Object>(options.effective()));
        List<String> types = new ArrayList<>(new java.util.TreeSet<>(hooks.transformed()));
        a.put("instrumentedClasses", types);
        a.put("classCache", hooks.cacheReport());
        a.put("errors", new ArrayList<>(hooks.errors()));
        int carriers = CarrierTallies.made();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("mode", carriers < 0 ? "atomic" : "carrier");
        v.put("carrierTallies", Math.max(0, carriers));
        v.put("note", carriers < 0 ? "virtual threads (if any) add to shared atomic counters"
                : "virtual threads count into their carrier thread's counters; carrierTallies = carriers that did");
        a.put("virtualThreadCounting", v);
        Map<String, Object> states = new LinkedHashMap<>();
        states.put("withoutSlot", io.copytrace.boot.OperationStack.statesWithoutSlot());
        states.put("note", "threads whose first recorded call in the window found their thread id's slot held by a"
                + " live thread: their state is looked up through a thread-local map, slower on every call");
        a.put("threadStates", states);
        a.put("walkCodeC2Excluded", WalkCompiles.added());
        return a;
    }

    /** The JVM's executable, read once (from /proc): every later recording, the exit's included, reuses it. */
    private static String command;

    private static String command() {
        String c = command;
        if (c == null) command = c = ProcessHandle.current().info().command().orElse("");
        return c;
    }

    private static Map<String, Object> jvm(int feature) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("pid", ProcessHandle.current().pid());
        j.put("javaVersion", System.getProperty("java.version"));
        j.put("feature", feature);
        j.put("vendor", System.getProperty("java.vendor"));
        j.put("vmName", System.getProperty("java.vm.name"));
        j.put("command", command());
        j.put("mainCommand", System.getProperty("sun.java.command", ""));
        String cache = System.getProperty("jdk.nio.maxCachedBufferSize");
        j.put("maxCachedBufferSize", cache == null ? null : cache);
        j.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        return j;
    }

    private static Map<String, Object> totals(List<Row> rows) {
        Map<Operation, long[]> byOp = new EnumMap<>(Operation.class);
        long calls = 0;
        long moved = 0;
        long jvm = 0;
        long internalMoved = 0;
        for (Row r : rows) {
            long[] t = byOp.get(r.op);
            if (t == null) byOp.put(r.op, t = new long[3]);
            t[0] += r.calls;
            t[1] += r.moved;
            t[2] += r.jvmCopied;
            if (r.site.kind == Site.KIND_JDK_INTERNAL) {
                internalMoved += r.moved;
            } else if (!Codes.keyNested(r.stats.key)) {
                calls += r.calls;
                moved += r.moved;
                jvm += r.jvmCopied;
            }
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("calls", calls);
        t.put("bytesMoved", moved);
        t.put("jvmCopiedBytes", jvm);
        t.put("jdkInternalBytesMoved", internalMoved);
        t.put("note", "application totals exclude jdk-internal sites and nested operations (already inside another record)");
        List<Object> ops = new ArrayList<>();
        for (Map.Entry<Operation, long[]> e : byOp.entrySet()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("operation", e.getKey().wireName());
            o.put("calls", e.getValue()[0]);
            o.put("bytesMoved", e.getValue()[1]);
            o.put("jvmCopiedBytes", e.getValue()[2]);
            ops.add(o);
        }
        t.put("byOperation", ops);
        long sites = 0;
        for (Site s : SiteTable.all()) sites += s.id > 0 ? 1 : 0;
        t.put("distinctSites", sites);
        t.put("sitesFoldedIntoOther", SiteTable.foldedSites());
        return t;
    }

    private static List<Object> sites(List<Row> rows) {
        // Rows are sorted heaviest first: the first sites met are the heaviest.
        Set<Integer> seen = new HashSet<>();
        List<Site> sites = new ArrayList<>();
        for (Row r : rows) {
            if (seen.add(r.site.id)) sites.add(r.site);
        }
        return new Sites(sites);
    }

    // The records and sites are lists whose elements are made as they are read (by the JSON writer, a piece of
    // text at a time): with 10,000 call sites their maps were ~25 MB of heap live at once, which the agent's
    // resident memory kept after the warm-up. Each read makes the element again from the same counts.

    /** The records, in row order: each one's id is its index. */
    private static final class Records extends java.util.AbstractList<Object> {
        private final List<Row> rows;

        Records(List<Row> rows) {
            this.rows = rows;
        }

        @Override
        public Object get(int i) {
            Map<String, Object> m = record(rows.get(i));
            m.put("id", i);
            return m;
        }

        @Override
        public int size() {
            return rows.size();
        }
    }

    /** The sites, heaviest first: the first {@link #STACKS_FOR_TOP_SITES} with their whole stack. */
    private static final class Sites extends java.util.AbstractList<Object> {
        private final List<Site> sites;

        Sites(List<Site> sites) {
            this.sites = sites;
        }

        @Override
        public Object get(int i) {
            Site site = sites.get(i);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", site.id);
            s.put("kind", siteKind(site.kind));
            s.put("frame", site.frame);
            List<String> stack = List.of(site.stack);
            s.put("stack", i < STACKS_FOR_TOP_SITES ? stack : stack.subList(0, Math.min(1, stack.size())));
            return s;
        }

        @Override
        public int size() {
            return sites.size();
        }
    }

    private static String siteKind(int kind) {
        return switch (kind) {
            case Site.KIND_APP -> "app";
            case Site.KIND_JDK_INTERNAL -> "jdk-internal";
            case Site.KIND_OTHER -> "other";
            default -> "excluded";
        };
    }

    private static Map<String, Object> record(Row r) {
        int key = r.stats.key;
        long[] c = r.counts;
        EndpointKind source = EndpointKind.values()[Codes.keySource(key)];
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("site", r.site.id);
        m.put("operation", r.op.wireName());
        m.put("form", IoForm.values()[Codes.keyForm(key)].wireName());
        m.put("path", r.path.wireName());
        m.put("reason", FallbackReason.values()[Codes.keyReason(key)].wireName());
        int mappedReason = Codes.keyMappedReason(key);
        if (mappedReason != 0) m.put("mappedReason", FallbackReason.values()[mappedReason].wireName());
        m.put("buffer", BufferKind.values()[Codes.keyBuffer(key)].wireName());
        m.put("source", endpoint(source, r.stats.sourceNames()));
        m.put("target", endpoint(r.target, r.stats.targetNames()));
        m.put("nested", Codes.keyNested(key));
        m.put("calls", r.calls);
        m.put("bytesRequested", c[Codes.C_REQUESTED]);
        m.put("bytesMoved", r.moved);
        m.put("eofCalls", c[Codes.C_EOF]);
        m.put("partialCalls", c[Codes.C_PARTIAL]);
        m.put("failedCalls", c[Codes.C_FAILED]);
        m.put("jvmCopiedBytes", r.jvmCopied);
        m.put("nativeAllocations", c[Codes.C_NATIVE_ALLOCS]);
        if (c[Codes.C_PRODUCED] > 0) m.put("tlsBytesProduced", c[Codes.C_PRODUCED]);
        m.put("walkedCalls", c[Codes.C_WALKED]);
        if (c[Codes.C_FRESH_ARRAYS] > 0) {
            m.put("freshArrays", c[Codes.C_FRESH_ARRAYS]);
            m.put("freshArrayBytes", c[Codes.C_FRESH_BYTES]);
        }
        if (c[Codes.C_FAULT_CALLS] > 0) {
            m.put("pageFaultCalls", c[Codes.C_FAULT_CALLS]);
            m.put("pageFaultsMinor", c[Codes.C_FAULTS_MINOR]);
            m.put("pageFaultsMajor", c[Codes.C_FAULTS_MAJOR]);
        }
        String[] stack = r.stats.heaviestStack();
        if (stack != null && !java.util.Arrays.equals(stack, r.site.stack)) m.put("stack", List.of(stack));
        List<Object> threads = new ArrayList<>();
        for (Object t : r.stats.threadGroups()) threads.add(t);
        m.put("threads", threads);
        if (c[Codes.C_NAMES_DROPPED] > 0) m.put("endpointNamesDropped", c[Codes.C_NAMES_DROPPED]);
        return m;
    }

    private static Map<String, Object> endpoint(EndpointKind kind, Object[] names) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("kind", kind.wireName());
        List<Object> n = new ArrayList<>();
        for (Object o : names) n.add(String.valueOf(o));
        e.put("names", n);
        return e;
    }

    static String version() {
        String v = RecordingWriter.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
