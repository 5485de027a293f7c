// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import io.copytrace.profile.CpuProfile;
import io.copytrace.profile.CpuSamples;
import io.copytrace.json.JsonReader;
import io.copytrace.model.BufferKind;
import io.copytrace.model.CopyModel;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.FallbackReason;
import io.copytrace.model.IoForm;
import io.copytrace.model.Operation;
import io.copytrace.model.TransferPath;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns recording JSON into a {@link Recording}. Refuses newer versions and broken files with one line
 * naming the file; ignores keys it does not know (the format's compatibility rule); skips records whose
 * operation, path or buffer is newer than this analyzer and says so in {@link Recording#warnings()}.
 */
final class RecordingReader {
    /** The newest recording version this analyzer reads. */
    static final int SUPPORTED_VERSION = 3;

    private static final Map<String, Operation> OPERATIONS = byWireName(Operation.values(), Operation::wireName);
    private static final Map<String, TransferPath> PATHS = byWireName(TransferPath.values(), TransferPath::wireName);
    private static final Map<String, BufferKind> BUFFERS = byWireName(BufferKind.values(), BufferKind::wireName);
    private static final Map<String, IoForm> FORMS = byWireName(IoForm.values(), IoForm::wireName);
    private static final Map<String, FallbackReason> REASONS = byWireName(FallbackReason.values(), FallbackReason::wireName);
    private static final Map<String, EndpointKind> ENDPOINT_KINDS = byWireName(EndpointKind.values(), EndpointKind::wireName);

    private final String file;
    private final List<String> warnings = new ArrayList<>();
    /** Socket peer (as recorded) → the interface its bytes left by, from the {@code network} section. */
    /** The recording's network facts (egress interfaces, their offloads, kernel TLS); empty when absent. */
    private NetworkFacts network = NetworkFacts.NONE;

    private RecordingReader(String file) {
        this.file = file;
    }

    static Recording read(Path path) throws BadRecording {
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) throw new BadRecording(path + ": is a directory, not a recording file");
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException x) {
            throw new BadRecording(path + ": no such file");
        } catch (AccessDeniedException x) {
            throw new BadRecording(path + ": permission denied");
        } catch (IOException x) {
            throw new BadRecording(path + ": cannot read it: " + x.getMessage());
        }
        String text;
        if (isAscii(bytes)) {
            text = new String(bytes, StandardCharsets.US_ASCII); // the usual case: no decoder, no char buffer
        } else {
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException x) {
                throw new BadRecording(path + ": not a copytrace recording (not UTF-8 text)");
            }
        }
        return parse(text, path.toString(), path.getFileName() == null ? path.toString() : path.getFileName().toString());
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) if (b < 0) return false;
        return true;
    }

    /** Parses recording text; {@code where} names it in errors, {@code name} in reports. */
    static Recording parse(String text, String where, String name) throws BadRecording {
        RecordingReader r = new RecordingReader(where);
        if (text.isBlank()) throw new BadRecording(where + ": empty file, not a recording");
        Object tree;
        try {
            tree = JsonReader.parse(text);
        } catch (JsonReader.JsonException x) {
            throw new BadRecording(where + ": not valid JSON: " + x.getMessage());
        }
        try {
            return r.recording(tree, name);
        } catch (ClassCastException | IllegalArgumentException | NullPointerException x) {
            throw new BadRecording(where + ": corrupt recording: " + x.getMessage());
        }
    }

    private Recording recording(Object tree, String name) throws BadRecording {
        if (!(tree instanceof Map<?, ?> root) || !"copytrace-recording".equals(root.get("format"))) {
            throw new BadRecording(file + ": not a copytrace recording (no \"format\": \"copytrace-recording\")");
        }
        Object v = root.get("version");
        if (!(v instanceof Long version)) throw new BadRecording(file + ": corrupt recording: \"version\" is not a number");
        if (version > SUPPORTED_VERSION) {
            throw new BadRecording(file + ": recording format version " + version + " is newer than this copytrace reads ("
                    + SUPPORTED_VERSION + "): use a newer copytrace");
        }
        Map<String, Object> jvmMap = object(root, "jvm");
        Object maxCached = jvmMap.get("maxCachedBufferSize");
        Long maxCachedBufferSize = maxCached instanceof Long l ? l
                : maxCached instanceof String s && s.matches("\\d+") ? Long.valueOf(s) : null;
        Recording.Jvm jvm = new Recording.Jvm(number(jvmMap, "pid", 0), text(jvmMap, "javaVersion", "?"),
                (int) number(jvmMap, "feature", 17), text(jvmMap, "mainCommand", "?"), maxCachedBufferSize,
                (int) number(jvmMap, "availableProcessors", 0));
        Map<String, Object> window = root.get("window") instanceof Map<?, ?> ? object(root, "window") : Map.of();
        Map<String, Object> attribution = root.get("attribution") instanceof Map<?, ?> ? object(root, "attribution") : Map.of();
        if ("checkpoint".equals(window.get("endedBy"))) {
            warnings.add("a checkpoint: the window was still open when this was written (the JVM ended without closing"
                    + " it, e.g. killed); it covers the first " + (number(window, "durationNanos", 0) / 1_000_000)
                    + " ms, without kernel counters or profile");
        }

        checkNewerSections(root);
        if (root.get("network") instanceof Map<?, ?> n) network = NetworkFacts.read(n);
        Map<Long, Site> sites = new LinkedHashMap<>();
        for (Map<String, Object> s : objects(root, "sites")) {
            if (!(s.get("id") instanceof Long id)) throw new BadRecording(file + ": corrupt recording: a site has no \"id\"");
            String frame = string(s, "frame", "site " + id, "site " + id);
            List<String> stack = new ArrayList<>();
            if (s.get("stack") != null && !(s.get("stack") instanceof List<?>)) throw corrupt("site " + id, "stack", s.get("stack"), "a list of frames");
            if (s.get("stack") instanceof List<?> l) {
                for (Object f : l) {
                    if (!(f instanceof String frameText)) throw corrupt("site " + id, "stack", f, "frames as strings");
                    stack.add(frameText);
                }
            }
            if (stack.isEmpty()) stack.add(frame);
            sites.put(id, new Site(id, string(s, "kind", "app", "site " + id), frame, List.copyOf(stack)));
        }
        List<CopyRecord> records = new ArrayList<>();
        Map<Long, CopyRecord> byId = new HashMap<>();
        FleetReader fleet = new FleetReader(file);
        int index = 0;
        for (Map<String, Object> m : objects(root, "records")) {
            long id = number(m, "id", index);
            CopyRecord rec = record(m, sites, jvm.feature(), index++);
            if (rec == null) continue;
            records.add(rec);
            byId.put(id, rec);
            fleet.record(m, rec);
        }
        Optional<Fleet> jvms = fleet.fleet(root, warnings);
        Recording.Totals totals = totals(root, records);
        List<String> agentErrors = new ArrayList<>();
        if (root.get("agent") instanceof Map<?, ?> agent && agent.get("errors") instanceof List<?> errs) {
            for (Object e : errs) agentErrors.add(String.valueOf(e));
        }
        return new Recording(name, jvm, number(window, "durationNanos", 0),
                "exact".equals(attribution.get("mode")), List.copyOf(sites.values()), List.copyOf(records), totals,
                KernelCounts.read(root.get("kernel")), List.copyOf(agentErrors), List.copyOf(warnings),
                root.get("profile") instanceof Map<?, ?> p ? Optional.of(profile(p, sites.values())) : Optional.empty(),
                flows(root, byId), Optional.ofNullable(network.hostTls()),
                Optional.ofNullable(TemporaryBufferCaches.read(root.get("temporaryDirectBuffers"))), jvms, Origin.AGENT);
    }

    /**
     * The window's copy CPU time: format 3 holds the samples, attributed here to the application sites by this
     * analyzer's copy frames; formats 1-2 held the agent's attribution, read as it was.
     */
    private static CpuProfile profile(Map<?, ?> section, Collection<Site> sites) {
        if (section.containsKey("copySamples")) return CpuProfile.fromJson(section);
        Map<Long, String> frames = new LinkedHashMap<>();
        for (Site s : sites) if (s.id() > 0 && "app".equals(s.kind())) frames.put(s.id(), s.frame());
        return CpuSamples.fromJson(section).attribute(frames);
    }

    /** Flows between records; a flow naming a record this reader skipped is dropped with it. */
    private List<Flow> flows(Map<?, ?> root, Map<Long, CopyRecord> byId) throws BadRecording {
        if (!(root.get("flows") instanceof List<?>)) return List.of();
        List<Flow> flows = new ArrayList<>();
        for (Map<String, Object> f : objects(root, "flows")) {
            String where = "flow " + flows.size();
            CopyRecord to = byId.get(count(f, "to", -1, where));
            Object fromId = f.get("from");
            if (fromId != null && !(fromId instanceof Long)) throw corrupt(where, "from", fromId, "a record id or null");
            CopyRecord from = fromId instanceof Long id ? byId.get(id) : null;
            long bytes = count(f, "bytes", 0, where), calls = count(f, "writeCalls", 0, where);
            if (to == null || (fromId != null && from == null)) continue;
            flows.add(new Flow(Optional.ofNullable(from), to, bytes, calls,
                    Boolean.TRUE.equals(f.get("handedOff")), Boolean.TRUE.equals(f.get("viaFrameworkCopy")),
                    Boolean.TRUE.equals(f.get("viaTls"))));
        }
        return List.copyOf(flows);
    }

    private CopyRecord record(Map<String, Object> m, Map<Long, Site> sites, int feature, int index) throws BadRecording {
        String where = "record " + index;
        if (m.get("site") != null && !(m.get("site") instanceof Long)) throw corrupt(where, "site", m.get("site"), "a site id");
        long siteId = number(m, "site", 0);
        for (String key : COUNTS) count(m, key, 0, where); // every count present is a whole number >= 0
        for (String key : NAMES) string(m, key, null, where);
        Site site = sites.computeIfAbsent(siteId, id -> new Site(id, id > 0 ? "app" : "other", "unknown site " + id,
                List.of("unknown site " + id)));
        Operation op = known(m, "operation", OPERATIONS, index);
        TransferPath path = known(m, "path", PATHS, index);
        BufferKind buffer = known(m, "buffer", BUFFERS, index);
        if (op == null || path == null || buffer == null) return null;
        IoForm form = FORMS.getOrDefault(m.get("form"), IoForm.NONE);
        FallbackReason reason = REASONS.getOrDefault(m.get("reason"), FallbackReason.UNKNOWN);
        FallbackReason mappedReason = m.containsKey("mappedReason")
                ? REASONS.getOrDefault(m.get("mappedReason"), FallbackReason.UNKNOWN)
                : null;
        Endpoint source = endpoint(m.get("source"));
        Endpoint target = endpoint(m.get("target"));
        if (target.kind() == EndpointKind.SOCKET) target = network.withEgress(target);
        long moved = number(m, "bytesMoved", 0);
        long jvmCopied = number(m, "jvmCopiedBytes", 0);
        // Interpretation comes from this analyzer's copy model only: what an older agent (format 1-2) wrote as
        // pattern, mechanism or CPU copies is ignored, so an old recording is re-analyzed by the newer model.
        long cpuCopied = CopyModel.cpuCopiedBytes(op, path, target.kind(), target.sendOffload(), moved, jvmCopied);
        String mechanism = path == TransferPath.DIRECT ? CopyModel.directMechanism(feature, op, target.kind()) : null;
        if (m.get("stack") instanceof List<?> own && !own.isEmpty()) {
            // This row came through a different caller than the site's first one: keep its own stack.
            List<String> frames = new ArrayList<>();
            for (Object f : own) frames.add(String.valueOf(f));
            site = new Site(site.id(), site.kind(), site.frame(), List.copyOf(frames));
        }
        return new CopyRecord(site, op, form, path, mechanism, reason, mappedReason, buffer, source, target,
                Boolean.TRUE.equals(m.get("nested")), number(m, "calls", 0), number(m, "bytesRequested", moved), moved,
                number(m, "eofCalls", 0), number(m, "partialCalls", 0), number(m, "failedCalls", 0), jvmCopied,
                number(m, "nativeAllocations", 0), cpuCopied, strings(m.get("threads")),
                new PageFaults(number(m, "pageFaultCalls", 0), number(m, "pageFaultsMinor", 0),
                        number(m, "pageFaultsMajor", 0)),
                new FreshArrays(number(m, "freshArrays", 0), number(m, "freshArrayBytes", 0)));
    }

    /** Record fields that are counts: present, each must be a whole number >= 0. */
    private static final List<String> COUNTS = List.of("calls", "bytesRequested", "bytesMoved", "eofCalls",
            "partialCalls", "failedCalls", "jvmCopiedBytes", "nativeAllocations", "cpuCopiedBytes", "walkedCalls",
            "tlsBytesProduced", "endpointNamesDropped", "pageFaultCalls", "pageFaultsMinor", "pageFaultsMajor", "freshArrays",
            "freshArrayBytes");
    /** Record fields that are names: present, each must be a string. */
    private static final List<String> NAMES = List.of("operation", "form", "path", "reason", "mappedReason",
            "buffer", "mechanism", "pattern");

    /** A count at {@code key}, or {@code fallback} when absent; anything but a whole number >= 0 is refused. */
    private long count(Map<String, Object> m, String key, long fallback, String where) throws BadRecording {
        Object v = m.get(key);
        if (v == null) return fallback;
        if (!(v instanceof Long n) || n < 0) throw corrupt(where, key, v, "a count: a whole number >= 0");
        return n;
    }

    /** A string at {@code key}, or {@code fallback} when absent; anything but a string is refused. */
    private String string(Map<String, Object> m, String key, String fallback, String where) throws BadRecording {
        Object v = m.get(key);
        if (v == null) return fallback;
        if (!(v instanceof String text)) throw corrupt(where, key, v, "a string");
        return text;
    }

    private BadRecording corrupt(String where, String key, Object value, String expected) {
        String shown = value instanceof String t ? "\"" + t + "\"" : value instanceof Map<?, ?> ? "an object"
                : value instanceof List<?> ? "a list" : String.valueOf(value);
        if (shown.length() > 40) shown = shown.substring(0, 40) + "...";
        return new BadRecording(file + ": corrupt recording: " + where + ": \"" + key + "\" is " + shown + ", not "
                + expected);
    }

    private Recording.Totals totals(Map<?, ?> root, List<CopyRecord> records) throws BadRecording {
        Recording.Totals sum = Recording.Totals.of(records);
        if (root.get("totals") instanceof Map<?, ?> t) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) t;
            return new Recording.Totals(count(m, "calls", sum.calls(), "totals"),
                    count(m, "bytesMoved", sum.bytesMoved(), "totals"),
                    count(m, "jvmCopiedBytes", sum.jvmCopiedBytes(), "totals"), sum.cpuCopiedBytes(),
                    count(m, "jdkInternalBytesMoved", sum.jdkInternalBytesMoved(), "totals"));
        }
        return sum;
    }

    private <E> E known(Map<String, Object> m, String key, Map<String, E> byName, int index) {
        Object name = m.get(key);
        E e = byName.get(name);
        if (e == null) warnings.add("record " + index + " skipped: " + key + " '" + name + "' is unknown to this copytrace");
        return e;
    }

    /** Wire name → constant, built once: records are read by the ten thousand. */
    private static <E> Map<String, E> byWireName(E[] values, Function<E, String> wire) {
        Map<String, E> m = new HashMap<>();
        for (E e : values) m.put(wire.apply(e), e);
        return Collections.unmodifiableMap(m); // not Map.copyOf: its get(null) throws, and keys may be absent
    }

    /** A list of strings, empty when absent. */
    private static List<String> strings(Object o) {
        if (!(o instanceof List<?> l) || l.isEmpty()) return List.of();
        List<String> out = new ArrayList<>(l.size());
        for (Object e : l) out.add(String.valueOf(e));
        return List.copyOf(out);
    }

    /**
     * Type and range checks of the sections format 3 added (network facts, the JDK's buffer caches, the
     * profile's samples): a wrong type or an impossible number is refused in one line, like the records'.
     */
    @SuppressWarnings("unchecked")
    private void checkNewerSections(Map<?, ?> root) throws BadRecording {
        if (root.get("network") != null) {
            Map<String, Object> n = section(root, "network");
            if (n.get("egress") != null) {
                if (!(n.get("egress") instanceof Map<?, ?> egress)) throw corrupt("network", "egress", n.get("egress"), "an object");
                for (Object nic : egress.values()) {
                    if (!(nic instanceof String)) throw corrupt("network.egress", "interface", nic, "a string");
                }
            }
            if (n.get("interfaces") != null) {
                for (Map<String, Object> nic : objects(n, "interfaces")) {
                    string(nic, "name", null, "network.interfaces");
                    string(nic, "error", null, "network.interfaces");
                    for (String flag : List.of("scatterGather", "txChecksum")) {
                        Object v = nic.get(flag);
                        if (v != null && !(v instanceof Boolean)) throw corrupt("network.interfaces", flag, v, "true or false");
                    }
                    Object queues = nic.get("queues");
                    if (queues != null
                            && !(queues instanceof List<?> q && q.stream().allMatch(String.class::isInstance))) {
                        throw corrupt("network.interfaces", "queues", queues, "a list of strings");
                    }
                }
            }
            if (n.get("tcp") != null) {
                Map<String, Object> tcp = section(n, "tcp");
                string(tcp, "defaultCongestionControl", null, "network.tcp");
                string(tcp, "error", null, "network.tcp");
                Object routes = tcp.get("routeCongestionControl");
                if (routes != null
                        && !(routes instanceof Map<?, ?> r && r.values().stream().allMatch(String.class::isInstance))) {
                    throw corrupt("network.tcp", "routeCongestionControl", routes, "an object of strings");
                }
            }
        }
        if (root.get("temporaryDirectBuffers") != null) {
            Map<String, Object> t = section(root, "temporaryDirectBuffers");
            for (String key : List.of("threads", "buffers", "bytes", "groupsNotListed")) count(t, key, 0, "temporaryDirectBuffers");
            if (t.get("byGroup") != null) {
                for (Map<String, Object> g : objects(t, "byGroup")) {
                    string(g, "group", null, "temporaryDirectBuffers.byGroup");
                    for (String key : List.of("threads", "buffers", "bytes")) count(g, key, 0, "temporaryDirectBuffers.byGroup");
                }
            }
        }
        if (root.get("profile") instanceof Map<?, ?> p && p.get("stacks") != null) {
            Map<String, Object> profile = (Map<String, Object>) p;
            if (!(profile.get("frames") instanceof List<?> frames)) throw corrupt("profile", "frames", profile.get("frames"), "a list");
            for (Object f : frames) if (!(f instanceof String)) throw corrupt("profile", "frames", f, "frame names as strings");
            if (!(profile.get("stacks") instanceof List<?> stacks)) throw corrupt("profile", "stacks", profile.get("stacks"), "a list");
            for (Object row : stacks) {
                if (!(row instanceof List<?> l) || l.size() < 2) throw corrupt("profile", "stacks", row, "[samples, frame indexes…]");
                for (int j = 0; j < l.size(); j++) {
                    Object i = l.get(j);
                    if (!(i instanceof Long k) || k < 0 || (j > 0 && k >= frames.size())) {
                        throw corrupt("profile", "stacks", i, "a sample count or a frame index below " + frames.size());
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> section(Map<?, ?> root, String key) throws BadRecording {
        if (!(root.get(key) instanceof Map<?, ?> m)) throw new BadRecording(file + ": corrupt recording: \"" + key + "\" is not an object");
        return (Map<String, Object>) m;
    }

    private static Endpoint endpoint(Object o) {
        if (!(o instanceof Map<?, ?> m)) return new Endpoint(EndpointKind.NONE, List.of());
        EndpointKind kind = ENDPOINT_KINDS.getOrDefault(m.get("kind"), EndpointKind.NONE);
        List<String> names = new ArrayList<>();
        if (m.get("names") instanceof List<?> l) for (Object n : l) names.add(String.valueOf(n));
        return new Endpoint(kind, List.copyOf(names));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(Map<?, ?> m, String key) throws BadRecording {
        if (!(m.get(key) instanceof Map<?, ?> o)) {
            throw new BadRecording(file + ": corrupt recording: \"" + key + "\" is missing or not an object");
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> objects(Map<?, ?> m, String key) throws BadRecording {
        if (!(m.get(key) instanceof List<?> l)) {
            throw new BadRecording(file + ": corrupt recording: \"" + key + "\" is missing or not an array");
        }
        for (Object o : l) {
            if (!(o instanceof Map<?, ?>)) throw new BadRecording(file + ": corrupt recording: \"" + key + "\" holds a non-object");
        }
        return (List<Map<String, Object>>) (List<?>) l;
    }

    private static long number(Map<String, Object> m, String key, long fallback) {
        return m.get(key) instanceof Number n ? n.longValue() : fallback;
    }

    private static String text(Map<String, Object> m, String key, String fallback) {
        return m.get(key) == null ? fallback : String.valueOf(m.get(key));
    }
}
