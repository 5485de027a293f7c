// SPDX-License-Identifier: Apache-2.0
package io.copytrace.cli;

import static io.copytrace.cli.CopytraceCliTest.COST;
import static io.copytrace.cli.CopytraceCliTest.DIR;
import static io.copytrace.cli.CopytraceCliTest.run;
import static io.copytrace.cli.CopytraceCliTest.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.json.JsonReader;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Fleet;
import io.copytrace.recording.Flow;
import io.copytrace.recording.Recording;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code copytrace merge}: exact sums, per-JVM shares, refusals, and the merged recording through every command. */
class MergeCommandTest {
    static final List<String> INPUTS = List.of("heap-jdk17.json", "mixed-kernel-jdk17.json", "netty-chunkedfile-jdk17.json");

    @TempDir
    Path tmp;

    private Path merge(String name, String... inputs) {
        Path out = tmp.resolve(name);
        String[] args = new String[inputs.length + 2];
        args[0] = "merge";
        args[1] = out.toString();
        for (int i = 0; i < inputs.length; i++) args[i + 2] = inputs[i].contains("/") ? inputs[i] : DIR + inputs[i];
        CopytraceCliTest.Run r = run(args);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("merged " + inputs.length + " recordings"), r.err());
        return out;
    }

    /** A record's key as the merge joins records: site frame, operation, form, path, reasons, buffer, ends, nested. */
    private static String key(CopyRecord r) {
        return String.join("|", r.site().kind(), r.site().frame(), r.operation().wireName(), r.form().wireName(),
                r.path().wireName(), r.reason().wireName(), String.valueOf(r.mappedReason()), r.buffer().wireName(),
                r.source().kind().wireName(), r.target().kind().wireName(), String.valueOf(r.nested()));
    }

    private static Map<String, long[]> byKey(List<Recording> recordings) {
        Map<String, long[]> sums = new HashMap<>();
        for (Recording rec : recordings) {
            for (CopyRecord r : rec.records()) {
                long[] s = sums.computeIfAbsent(key(r), k -> new long[7]);
                long[] v = {r.calls(), r.bytesRequested(), r.bytesMoved(), r.jvmCopiedBytes(), r.cpuCopiedBytes(),
                        r.partialCalls(), r.nativeAllocations()};
                for (int i = 0; i < v.length; i++) s[i] += v[i];
            }
        }
        return sums;
    }

    @Test
    void sumsEveryRecordExactlyAndKeepsEachJvmsShare() throws Exception {
        Recording merged = Recording.read(merge("fleet.json", INPUTS.toArray(String[]::new)));
        List<Recording> inputs = new java.util.ArrayList<>();
        for (String in : INPUTS) inputs.add(Recording.read(Path.of(DIR + in)));

        Map<String, long[]> expected = byKey(inputs);
        Map<String, long[]> actual = byKey(List.of(merged));
        assertEquals(expected.size(), merged.records().size(), "one merged record per key");
        expected.forEach((k, v) -> assertEquals(java.util.Arrays.toString(v), java.util.Arrays.toString(actual.get(k)), k));

        Recording.Totals t = merged.totals();
        assertEquals(inputs.stream().mapToLong(r -> r.totals().calls()).sum(), t.calls());
        assertEquals(inputs.stream().mapToLong(r -> r.totals().bytesMoved()).sum(), t.bytesMoved());
        assertEquals(inputs.stream().mapToLong(r -> r.totals().jvmCopiedBytes()).sum(), t.jvmCopiedBytes());
        assertEquals(inputs.stream().mapToLong(r -> r.totals().cpuCopiedBytes()).sum(), t.cpuCopiedBytes());
        assertEquals(inputs.stream().mapToLong(r -> r.flows().stream().mapToLong(Flow::bytes).sum()).sum(),
                merged.flows().stream().mapToLong(Flow::bytes).sum());

        Fleet fleet = merged.fleet().orElseThrow();
        assertEquals(3, fleet.members().size());
        for (int i = 0; i < inputs.size(); i++) {
            Fleet.Member m = fleet.members().get(i);
            Recording.Totals own = inputs.get(i).totals();
            assertEquals(INPUTS.get(i), m.file());
            assertEquals(inputs.get(i).jvm().pid(), m.pid());
            assertEquals(List.of(own.calls(), own.bytesMoved(), own.jvmCopiedBytes(), own.cpuCopiedBytes()),
                    List.of(m.calls(), m.bytesMoved(), m.jvmCopiedBytes(), m.cpuCopiedBytes()), m.label());
        }
        for (CopyRecord r : merged.records()) {
            List<Fleet.Share> shares = fleet.of(r);
            assertEquals(r.calls(), shares.stream().mapToLong(Fleet.Share::calls).sum(), key(r));
            assertEquals(r.bytesMoved(), shares.stream().mapToLong(Fleet.Share::bytesMoved).sum(), key(r));
            assertEquals(r.cpuCopiedBytes(), shares.stream().mapToLong(Fleet.Share::cpuCopiedBytes).sum(), key(r));
        }
        assertEquals("pid 9614 (mixed-kernel-jdk17.json)", fleet.ranked().get(0).label());
    }

    @Test
    void aMergedRecordingMergesAgainAsIfAllAtOnce() throws Exception {
        Path all = merge("all.json", INPUTS.toArray(String[]::new));
        Path two = merge("two.json", INPUTS.get(0), INPUTS.get(1));
        Path again = merge("again.json", two.toString(), INPUTS.get(2));
        Map<?, ?> a = (Map<?, ?>) JsonReader.parse(Files.readString(all));
        Map<?, ?> b = (Map<?, ?>) JsonReader.parse(Files.readString(again));
        for (String section : List.of("jvm", "totals", "sites", "records", "flows", "provenance")) {
            assertEquals(a.get(section), b.get(section), section);
        }
        assertEquals(((Map<?, ?>) a.get("fleet")).get("members"), ((Map<?, ?>) b.get("fleet")).get("members"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJvmsTemporaryBufferCachesAreSummedWithTheirGroupsMergedByName() throws Exception {
        // given: one JVM's recording, and a second JVM's (another pid) whose caches hold more, in two groups
        String one = Files.readString(Path.of(DIR + "coldsend-jdk17.json"));
        Map<String, Object> other = (Map<String, Object>) JsonReader.parse(one);
        ((Map<String, Object>) other.get("jvm")).put("pid", 4242L);
        Map<String, Object> caches = (Map<String, Object>) other.get("temporaryDirectBuffers");
        caches.put("threads", 3L);
        caches.put("buffers", 5L);
        caches.put("bytes", 5L * 65536);
        caches.put("byGroup", List.of(
                Map.of("group", "copytrace-shutdown", "threads", 1L, "buffers", 1L, "bytes", 65536L),
                Map.of("group", "worker-#", "threads", 2L, "buffers", 4L, "bytes", 4L * 65536)));
        Path second = tmp.resolve("second.json");
        Files.writeString(second, io.copytrace.json.JsonWriter.write(other));

        // when
        Recording merged = Recording.read(merge("caches.json", "coldsend-jdk17.json", second.toString()));

        // then: each JVM's own native memory, summed; a group both have, summed once under its name
        var t = merged.temporaryBuffers().orElseThrow();
        assertEquals(List.of(4L, 6L, 8192L + 5 * 65536), List.of(t.threads(), t.buffers(), t.bytes()));
        assertEquals(List.of(4L * 65536, 8192L + 65536), List.of(t.group("worker-#").bytes(),
                t.group("copytrace-shutdown").bytes()));
        assertEquals(2L, t.group("copytrace-shutdown").threads());
        assertEquals("worker-#", t.byGroup().get(0).group(), "largest first");
    }

    @Test
    void refusesDifferentJdkFeaturesAndOneWindowTwice() {
        CopytraceCliTest.Run features = run("merge", tmp.resolve("x.json").toString(), DIR + "heap-jdk17.json",
                DIR + "heap-jdk25.json");
        assertEquals(CopytraceCli.EXIT_BAD_INPUT, features.status());
        assertEquals("copytrace: cannot merge recordings of different JDK feature versions (JDK 17: heap-jdk17.json;"
                + " JDK 25: heap-jdk25.json): what a path costs depends on it; merge each version on its own and compare"
                + " them with diff\n", features.err());
        CopytraceCliTest.Run twice = run("merge", tmp.resolve("y.json").toString(), DIR + "heap-jdk17.json",
                DIR + "heap-jdk17.json");
        assertEquals(CopytraceCli.EXIT_BAD_INPUT, twice.status());
        assertTrue(twice.err().startsWith("copytrace: cannot merge heap-jdk17.json and heap-jdk17.json: both are the"
                + " same JVM window (pid 8810"), twice.err());
        assertTrue(Files.notExists(tmp.resolve("x.json")) && Files.notExists(tmp.resolve("y.json")));
    }

    @Test
    void reportDiffAndCheckReadAMergedRecording() throws Exception {
        Path fleet = merge("fleet.json", INPUTS.toArray(String[]::new));
        CopytraceCliTest.Run text = run(with(new String[] {"report", fleet.toString()}, COST));
        assertEquals(0, text.status(), text.err());
        String words = text.out().replaceAll("\\s+", " "); // as read, not as wrapped
        assertTrue(words.contains("A fleet of 3 JVMs: "), text.out());
        assertTrue(words.contains("Fleet: 3 JVMs merged; most CPU-copied bytes from pid 9614"
                + " (mixed-kernel-jdk17.json): 53.6% of the fleet's"), text.out());
        assertTrue(words.contains("JVMs: pid 23117 (netty-chunkedfile-jdk17.json) 32.0 MiB CPU-copied of 16.0 MiB"
                + " moved (100.0%)"), text.out());
        for (String format : List.of("md", "html")) {
            CopytraceCliTest.Run r = run(with(new String[] {"report", fleet.toString(), "--format", format}, COST));
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("pid 8810 (heap-jdk17.json)"), format);
        }
        CopytraceCliTest.Run json = run(with(new String[] {"report", fleet.toString(), "--format", "json"}, COST));
        Map<?, ?> report = (Map<?, ?>) JsonReader.parse(json.out());
        Map<?, ?> jvms = (Map<?, ?>) report.get("fleet");
        assertEquals(3L, jvms.get("jvms"));
        Map<?, ?> top = (Map<?, ?>) ((List<?>) jvms.get("members")).get(0);
        assertEquals(List.of("mixed-kernel-jdk17.json", 15410L, 97201567L, 37830358L),
                List.of(top.get("file"), top.get("calls"), top.get("bytesMoved"), top.get("jvmCopiedBytes")));

        CopytraceCliTest.Run diff = run(with(new String[] {"diff", DIR + "heap-jdk17.json", fleet.toString()}, COST));
        assertEquals(0, diff.status(), diff.err());
        assertTrue(diff.out().matches("(?s).*\\ncalls +672 +23,546 +\\+22,874\\n.*"), diff.out());
        assertTrue(diff.out().matches("(?s).*\\nJVMs +1 +3 +\\+2\\n.*"), diff.out());
        CopytraceCliTest.Run check = run("check", fleet.toString(), "--max-jvm-copied-bytes", "1");
        assertEquals(CopytraceCli.EXIT_OVER_BUDGET, check.status(), check.out());
        assertTrue(check.err().contains("is over budget"), check.err());
    }
}
