// SPDX-License-Identifier: Apache-2.0
package io.copytrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user and a CI job see it: output, files, exit codes, one-line errors. */
class CopytraceCliTest {
    static final String DIR = "src/test/resources/recordings/";
    static final String[] COST = {"--memcpy-gbps", "10", "--syscall-ns", "250"};

    @TempDir
    Path tmp;

    record Run(int status, String out, String err) {}

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = CopytraceCli.run(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static String[] with(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void summaryStillWorks() {
        Run r = run("summary", DIR + "heap-jdk17.json");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("copytrace recording of Prog heap (Java 17.0.21.1)"), r.out());
        assertTrue(r.out().contains("Prog.heapLoop(Prog.java:60)"));
    }

    @Test
    void reportToStandardOutputAndToAFile() throws IOException {
        Run text = run(with(new String[] {"report", DIR + "heap-jdk17.json"}, COST));
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().contains("#1 [opportunity"), text.out());
        Path html = tmp.resolve("r.html");
        Run file = run(with(new String[] {"report", DIR + "heap-jdk17.json", "--format", "html", "--out", html.toString()}, COST));
        assertEquals(0, file.status(), file.err());
        assertTrue(Files.readString(html).startsWith("<!DOCTYPE html>"));
        Run json = run(with(new String[] {"report", DIR + "heap-jdk17.json", "--format", "json"}, COST));
        assertTrue(json.out().contains("\"format\": \"copytrace-report\""));
    }

    @Test
    void everyHostCostCanBeGivenAndTheReportStatesIt() {
        // when: all seven figures given; then only the two old ones (the others at their typical figures)
        String[] seven = {"--memcpy-gbps", "10", "--syscall-ns", "250", "--socket-send-ns", "1500",
            "--minor-fault-ns", "2000", "--file-copy-overhead-ns", "30", "--context-switch-ns", "2500",
            "--cross-core-ns-per-kib", "120"};
        Run all = run(with(new String[] {"report", DIR + "tiny-jdk17.json"}, seven));
        Run json = run(with(new String[] {"report", DIR + "tiny-jdk17.json", "--format", "json"}, seven));
        Run two = run(with(new String[] {"report", DIR + "tiny-jdk17.json"}, COST));

        // then: no calibration, each figure in the report's one cost line, and the small sends priced with it
        assertEquals(0, all.status(), all.err());
        String line = all.out().replaceAll("\\s+", " ");
        assertTrue(line.contains("memcpy 10.0 GB/s, 250 ns per syscall, 1,500 ns per small TCP send, 2,000 ns per minor"
                + " page fault, 30 ns per KiB of a kernel file copy beyond its page copy, 2,500 ns per thread hand-off,"
                + " 120 ns per KiB handed to another core, as given"), all.out());
        assertTrue(json.out().contains("\"contextSwitchNanoseconds\": 2500.0"), json.out());
        assertTrue(json.out().contains("\"crossCoreNanosecondsPerKib\": 120.0"), json.out());
        assertTrue(line.contains("9,997 syscalls (19,994 mode switches), ~15.0 ms CPU (estimate)"), all.out());
        assertTrue(two.out().replaceAll("\\s+", " ").contains("450 ns per small TCP send, 4,000 ns per minor page fault,"
                + " 15 ns per KiB of a kernel file copy beyond its page copy, 3,500 ns per thread hand-off, 80 ns per KiB"
                + " handed to another core, as given"), two.out());
    }

