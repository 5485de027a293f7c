// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.json.JsonReader;
import io.copytrace.json.JsonWriter;
import io.copytrace.recording.BadRecording;
import io.copytrace.recording.Recording;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test recordings: the real ones in src/test/resources/recordings, and hand-built ones for rule edges. */
public final class Fixtures {
    /** Fixed host costs so that goldens and rankings do not depend on the test machine. */
    public static final HostCost COST = HostCost.fixed(10, 250);
    public static final Path DIR = Path.of("src/test/resources/recordings");

    private Fixtures() {}

    public static Path path(String name) {
        return DIR.resolve(name + ".json");
    }

    public static Recording load(String name) {
        try {
            return Recording.read(path(name));
        } catch (BadRecording x) {
            throw new AssertionError(x.getMessage(), x);
        }
    }

    public static Report analyze(String name) {
        return Analysis.analyze(load(name), COST);
    }

    /** A real recording with its kernel section replaced (or removed with null). */
    @SuppressWarnings("unchecked")
    public static Recording withKernel(String name, Map<String, Object> kernel) {
        try {
            Map<String, Object> tree = (Map<String, Object>) JsonReader.parse(Files.readString(path(name)));
            tree.remove("kernel");
            if (kernel != null) tree.put("kernel", kernel);
            return Recording.parse(JsonWriter.write(tree), name + "+kernel.json");
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        } catch (BadRecording x) {
            throw new AssertionError(x.getMessage(), x);
        }
    }

    /** A record's {@code source} or {@code target}: an endpoint kind and its names (file paths, socket peers). */
    public static Map<String, Object> endpoint(String kind, String... names) {
        return Map.of("kind", kind, "names", List.of(names));
    }

    /** A perf kernel section with the given syscall counts. */
    public static Map<String, Object> perfKernel(Map<String, Long> syscalls) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("source", "perf");
        k.put("fallbackReason", null);
        k.put("syscalls", new LinkedHashMap<String, Object>(syscalls));
        k.put("counters", Map.of("contextSwitches", 10L, "pageFaultsMinor", 100L, "pageFaultsMajor", 0L));
        k.put("proc", Map.of());
        return k;
    }

    /**
     * A recording's network section in which every socket peer {@code records} wrote to leaves by {@code lo}, with
     * scatter-gather on or off (TX checksumming on).
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> loopbackNetwork(List<Object> records, boolean scatterGather) {
        Map<String, Object> egress = new LinkedHashMap<>();
        for (Object r : records) {
            Map<String, Object> target = (Map<String, Object>) ((Map<String, Object>) r).get("target");
            if ("socket".equals(target.get("kind"))) ((List<Object>) target.get("names")).forEach(n -> egress.put((String) n, "lo"));
        }
        Map<String, Object> lo = new LinkedHashMap<>();
        lo.put("name", "lo");
        lo.put("scatterGather", scatterGather);
        lo.put("txChecksum", true);
        return Map.of("egress", egress, "interfaces", List.of(lo));
    }

    /** Builds a small recording by hand: sites and records with the recording format's keys. */
    public static final class Builder {
        private final int feature;
        private final List<Object> sites = new ArrayList<>();
        private final List<Object> records = new ArrayList<>();
        private final List<Object> flows = new ArrayList<>();
        private Map<String, Object> last;
        private Map<String, Object> kernel;
        private Boolean scatterGather;

        public Builder(int feature) {
            this.feature = feature;
        }

        public Builder site(long id, String frame) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", id);
            s.put("kind", id > 0 ? "app" : "jdk-internal");
            s.put("frame", frame);
            s.put("stack", List.of(frame, "com.acme.Main.main(Main.java:1)"));
            sites.add(s);
            return this;
        }

        /** A site whose stack goes from {@code frame} out through {@code callers}. */
        @SuppressWarnings("unchecked")
        public Builder siteCalledFrom(long id, String frame, String... callers) {
            site(id, frame);
            List<String> stack = new ArrayList<>(List.of(frame));
            stack.addAll(List.of(callers));
            ((Map<String, Object>) sites.get(sites.size() - 1)).put("stack", stack);
            return this;
        }

        /** A record; {@code with} adds or overrides keys on it. */
        public Builder record(long site, String operation, String path, String buffer, String source, String target,
                              long calls, long bytesMoved, long jvmCopiedBytes) {
            last = new LinkedHashMap<>();
            last.put("site", site);
            last.put("operation", operation);
            last.put("form", "single");
            last.put("path", path);
            last.put("reason", "none");
            last.put("buffer", buffer);
            last.put("source", Map.of("kind", source, "names", source.equals("file") ? List.of("/data/in.bin") : List.of()));
            last.put("target", Map.of("kind", target, "names", target.equals("socket") ? List.of("/10.0.0.2:9092") : List.of()));
            last.put("nested", false);
            last.put("calls", calls);
            last.put("bytesRequested", bytesMoved);
            last.put("bytesMoved", bytesMoved);
            last.put("jvmCopiedBytes", jvmCopiedBytes);
            last.put("nativeAllocations", 0L);
            records.add(last);
            return this;
        }

        public Builder with(String key, Object value) {
            last.put(key, value);
            return this;
        }

        /**
         * A flow: {@code bytes} that the write record {@code to} took from memory the read record {@code from} had
         * filled ({@code null}: not from a recorded read). Records are numbered from 0 in the order they were added.
         */
        public Builder flow(Integer from, int to, long bytes, long writeCalls, boolean handedOff, boolean viaFrameworkCopy) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("from", from == null ? null : (long) from);
            f.put("to", (long) to);
            f.put("bytes", bytes);
            f.put("writeCalls", writeCalls);
            f.put("handedOff", handedOff);
            f.put("viaFrameworkCopy", viaFrameworkCopy);
            f.put("viaTls", false);
            flows.add(f);
            return this;
        }

        public Builder kernel(Map<String, Object> kernel) {
            this.kernel = kernel;
            return this;
        }

        /** Every socket peer written to leaves by {@code lo}, with scatter-gather on or off (TX checksumming on). */
        public Builder loopbackOffload(boolean scatterGather) {
            this.scatterGather = scatterGather;
            return this;
        }

        public String json() {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("format", "copytrace-recording");
            root.put("version", flows.isEmpty() ? 1L : 2L);
            root.put("jvm", Map.of("pid", 42L, "javaVersion", feature + ".0.1", "feature", (long) feature,
                    "mainCommand", "com.acme.Main"));
            root.put("window", Map.of("durationNanos", 1_000_000_000L, "endedBy", "exit"));
            root.put("attribution", Map.of("mode", "exact"));
            root.put("sites", sites);
            root.put("records", records);
            if (kernel != null) root.put("kernel", kernel);
            if (scatterGather != null) root.put("network", loopbackNetwork(records, scatterGather));
            if (!flows.isEmpty()) root.put("flows", flows);
            return JsonWriter.write(root);
        }

        public Recording build() {
            try {
                return Recording.parse(json(), "built.json");
            } catch (BadRecording x) {
                throw new AssertionError(x.getMessage(), x);
            }
        }

        public Report analyze() {
            return analyze(COST);
        }

        /** The recording analyzed with the given host costs. */
        public Report analyze(HostCost cost) {
            return Analysis.analyze(build(), cost);
        }
    }
}
