// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.Finding;
import io.copytrace.testing.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * mmap's real price: the page faults a site's own mapped-buffer writes take, against the kernel's count for the
 * writing thread around the same calls ({@code /proc/thread-self/stat}, printed by the workload as TRUTH): a
 * fresh 32 MiB mapping written to a loopback socket faults its pages in inside the writes; after
 * {@code MappedByteBuffer.load} they fault in inside load, and the writes take none; read from storage (the
 * page cache dropped, as root), the writes take major faults.
 */
class MappedFaultsIT {
    private static final long FILE_BYTES = 32 << 20;
    /** A metaspace commit as {@code -Xlog:metaspace=debug:...:tid,tn} writes it (JDK 17, 25): time, thread, words. */
    private static final Pattern COMMIT =
            Pattern.compile("^\\[(\\d+)ns\\]\\[(\\d+)\\].* committed (\\d+) additional words");

    private Path metaspaceLog;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void theWritesOwnPageFaultsAreTheKernelsCount(Jdk jdk) throws Exception {
        AgentRun.Result run = pretouched(AgentRun.on(jdk).agent("")).run("mapped-faults");

        assertEquals(0, run.exit(), run.stderr());
        assertEquals(4096 + 2 * FILE_BYTES, run.truth().get("received"));
        RecordingView rec = run.recording();
        Map<String, Object> cold = rec.one("socket.write", "coldWrite");
        assertEquals(FILE_BYTES, num(cold, "bytesMoved"));
        long coldTruth = truth(run, "cold");
        // a fault maps a whole folio of the page cache, not a 4 KiB page: ~50 for 32 MiB on ext4 with large
        // folios (Linux 6.16+), up to 8192 / 16 with 4 KiB pages and the kernel's 64 KiB fault-around
        assertTrue(coldTruth >= 16, "the kernel saw the mapping fault in: " + coldTruth);
        assertMeasured(cold, run, "cold");

        Map<String, Object> load = rec.one("mapped.load", "load");
        long loadTruth = truth(run, "load");
        assertTrue(loadTruth >= 16, "the kernel saw load fault the mapping in: " + loadTruth);
        assertMeasured(load, run, "load");

        Map<String, Object> loaded = rec.one("socket.write", "loadedWrite");
        assertEquals(FILE_BYTES, num(loaded, "bytesMoved"));
        assertMeasured(loaded, run, "loaded");
        assertTrue(faults(loaded) <= 16 + jvmPages(run, "loaded"),
                "after load the writes fault next to nothing: " + loaded);

        // the mapped-send findings (one per map call) carry the writes' own faults, and the load at the method
        // and their savings price those minor faults: exactly the measured ones
        List<String> lines = new ArrayList<>();
        List<Long> priced = new ArrayList<>();
        for (Finding f : rec.findings("mapped-send")) {
            lines.add(f.evidence().get("page faults in these writes"));
            priced.add(f.saving().pageFaults());
        }
        String priceNote = "; sendfile takes none: the minor ones are in the saving (the major ones read storage either way)";
        assertTrue(lines.contains(num(cold, "pageFaultsMinor") + " minor, 0 major (read from storage), taken inside 1 of"
                + " the 1 write calls by the writing threads" + priceNote), lines.toString());
        assertTrue(lines.contains(num(loaded, "pageFaultsMinor") + " minor, 0 major (read from storage), taken inside 1"
                + " of the 1 write calls by the writing threads" + priceNote), lines.toString());
        assertTrue(priced.contains(num(cold, "pageFaultsMinor")), priced.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void aMappingReadFromStorageTakesMajorFaultsInTheWrites(Jdk jdk) throws Exception {
        AgentRun.Result run = pretouched(AgentRun.on(jdk).agent("")).droppingPageCache().run("mapped-faults");

        assertEquals(0, run.exit(), run.stderr());
        Map<String, Object> cold = run.recording().one("socket.write", "coldWrite");
        long major = run.truth().get("cold.major");
        assertTrue(major > 0, "the kernel saw the writes read the mapping from storage: " + major);
        assertEquals(major, num(cold, "pageFaultsMajor"), cold.toString());
        assertMeasured(cold, run, "cold");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void withKernelOffNothingIsMeasured(Jdk jdk) throws Exception {
        RecordingView rec = AgentRun.on(jdk).agent("kernel=off").run("mapped-faults").recording();

        assertEquals(1, num(rec.one("socket.write", "coldWrite"), "calls"));
        for (Map<String, Object> r : rec.records()) {
            assertFalse(r.containsKey("pageFaultsMinor") || r.containsKey("pageFaultCalls"), r.toString());
        }
    }

    /**
     * The kernel's count around a call also takes the thread's first touches of heap pages (a fresh TLAB where the
     * agent's or the workload's allocations land), which depend on what other threads allocated before: 9 such
     * faults around the loaded writes in 2 of 6 runs. A heap of fixed size, touched at start, leaves the count to
     * the mapping's own faults, and to the JVM's: with {@code AlwaysPreTouch} a thread that commits metaspace
     * touches the 64 KiB granule at once, 16 faults in its count (in ~1 of 10 windows here, inside the calls or
     * outside them). The JVM logs each commit with the thread and the time: {@link #jvmPages} reads them back.
     */
    private AgentRun pretouched(AgentRun run) {
        metaspaceLog = run.work().resolve("metaspace.log");
        return run.jvm("-XX:+AlwaysPreTouch").jvm("-Xms96m").jvm("-Xmx96m")
                .jvm("-Xlog:metaspace=debug:file=" + metaspaceLog + ":tid,tn");
    }

    /**
     * Every call measured, and the faults within what the kernel counted around the calls (the same or a few less):
     * the kernel's count spans the workload's own loop and /proc read too, and the pages of metaspace the JVM
     * committed on the thread inside the window, which may or may not fall inside the call.
     */
    private void assertMeasured(Map<String, Object> record, AgentRun.Result run, String step) throws Exception {
        assertEquals(num(record, "calls"), num(record, "pageFaultCalls"), record.toString());
        long measured = faults(record);
        long truth = truth(run, step);
        long jvm = jvmPages(run, step);
        assertTrue(measured <= truth && measured >= truth - jvm - Math.max(8, truth / 20),
                "recorded " + measured + " page faults, the kernel counted " + truth + " (" + jvm
                        + " may be metaspace pretouched): " + record);
    }

    /** Pages of metaspace the JVM committed (and pretouched) on the workload's thread inside a step's window. */
    private long jvmPages(AgentRun.Result run, String step) throws Exception {
        Map<String, Long> t = run.truth();
        long pages = 0;
        for (String line : Files.readAllLines(metaspaceLog)) {
            Matcher m = COMMIT.matcher(line);
            if (!m.find() || Long.parseLong(m.group(2)) != t.get("tid")) continue;
            long at = Long.parseLong(m.group(1));
            if (at >= t.get(step + ".from") && at <= t.get(step + ".to")) {
                pages += Long.parseLong(m.group(3)) * Long.BYTES / 4096;
            }
        }
        return pages;
    }

    private static long faults(Map<String, Object> record) {
        return num(record, "pageFaultsMinor") + num(record, "pageFaultsMajor");
    }

    private static long truth(AgentRun.Result run, String step) {
        return run.truth().get(step + ".minor") + run.truth().get(step + ".major");
    }
}
