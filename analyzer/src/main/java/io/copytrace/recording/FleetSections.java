// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import static io.copytrace.recording.FleetMerge.list;
import static io.copytrace.recording.FleetMerge.number;
import static io.copytrace.recording.FleetMerge.object;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The sections of a merged recording that describe JVMs rather than count records: each fleet member's entry, and
 * the top-level {@code jvm}, {@code window}, {@code attribution}, {@code agent}, {@code kernel}, {@code network} and
 * {@code provenance} made from the members (docs/recording-format.md, "Merged recordings").
 */
final class FleetSections {
    private FleetSections() {}

    /** A plain recording's entry in the fleet section: its JVM's facts, window, totals and per-JVM sections. */
    static Map<String, Object> member(Map<String, Object> root, Recording checked) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", checked.name());
        Map<String, Object> jvm = object(root.get("jvm"));
        for (String k : List.of("pid", "host", "javaVersion", "feature", "vendor", "mainCommand", "maxCachedBufferSize",
                "availableProcessors")) {
            if (jvm.containsKey(k)) m.put(k, jvm.get(k));
        }
        if (root.get("agent") instanceof Map<?, ?> agent) m.put("agentVersion", agent.get("version"));
        m.put("window", root.get("window") instanceof Map<?, ?> w ? w : Map.of());
        m.put("attribution", checked.exactSites() ? "exact" : "sampled");
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("calls", checked.totals().calls());
        totals.put("bytesMoved", checked.totals().bytesMoved());
        totals.put("jvmCopiedBytes", checked.totals().jvmCopiedBytes());
        totals.put("jdkInternalBytesMoved", checked.totals().jdkInternalBytesMoved());
        m.put("totals", totals);
        m.put("agentErrors", new ArrayList<Object>(checked.agentErrors()));
        for (String k : List.of("provenance", "kernel", "network", "temporaryDirectBuffers")) {
            if (root.containsKey(k)) m.put(k, root.get(k));
        }
        if (root.get("profile") instanceof Map<?, ?> p) {
            // The samples stay in the JVM's own recording: engines and intervals differ between JVMs.
            Map<String, Object> profile = new LinkedHashMap<>();
            for (String k : List.of("mode", "error", "engine", "intervalNanos", "totalSamples", "flameGraph")) {
                if (p.containsKey(k)) profile.put(k, p.get(k));
            }
            m.put("profile", profile);
        }
        return m;
    }

    /**
     * Refuses a fleet of different JDK feature versions (the copy model reads one feature per recording: the
     * direct mechanism, the loop chunk, syscall estimates) and a JVM window given twice (it would count twice).
     */
    static void checkMergeable(List<Map<String, Object>> members) throws BadRecording {
        Map<Long, List<String>> byFeature = new TreeMap<>();
        Map<String, String> windows = new HashMap<>();
        for (Map<String, Object> m : members) {
            long feature = m.get("feature") instanceof Long f ? f : 17;
            byFeature.computeIfAbsent(feature, f -> new ArrayList<>()).add(String.valueOf(m.get("file")));
            Map<String, Object> w = object(m.get("window"));
            String window = "pid " + m.get("pid") + (m.get("host") == null ? "" : " on " + m.get("host"))
                    + ", window started " + w.get("startEpochMillis");
            String earlier = windows.putIfAbsent(window, String.valueOf(m.get("file")));
            if (earlier != null) {
                throw new BadRecording("cannot merge " + earlier + " and " + m.get("file") + ": both are the same JVM"
                        + " window (" + window + "), its bytes would count twice");
            }
        }
        if (byFeature.size() > 1) {
            StringBuilder which = new StringBuilder();
            byFeature.forEach((f, files) -> which.append(which.length() == 0 ? "" : "; ").append("JDK ").append(f)
                    .append(": ").append(String.join(", ", files)));
            throw new BadRecording("cannot merge recordings of different JDK feature versions (" + which
                    + "): what a path costs depends on it; merge each version on its own and compare them with diff");
        }
    }

    static Map<String, Object> agent(List<Map<String, Object>> members) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("version", distinct(members, "agentVersion", ", "));
        List<Object> errors = new ArrayList<>();
        for (Map<String, Object> m : members) {
            for (Object e : list(m.get("agentErrors"))) errors.add(label(m) + ": " + e);
        }
        a.put("errors", errors);
        return a;
    }

    /** The fleet's JVM: the one feature, the versions and commands seen, the cache setting when all agree. */
    static Map<String, Object> jvm(List<Map<String, Object>> members) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("javaVersion", distinct(members, "javaVersion", ", "));
        j.put("feature", members.get(0).get("feature"));
        j.put("vendor", distinct(members, "vendor", ", "));
        j.put("mainCommand", distinct(members, "mainCommand", " | "));
        j.put("maxCachedBufferSize", agreed(members, "maxCachedBufferSize"));
        return j;
    }

    /** From the first JVM's start to the last one's end; {@code endedBy} is {@code merge}. */
    static Map<String, Object> window(List<Map<String, Object>> members) {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        long longest = 0;
        for (Map<String, Object> m : members) {
            Map<String, Object> w = object(m.get("window"));
            start = Math.min(start, number(w, "startEpochMillis"));
            end = Math.max(end, number(w, "endEpochMillis"));
            longest = Math.max(longest, number(w, "durationNanos"));
        }
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("startEpochMillis", start);
        w.put("endEpochMillis", end);
        w.put("durationNanos", Math.max(longest, (end - start) * 1_000_000));
        w.put("endedBy", "merge");
        return w;
    }

    static Map<String, Object> attribution(List<Map<String, Object>> members) {
        boolean exact = members.stream().allMatch(m -> "exact".equals(m.get("attribution")));
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("mode", exact ? "exact" : "sampled");
        a.put("note", exact ? "every JVM walked every call's stack: per-site counts are exact"
                : "some JVMs sampled call sites (fleet.members[].attribution): totals per row are exact");
        return a;
    }

    /**
     * Process-wide syscall and fault counts summed, when every JVM has them from the same source: the fleet's
     * syscalls against the fleet's records is a fair cross-check. Per-thread views are not summed (thread groups of
     * different JVMs are not one group); they stay in each member's {@code kernel}.
     */
    static Optional<Map<String, Object>> kernel(List<Map<String, Object>> members) {
        Set<Object> sources = new LinkedHashSet<>();
        for (Map<String, Object> m : members) {
            sources.add(m.get("kernel") instanceof Map<?, ?> k ? k.get("source") : null);
        }
        if (sources.size() != 1 || sources.contains(null) || sources.contains("off")) return Optional.empty();
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("source", sources.iterator().next());
        for (String part : List.of("syscalls", "counters", "proc")) k.put(part, summed(members, part));
        k.put("note", "summed over " + members.size() + " JVMs (counts every JVM has); per-thread views per JVM in"
                + " fleet.members[].kernel");
        return Optional.of(k);
    }

    private static Map<String, Object> summed(List<Map<String, Object>> members, String part) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> first = section(members.get(0).get("kernel"), part);
        for (String key : first.keySet()) {
            long sum = 0;
            boolean everywhere = true;
            for (Map<String, Object> m : members) {
                Object v = section(m.get("kernel"), part).get(key);
                if (v instanceof Long l) sum += l;
                else everywhere = false;
            }
            if (everywhere) out.put(key, sum);
        }
        return out;
    }

    /**
     * Egress interfaces and offloads as the JVMs measured them: a peer routed differently by two JVMs, or an
     * offload they saw differently, becomes unknown (the analyzer then counts the CPU copy, as without the facts).
     */
    static Optional<Map<String, Object>> network(List<Map<String, Object>> members) {
        Map<String, Object> egress = new TreeMap<>();
        Set<String> conflicts = new LinkedHashSet<>();
        Map<String, Map<String, Object>> nics = new TreeMap<>();
        Map<String, Object> tls = new LinkedHashMap<>();
        Object[] tcpDefault = {null};
        Map<String, Object> routes = new TreeMap<>();
        java.util.Set<String> routeConflicts = new java.util.TreeSet<>();
        boolean any = false;
        for (Map<String, Object> m : members) {
            if (!(m.get("network") instanceof Map<?, ?> n)) continue;
            Map<String, Object> net = object(n);
            boolean first = !any;
            any = true;
            section(net, "egress").forEach((peer, nic) -> {
                Object was = egress.putIfAbsent(peer, nic);
                if (was != null && !was.equals(nic)) conflicts.add(peer);
            });
            for (Object o : list(net.get("interfaces"))) {
                Map<String, Object> nic = object(o);
                Map<String, Object> into = nics.computeIfAbsent(String.valueOf(nic.get("name")), x -> new LinkedHashMap<>(nic));
                for (String flag : List.of("scatterGather", "txChecksum", "queues")) {
                    if (!Objects.equals(into.get(flag), nic.get(flag))) into.put(flag, null);
                }
            }
            Map<String, Object> t = section(net, "tcp");
            if (first) tcpDefault[0] = t.get("defaultCongestionControl");
            else if (!Objects.equals(tcpDefault[0], t.get("defaultCongestionControl"))) tcpDefault[0] = null;
            section(t, "routeCongestionControl").forEach((peer, cc) -> {
                Object was = routes.putIfAbsent(peer, cc);
                if (was != null && !was.equals(cc)) routeConflicts.add(peer);
            });
            Map<String, Object> k = section(net, "kernelTls");
            for (String flag : List.of("moduleLoaded", "tlsStat")) {
                if (first) tls.put(flag, k.get(flag));
                else if (!Objects.equals(tls.get(flag), k.get(flag))) tls.put(flag, null);
            }
        }
        if (!any) return Optional.empty();
        conflicts.forEach(egress::remove);
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("egress", egress);
        routeConflicts.forEach(routes::remove);
        Map<String, Object> tcp = new LinkedHashMap<>();
        tcp.put("defaultCongestionControl", tcpDefault[0]);
        tcp.put("routeCongestionControl", routes);
        n.put("tcp", tcp);
        n.put("kernelTls", tls);
        n.put("interfaces", new ArrayList<Object>(nics.values()));
        n.put("note", "merged from the JVMs' network sections: a peer routed differently by two JVMs ("
                + conflicts.size() + ") and an offload, queue, congestion control or kernel TLS fact they saw"
                + " differently are unknown here");
        return Optional.of(n);
    }

    static Map<String, Object> provenance(List<Map<String, Object>> members) {
        boolean enabled = true;
        boolean fresh = true;
        long maxFlows = 0;
        long dropped = 0;
        long untracked = 0;
        for (Map<String, Object> m : members) {
            Map<String, Object> p = section(m, "provenance");
            enabled &= Boolean.TRUE.equals(p.get("enabled"));
            fresh &= Boolean.TRUE.equals(p.get("freshArraysCounted"));
            maxFlows = Math.max(maxFlows, number(p, "maxFlows"));
            dropped += number(p, "droppedFlowBytes");
            untracked += number(p, "untrackedFillBytes");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("enabled", enabled);
        p.put("maxFlows", maxFlows);
        p.put("droppedFlowBytes", dropped);
        p.put("untrackedFillBytes", untracked);
        p.put("freshArraysCounted", fresh);
        p.put("note", "summed over the JVMs; enabled (freshArraysCounted) only when every JVM could follow its bytes"
                + " (count fresh arrays)");
        return p;
    }

    /** How the merge names a member in lines it writes: "pid 4711 (recording-4711.json)". */
    /**
     * The JDK's temporary direct buffer caches of every JVM, summed (each JVM holds its own native memory), with
     * thread name groups merged by name and the largest listed; a JVM that could not read its caches is counted.
     */
    static Optional<Map<String, Object>> temporaryDirectBuffers(List<Map<String, Object>> members) {
        long[] total = new long[3];
        long notListed = 0;
        int read = 0, unreadable = 0;
        Map<String, long[]> groups = new TreeMap<>();
        List<Object> limits = new ArrayList<>();
        for (Map<String, Object> m : members) {
            if (!(m.get("temporaryDirectBuffers") instanceof Map<?, ?> t)) continue;
            Map<String, Object> caches = object(t);
            if (caches.get("error") != null) {
                unreadable++;
                continue;
            }
            read++;
            limits.add(caches.get("maxCachedBufferSize"));
            add(total, caches);
            notListed += caches.get("groupsNotListed") instanceof Long n ? n : 0;
            for (Object o : list(caches.get("byGroup"))) {
                Map<String, Object> g = object(o);
                add(groups.computeIfAbsent(String.valueOf(g.get("group")), x -> new long[3]), g);
            }
        }
        if (read + unreadable == 0) return Optional.empty();
        List<Map.Entry<String, long[]>> largest = new ArrayList<>(groups.entrySet());
        largest.sort((a, b) -> Long.compare(b.getValue()[2], a.getValue()[2]));
        List<Object> byGroup = new ArrayList<>();
        for (Map.Entry<String, long[]> e : largest.subList(0, Math.min(TEMPORARY_BUFFER_GROUPS, largest.size()))) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("group", e.getKey());
            putCounts(g, e.getValue());
            byGroup.add(g);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("maxCachedBufferSize", new LinkedHashSet<>(limits).size() == 1 ? limits.get(0) : null);
        putCounts(out, total);
        out.put("byGroup", byGroup);
        out.put("groupsNotListed", notListed + largest.size() - byGroup.size());
        out.put("note", "summed over the " + read + " JVMs that read their caches (" + unreadable + " could not);"
                + " groups merged by name; per JVM in fleet.members[].temporaryDirectBuffers");
        return Optional.of(out);
    }

    /** Thread name groups listed in a merged temporaryDirectBuffers section, as the agent lists them. */
    private static final int TEMPORARY_BUFFER_GROUPS = 10;
    private static final List<String> CACHE_COUNTS = List.of("threads", "buffers", "bytes");

    private static void add(long[] into, Map<String, Object> counts) {
        for (int i = 0; i < into.length; i++) {
            if (counts.get(CACHE_COUNTS.get(i)) instanceof Long n) into[i] += n;
        }
    }

    private static void putCounts(Map<String, Object> into, long[] counts) {
        for (int i = 0; i < counts.length; i++) into.put(CACHE_COUNTS.get(i), counts[i]);
    }

    private static String label(Map<String, Object> m) {
        return "pid " + m.get("pid") + (m.get("host") == null ? "" : " on " + m.get("host")) + " (" + m.get("file") + ")";
    }

    private static String distinct(List<Map<String, Object>> members, String key, String separator) {
        Set<String> seen = new LinkedHashSet<>();
        for (Map<String, Object> m : members) if (m.get(key) != null) seen.add(String.valueOf(m.get(key)));
        return String.join(separator, seen);
    }

    private static Object agreed(List<Map<String, Object>> members, String key) {
        Object first = members.get(0).get(key);
        for (Map<String, Object> m : members) if (!Objects.equals(first, m.get(key))) return null;
        return first;
    }

    private static Map<String, Object> section(Object parent, String key) {
        return parent instanceof Map<?, ?> p && p.get(key) instanceof Map<?, ?> s ? object(s) : Map.of();
    }
}