    @Test
    void aGivenShortDistanceCopyIsKeptAndSaidAsGiven() {
        // the demo's reports are made with the JSON report's measured figures given: the receive-buffer advice too
        String[] given = {"--short-distance-copy-ns-per-kib", "340,55"};
        Run md = run(with(with(new String[] {"report", DIR + "broker-jdk17.json", "--format", "md"}, COST), given));
        Run json = run(with(with(new String[] {"report", DIR + "broker-jdk17.json", "--format", "json"}, COST), given));
        Run bad = run(with(with(new String[] {"report", DIR + "broker-jdk17.json"}, COST),
                new String[] {"--short-distance-copy-ns-per-kib", "340"}));

        assertEquals(0, md.status(), md.err());
        assertTrue(md.out().replaceAll("\\s+", " ").contains("ran at 340 ns per KiB against 55 (as given;"), md.out());
        assertTrue(json.out().replaceAll("\\s+", "").contains("\"shortDistanceCopy\":{\"aheadNanosecondsPerKib\":340.0,"
                + "\"apartNanosecondsPerKib\":55.0}"), json.out());
        assertEquals(CopytraceCli.EXIT_BAD_INPUT, bad.status());
        assertTrue(bad.err().contains("expected AHEAD,APART"), bad.err());
    }

    @Test
    void aSocketSendPeerThatIsNoHostAndPortIsOneLine() {
        Run r = run(with(new String[] {"report", DIR + "tiny-jdk17.json", "--socket-send-peer", "nowhere"}, COST));
        assertEquals(CopytraceCli.EXIT_BAD_INPUT, r.status());
        assertTrue(r.err().contains("expected HOST:PORT, got 'nowhere'"), r.err());
    }

    @Test
    void unknownFormatIsOneLine() {
        Run r = run("report", DIR + "heap-jdk17.json", "--format", "pdf");
        assertEquals(CopytraceCli.EXIT_BAD_INPUT, r.status());
        assertEquals("copytrace: unknown report format 'pdf' (use text, md, html or json)", r.err().strip());
    }

    @Test
    void badRecordingsGiveOneClearLineAndNoStackTrace() throws IOException {
        Path truncated = Files.writeString(tmp.resolve("recording-1.json"), "{\"format\": \"copytrace-recording\", \"vers");
        Path newer = Files.writeString(tmp.resolve("recording-2.json"),
                "{\"format\": \"copytrace-recording\", \"version\": 7, \"jvm\": {}, \"sites\": [], \"records\": []}");
        for (String[] args : new String[][] {
                {"report", tmp.resolve("missing.json").toString()},
                {"report", truncated.toString()},
                {"summary", truncated.toString()},
                {"check", newer.toString(), "--max-cpu-copies-per-byte", "1"},
                {"diff", DIR + "heap-jdk17.json", truncated.toString()}}) {
            Run r = run(args);
            assertEquals(CopytraceCli.EXIT_BAD_INPUT, r.status(), String.join(" ", args));
            String err = r.err().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("copytrace: " + tmp), err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), err);
        }
    }

    @Test
    void checkPassesWithinBudgetAndFailsOverIt() {
        Run ok = run("check", DIR + "transferTo-jdk17.json", "--max-cpu-copies-per-byte", "2", "--max-fallbacks", "0");
        assertEquals(0, ok.status(), ok.out() + ok.err());
        assertTrue(ok.out().contains("ok   CPU copies per byte"));
        Run over = run("check", DIR + "heap-jdk17.json", "--max-cpu-copies-per-byte", "1.5", "--max-jvm-copied-bytes", "1000000");
        assertEquals(CopytraceCli.EXIT_OVER_BUDGET, over.status());
        assertTrue(over.out().contains("OVER CPU copies per byte: 1.75 > 1.50"), over.out());
        assertTrue(over.err().contains("over budget"), over.err());
        Run fallback = run("check", DIR + "wrapper-jdk17.json", "--max-fallbacks", "0");
        assertEquals(CopytraceCli.EXIT_OVER_BUDGET, fallback.status());
        Run none = run("check", DIR + "heap-jdk17.json");
        assertEquals(CopytraceCli.EXIT_BAD_INPUT, none.status());
    }

    @Test
    void diffShowsTheLoopReplacedByTransferTo() {
        Run r = run(with(new String[] {"diff", DIR + "heap-jdk17.json", DIR + "transferTo-jdk17.json"}, COST));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("read-write-loop at Prog.heapLoop(Prog.java:60)"), r.out());
        assertTrue(r.out().contains("gone"), r.out());
        assertTrue(r.out().contains("new"), r.out());
        assertTrue(r.out().contains("CPU-copied"), r.out());
    }
}
