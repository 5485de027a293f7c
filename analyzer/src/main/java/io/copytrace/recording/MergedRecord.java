// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import io.copytrace.json.JsonWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One record of a merged recording: the rows of every input with the same key (site frame, operation, form, path,
 * reason, mapped reason, buffer, endpoint kinds, nested), counts summed, names unioned as the agent caps them, and
 * what each JVM contributed.
 */
final class MergedRecord {
    /** Distinct endpoint names and thread groups a record keeps, as the agent keeps them. */
    static final int MAX_NAMES = 8;
    /** The counts a record sums, in the order the agent writes them. */
    static final List<String> COUNTS = List.of("calls", "bytesRequested", "bytesMoved", "eofCalls", "partialCalls",
            "failedCalls", "jvmCopiedBytes", "nativeAllocations", "tlsBytesProduced", "walkedCalls",
            // the faults of mapped-buffer calls, where measured (pageFaultCalls says how many calls were)
            "pageFaultCalls", "pageFaultsMinor", "pageFaultsMajor",
            // heap arrays reads filled for the first time, where counted
            "freshArrays", "freshArrayBytes");

    final MergedSite site;
    final Map<String, Object> key;
    final String keyText;
    private final long[] counts = new long[COUNTS.size()];
    private final Set<String> sourceNames = new LinkedHashSet<>();
    private final Set<String> targetNames = new LinkedHashSet<>();
    private final Set<String> threads = new LinkedHashSet<>();
    private long namesDropped;
    private List<?> stack;
    private long stackBytes = -1;
    /** Fleet member index → calls, bytesMoved, jvmCopiedBytes. */
    private final Map<Integer, long[]> jvms = new TreeMap<>();

    private MergedRecord(MergedSite site, Map<String, Object> key, String keyText) {
        this.site = site;
        this.key = key;
        this.keyText = keyText;
    }

    /** The key of an input record (its site already merged); {@code byKey} gives the merged record. */
    static MergedRecord of(Map<String, MergedRecord> byKey, MergedSite site, Map<String, Object> m) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("operation", m.get("operation"));
        key.put("form", m.getOrDefault("form", "none"));
        key.put("path", m.get("path"));
        key.put("reason", m.getOrDefault("reason", "unknown"));
        if (m.get("mappedReason") != null) key.put("mappedReason", m.get("mappedReason"));
        key.put("buffer", m.get("buffer"));
        key.put("sourceKind", kind(m.get("source")));
        key.put("targetKind", kind(m.get("target")));
        key.put("nested", Boolean.TRUE.equals(m.get("nested")));
        String text = site.key() + "\n" + key;
        return byKey.computeIfAbsent(text, t -> new MergedRecord(site, key, t));
    }

    /** Adds an input record; {@code jvms} are its contributions by fleet member index (calls, moved, JVM-copied). */
    void add(Map<String, Object> m, Map<Integer, long[]> contributions) {
        long moved = FleetMerge.number(m, "bytesMoved");
        for (int i = 0; i < counts.length; i++) {
            String k = COUNTS.get(i);
            counts[i] += k.equals("bytesRequested") && !m.containsKey(k) ? moved : FleetMerge.number(m, k);
        }
        namesDropped += FleetMerge.number(m, "endpointNamesDropped");
        namesDropped += union(sourceNames, names(m.get("source")));
        namesDropped += union(targetNames, names(m.get("target")));
        if (m.get("threads") instanceof List<?> l) union(threads, l);
        if (m.get("stack") instanceof List<?> own && !own.isEmpty() && moved > stackBytes) {
            stack = own;
            stackBytes = moved;
        }
        contributions.forEach((jvm, c) -> {
            long[] sum = jvms.computeIfAbsent(jvm, j -> new long[3]);
            for (int i = 0; i < 3; i++) sum[i] += c[i];
        });
    }

    long count(String name) {
        return counts[COUNTS.indexOf(name)];
    }

    /** Heaviest first, as the agent sorts: bytes moved plus JVM-copied bytes, then bytes moved. */
    long weight() {
        return count("bytesMoved") + count("jvmCopiedBytes");
    }

    /** The record as the recording writes it, with id {@code id}. */
    Map<String, Object> json(int id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("site", site.id);
        for (String k : List.of("operation", "form", "path", "reason", "mappedReason", "buffer")) {
            if (key.containsKey(k)) m.put(k, key.get(k));
        }
        m.put("source", endpoint(key.get("sourceKind"), sourceNames));
        m.put("target", endpoint(key.get("targetKind"), targetNames));
        m.put("nested", key.get("nested"));
        for (int i = 0; i < counts.length; i++) {
            String k = COUNTS.get(i);
            boolean optional = k.equals("tlsBytesProduced") || k.startsWith("pageFault") || k.startsWith("fresh");
            if (!optional || (k.startsWith("pageFault") ? count("pageFaultCalls") > 0 : counts[i] > 0)) m.put(k, counts[i]);
        }
        if (stack != null && !stack.equals(site.stack)) m.put("stack", stack);
        m.put("threads", new ArrayList<Object>(threads));
        if (namesDropped > 0) m.put("endpointNamesDropped", namesDropped);
        List<Object> shares = new ArrayList<>();
        jvms.forEach((jvm, c) -> shares.add(counts(new JsonWriter.Line(), "jvm", jvm, c)));
        m.put("jvms", shares);
        return m;
    }

    /** {@code m} with {@code name} and the three counts a share or an operation's totals has. */
    static Map<String, Object> counts(Map<String, Object> m, String key, Object name, long[] c) {
        m.put(key, name);
        m.put("calls", c[0]);
        m.put("bytesMoved", c[1]);
        m.put("jvmCopiedBytes", c[2]);
        return m;
    }

    private static Map<String, Object> endpoint(Object kind, Set<String> names) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("kind", kind);
        e.put("names", new ArrayList<Object>(names));
        return e;
    }

    /** Adds names up to {@link #MAX_NAMES}; returns how many new ones did not fit. */
    private static long union(Set<String> into, List<?> names) {
        long dropped = 0;
        for (Object n : names) {
            String name = String.valueOf(n);
            if (into.contains(name)) continue;
            if (into.size() < MAX_NAMES) into.add(name);
            else dropped++;
        }
        return dropped;
    }

    private static Object kind(Object endpoint) {
        return endpoint instanceof Map<?, ?> e && e.get("kind") != null ? e.get("kind") : "none";
    }

    private static List<?> names(Object endpoint) {
        return endpoint instanceof Map<?, ?> e && e.get("names") instanceof List<?> l ? l : List.of();
    }

    /** A call site of the merged recording: joined across JVMs by kind and frame. */
    static final class MergedSite {
        final String kind;
        final String frame;
        List<?> stack;
        /** Buckets (ids &lt; 0) keep their id; real sites are numbered from 1 in the merged order. */
        long id;

        MergedSite(String kind, String frame, List<?> stack, long id) {
            this.kind = kind;
            this.frame = frame;
            this.stack = stack;
            this.id = id < 0 ? id : 0;
        }

        String key() {
            return kind + "\n" + frame;
        }

        /** Keeps the longer stack: the agent keeps whole stacks for its 100 heaviest sites only. */
        void see(List<?> other) {
            if (other.size() > stack.size()) stack = other;
        }

        Map<String, Object> json() {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", id);
            s.put("kind", kind);
            s.put("frame", frame);
            s.put("stack", stack);
            return s;
        }
    }
}
