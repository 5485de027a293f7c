// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import io.copytrace.json.JsonReader;
import io.copytrace.recording.MergedRecord.MergedSite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code copytrace merge}: recordings of many JVMs of one service as one recording (schema:
 * docs/recording-format.md, "Merged recordings"). Records with the same key are summed exactly, sites joined by
 * frame and renumbered, flows remapped and summed; the {@code fleet} section keeps each JVM's facts and totals and
 * every record says what each JVM contributed. A merged recording can be merged again.
 */
public final class FleetMerge {
    private FleetMerge() {}

    /** One input file: its JSON tree and the fleet members it brings (one, or a merged recording's). */
    private record Input(String name, Map<String, Object> root, List<Map<String, Object>> members, int offset) {}

    /** Merges the recordings into one recording tree; refuses what cannot be merged with one line. */
    public static Map<String, Object> merge(List<Path> files) throws BadRecording {
        if (files.isEmpty()) throw new BadRecording("merge needs at least one recording");
        List<Input> inputs = new ArrayList<>();
        List<Map<String, Object>> members = new ArrayList<>();
        for (Path file : files) {
            Input in = read(file, members.size());
            inputs.add(in);
            members.addAll(in.members);
        }
        FleetSections.checkMergeable(members);
        for (int i = 0; i < members.size(); i++) {
            Map<String, Object> indexed = new LinkedHashMap<>();
            indexed.put("index", i); // what records' jvms refer to
            members.get(i).remove("index");
            indexed.putAll(members.get(i));
            members.set(i, indexed);
        }

        Map<String, MergedSite> sites = new LinkedHashMap<>();
        Map<String, MergedRecord> records = new LinkedHashMap<>();
        Map<String, long[]> flows = new LinkedHashMap<>();
        Map<String, MergedRecord[]> flowEnds = new HashMap<>();
        for (Input in : inputs) {
            Map<Long, MergedRecord> byId = records(in, sites, records);
            flows(in, byId, flows, flowEnds);
        }
        List<MergedRecord> sorted = new ArrayList<>(records.values());
        sorted.sort(Comparator.comparingLong((MergedRecord r) -> -r.weight())
                .thenComparingLong(r -> -r.count("bytesMoved")).thenComparing(r -> r.keyText));
        Map<MergedRecord, Integer> ids = new IdentityHashMap<>();
        List<Object> recordJson = new ArrayList<>();
        List<Object> siteJson = new ArrayList<>();
        java.util.Set<MergedSite> written = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        long nextSite = 1;
        for (MergedRecord r : sorted) {
            if (r.site.id == 0) r.site.id = nextSite++; // sites in the order of their heaviest record, as the agent
            if (written.add(r.site)) siteJson.add(r.site.json());
            ids.put(r, recordJson.size());
            recordJson.add(r.json(recordJson.size()));
        }

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "copytrace-recording");
        root.put("version", RecordingReader.SUPPORTED_VERSION);
        root.put("agent", FleetSections.agent(members));
        root.put("jvm", FleetSections.jvm(members));
        root.put("window", FleetSections.window(members));
        root.put("attribution", FleetSections.attribution(members));
        root.put("totals", totals(inputs, members, nextSite - 1));
        root.put("sites", siteJson);
        root.put("records", recordJson);
        FleetSections.kernel(members).ifPresent(k -> root.put("kernel", k));
        FleetSections.network(members).ifPresent(n -> root.put("network", n));
        root.put("provenance", FleetSections.provenance(members));
        FleetSections.temporaryDirectBuffers(members).ifPresent(t -> root.put("temporaryDirectBuffers", t));
        root.put("flows", flowJson(flows, flowEnds, ids));
        Map<String, Object> fleet = new LinkedHashMap<>();
        fleet.put("jvms", members.size());
        fleet.put("note", "merged by copytrace merge from " + inputs.size() + " recordings: records are summed,"
                + " each record's jvms says what every JVM contributed; kernel per-thread views and profiles stay"
                + " per JVM (docs/recording-format.md)");
        fleet.put("members", members);
        root.put("fleet", fleet);
        return root;
    }

    private static Input read(Path file, int offset) throws BadRecording {
        Recording checked = Recording.read(file); // every refusal (too new, corrupt, truncated) as the reader says it
        Map<String, Object> root;
        try {
            root = object(JsonReader.parse(Files.readString(file, java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IOException x) {
            throw new BadRecording(file + ": cannot read it: " + x.getMessage());
        }
        String name = checked.name();
        List<Map<String, Object>> members = new ArrayList<>();
        if (root.get("fleet") instanceof Map<?, ?> fleet && fleet.get("members") instanceof List<?> l) {
            for (Object o : l) members.add(new LinkedHashMap<>(object(o)));
        } else {
            members.add(FleetSections.member(root, checked));
        }
        return new Input(name, root, members, offset);
    }

    /** Adds an input's records; returns its record ids → the merged records, for its flows. */
    private static Map<Long, MergedRecord> records(Input in, Map<String, MergedSite> sites,
                                                   Map<String, MergedRecord> records) {
        Map<Long, Map<String, Object>> inputSites = new HashMap<>();
        for (Object o : list(in.root.get("sites"))) {
            Map<String, Object> s = object(o);
            inputSites.put(number(s, "id"), s);
        }
        Map<Long, MergedRecord> byId = new HashMap<>();
        long index = 0;
        for (Object o : list(in.root.get("records"))) {
            Map<String, Object> m = object(o);
            long id = m.get("id") instanceof Long l ? l : index;
            index++;
            long siteId = number(m, "site");
            Map<String, Object> s = inputSites.get(siteId);
            String kind = s != null && s.get("kind") instanceof String k ? k : siteId > 0 ? "app" : "other";
            String frame = s != null && s.get("frame") instanceof String f ? f : "unknown site " + siteId;
            List<?> stack = s != null && s.get("stack") instanceof List<?> l && !l.isEmpty() ? l : List.of(frame);
            MergedSite site = sites.computeIfAbsent(kind + "\n" + frame, k -> new MergedSite(kind, frame, stack, siteId));
            site.see(stack);
            MergedRecord r = MergedRecord.of(records, site, m);
            r.add(m, contributions(in, m));
            byId.put(id, r);
        }
        return byId;
    }

    /** What each fleet member gave to one input record: the record's own {@code jvms}, or all of it. */
    private static Map<Integer, long[]> contributions(Input in, Map<String, Object> m) {
        Map<Integer, long[]> out = new HashMap<>();
        if (m.get("jvms") instanceof List<?> shares) {
            for (Object o : shares) {
                Map<String, Object> s = object(o);
                out.put(in.offset + (int) number(s, "jvm"), new long[] {number(s, "calls"), number(s, "bytesMoved"),
                        number(s, "jvmCopiedBytes")});
            }
        } else {
            out.put(in.offset, new long[] {number(m, "calls"), number(m, "bytesMoved"), number(m, "jvmCopiedBytes")});
        }
        return out;
    }

    /** Sums an input's flows by (from, to, handed off, via framework copy, via TLS) of the merged records. */
    private static void flows(Input in, Map<Long, MergedRecord> byId, Map<String, long[]> flows,
                              Map<String, MergedRecord[]> ends) {
        if (!(in.root.get("flows") instanceof List<?> l)) return;
        for (Object o : l) {
            Map<String, Object> f = object(o);
            MergedRecord to = byId.get(number(f, "to"));
            MergedRecord from = f.get("from") instanceof Long id ? byId.get(id) : null;
            if (to == null || f.get("from") != null && from == null) continue;
            String key = (from == null ? "-" : from.keyText) + "\n->\n" + to.keyText + "\n" + flag(f, "handedOff")
                    + flag(f, "viaFrameworkCopy") + flag(f, "viaTls");
            long[] sum = flows.computeIfAbsent(key, k -> new long[] {0, -1});
            ends.putIfAbsent(key, new MergedRecord[] {from, to});
            sum[0] += number(f, "bytes");
            if (f.get("writeCalls") instanceof Long calls) sum[1] = Math.max(sum[1], 0) + calls;
        }
    }

    private static List<Object> flowJson(Map<String, long[]> flows, Map<String, MergedRecord[]> ends,
                                         Map<MergedRecord, Integer> ids) {
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(flows.entrySet());
        sorted.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[0])
                .thenComparing(e -> ids.get(ends.get(e.getKey())[1])).thenComparing(Map.Entry::getKey));
        List<Object> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : sorted) {
            MergedRecord[] end = ends.get(e.getKey());
            String flags = e.getKey().substring(e.getKey().length() - 3);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", end[0] == null ? null : ids.get(end[0]));
            m.put("to", ids.get(end[1]));
            m.put("bytes", e.getValue()[0]);
            if (e.getValue()[1] >= 0) m.put("writeCalls", e.getValue()[1]);
            m.put("handedOff", flags.charAt(0) == '1');
            m.put("viaFrameworkCopy", flags.charAt(1) == '1');
            m.put("viaTls", flags.charAt(2) == '1');
            out.add(m);
        }
        return out;
    }

    /** The fleet's totals: each JVM's own totals summed, operations summed across the inputs. */
    private static Map<String, Object> totals(List<Input> inputs, List<Map<String, Object>> members, long appSites) {
        Map<String, Object> t = new LinkedHashMap<>();
        for (String k : List.of("calls", "bytesMoved", "jvmCopiedBytes", "jdkInternalBytesMoved")) {
            long sum = 0;
            for (Map<String, Object> m : members) sum += number(object(m.get("totals")), k);
            t.put(k, sum);
        }
        t.put("note", "the fleet's application totals: the sum of every JVM's totals (fleet.members)");
        Map<String, long[]> byOp = new LinkedHashMap<>();
        long folded = 0;
        for (Input in : inputs) {
            Map<String, Object> totals = in.root.get("totals") instanceof Map<?, ?> m ? object(m) : Map.of();
            folded += number(totals, "sitesFoldedIntoOther");
            for (Object o : list(totals.get("byOperation"))) {
                Map<String, Object> op = object(o);
                long[] sum = byOp.computeIfAbsent(String.valueOf(op.get("operation")), k -> new long[3]);
                sum[0] += number(op, "calls");
                sum[1] += number(op, "bytesMoved");
                sum[2] += number(op, "jvmCopiedBytes");
            }
        }
        List<Object> ops = new ArrayList<>();
        byOp.forEach((op, sum) -> ops.add(MergedRecord.counts(new LinkedHashMap<>(), "operation", op, sum)));
        t.put("byOperation", ops);
        t.put("distinctSites", appSites);
        t.put("sitesFoldedIntoOther", folded);
        return t;
    }

    private static String flag(Map<String, Object> m, String key) {
        return Boolean.TRUE.equals(m.get(key)) ? "1" : "0";
    }

    /** A whole number at {@code key}, 0 when absent (the reader has checked every count already). */
    static long number(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object o) {
        return (Map<String, Object>) Objects.requireNonNull(o, "missing object");
    }

    static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }
}
