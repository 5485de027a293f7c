// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.Analysis;
import io.copytrace.analysis.Evidence;
import io.copytrace.analysis.Figure;
import io.copytrace.analysis.Finding;
import io.copytrace.analysis.Fixtures;
import io.copytrace.json.JsonReader;
import io.copytrace.model.Operation;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The JSON report's evidence is data for tools: every figure of a numeric unit is a JSON number, every key a
 * documented figure, and the numbers are the recording's own (records, kernel counts, TLS bytes).
 */
class JsonEvidenceTest {
    /** Real recordings (the kernel section of mixed-kernel hand-added): every finding kind the goldens cover. */
    static final List<String> RECORDINGS = List.of("mixed-kernel-jdk17", "tls-jdk25", "transferTo-jdk25",
            "netty-chunkedfile-jdk17");
    static final Path DOC = Path.of("../docs/report-format.md");

    @Test
    void everyFigureHasItsUnitsJsonType() {
        Set<Figure.Unit> seen = EnumSet.noneOf(Figure.Unit.class);
        for (String name : RECORDINGS) {
            for (Map<String, Object> f : findings(json(name))) {
                for (Map<String, Object> line : evidence(f)) {
                    assertInstanceOf(String.class, line.get("name"), name + ": " + line);
                    checkFigures(name, line, seen);
                }
            }
        }
        // not vacuous: the fixtures have figures of every unit but the profile's share and bool (ns: a file copy's cost)
        assertEquals(EnumSet.complementOf(EnumSet.of(Figure.Unit.SHARE, Figure.Unit.BOOLEAN)), seen);
    }

    private static void checkFigures(String recording, Map<?, ?> figures, Set<Figure.Unit> seen) {
        figures.forEach((key, value) -> {
            if (key.equals("name")) return;
            Figure f = Stream.of(Figure.values()).filter(x -> x.key().equals(key)).findFirst()
                    .orElseThrow(() -> new AssertionError(recording + ": " + key + " is no figure: " + figures));
            String where = recording + ": " + key + " in " + figures;
            seen.add(f.unit());
            switch (f.unit()) {
                case COUNT, BYTES, NANOS, NUMBER -> assertInstanceOf(Long.class, value, where);
                case COPIES_PER_BYTE, SHARE -> assertInstanceOf(Number.class, value, where);
                case TEXT -> assertTrue(value == null || value instanceof String, where);
                case TEXTS -> ((List<?>) value).forEach(v -> assertInstanceOf(String.class, v, where));
                case BOOLEAN -> assertInstanceOf(Boolean.class, value, where);
                case ITEMS -> ((List<?>) value).forEach(item -> checkFigures(recording, (Map<?, ?>) item, seen));
            }
        });
    }

    @Test
    void recordLinesAreTheRecordingsRecords() {
        Recording rec = Fixtures.load("mixed-kernel-jdk17");
        Set<String> kinds = new TreeSet<>();
        int lines = 0;
        for (Map<String, Object> f : findings(json("mixed-kernel-jdk17"))) {
            for (Map<String, Object> line : evidence(f)) {
                if (!line.containsKey("operation") || !line.containsKey("bytesMoved")) continue;
                // the record at the line's site (a loop's read and write), else at the finding's
                String site = (String) (line.containsKey("site") ? line.get("site") : f.get("site"));
                List<CopyRecord> records = rec.records().stream().filter(r -> r.site().frame().equals(site)
                        && r.operation().wireName().equals(line.get("operation"))
                        && r.path().wireName().equals(line.get("path")) && r.buffer().wireName().equals(line.get("buffer")))
                        .toList();
                assertEquals(1, records.size(), "one record per line: " + line);
                CopyRecord r = records.get(0);
                assertEquals(r.calls(), line.get("calls"), line.toString());
                assertEquals(r.bytesMoved(), line.get("bytesMoved"), line.toString());
                assertEquals(r.cpuCopiesPerByte(), ((Number) line.get("cpuCopiesPerByte")).doubleValue(), line.toString());
                kinds.add((String) f.get("kind"));
                lines++;
            }
        }
        assertEquals(Set.of("good", "limitation", "opportunity"), kinds);
        assertTrue(lines >= 15, lines + " record lines");
    }

    @Test
    void figuresOfEachFindingKindAreTheRecordingsTotals() {
        Recording rec = Fixtures.load("mixed-kernel-jdk17");
        Map<String, Object> report = json("mixed-kernel-jdk17");
        // opportunity: the heap buffer's JVM copies are the record's, and what the fix saves
        Map<String, Object> heap = finding(report, "heap-buffer", "Prog.main(Prog.java:17)");
        CopyRecord write = only(rec, "Prog.main(Prog.java:17)", Operation.FILE_WRITE);
        assertEquals(write.jvmCopiedBytes(), line(heap, "jvmCopied").get("jvmCopiedBytes"));
        assertEquals(write.jvmCopiedBytes(), ((Map<?, ?>) heap.get("saving")).get("cpuCopiedBytes"));
        // opportunity: small writes, the syscalls now are the record's calls and what goes is the saving
        Map<String, Object> tiny = finding(report, "small-io", "Prog.tinyWrites(Prog.java:115)");
        Map<String, Object> syscalls = line(tiny, "syscallsNowNeeded");
        Map<?, ?> saving = (Map<?, ?>) tiny.get("saving");
        assertEquals(only(rec, "Prog.tinyWrites(Prog.java:115)", Operation.SOCKET_WRITE).calls(), syscalls.get("syscallsNow"));
        assertEquals(saving.get("syscalls"), (Long) syscalls.get("syscallsNow") - (Long) syscalls.get("syscallsAfter"));
        assertEquals(saving.get("modeSwitches"), line(tiny, "modeSwitchesAvoided").get("modeSwitchesAvoided"));
        // limitation: TLS bytes are the sums of the method's wrap and unwrap records, and what it adds is its cost
        Map<String, Object> tls = finding(report, "tls", "Prog.tls(Prog.java:171)");
        assertEquals(sum(rec, "Prog.tls", Operation.TLS_WRAP), line(tls, "bytesAffected").get("encryptedBytes"));
        assertEquals(sum(rec, "Prog.tls", Operation.TLS_UNWRAP), line(tls, "bytesAffected").get("decryptedBytes"));
        Map<String, Object> adds = line(tls, "copiesTlsAdds");
        long added = 0;
        for (Object part : (List<?>) adds.get("dataParts")) {
            Map<?, ?> p = (Map<?, ?>) part;
            added += ((Number) p.get("addedCpuCopiesPerByte")).longValue() * (Long) p.get("bytes");
        }
        assertEquals(added, adds.get("addedCpuCopiedBytes"));
        assertEquals(added, ((Map<?, ?>) tls.get("cost")).get("cpuCopiedBytes"));
        // unexplained: the kernel's counts are the kernel section's, summed over the family's syscalls
        List<Map<String, Object>> unexplained = findings(report).stream()
                .filter(f -> f.get("rule").equals("kernel-unexplained")).toList();
        assertEquals(2, unexplained.size());
        for (Map<String, Object> f : unexplained) {
            Map<String, Object> counted = line(f, "kernelCounted");
            long kernel = 0;
            for (Object syscall : (List<?>) counted.get("kernelSyscalls")) kernel += rec.kernel().orElseThrow().syscall((String) syscall);
            assertEquals(kernel, counted.get("kernelCalls"));
            assertEquals(kernel - (Long) line(f, "agentExplains").get("agentCalls"), line(f, "unexplained").get("unexplainedCalls"));
        }
        // every opportunity carries the process's read and write families as counted
        for (Object row : (List<?>) line(heap, "kernelCrossCheck").get("kernelRows")) {
            Map<?, ?> r = (Map<?, ?>) row;
            assertEquals(crossCheckRow(report, (String) r.get("family")).get("kernelCalls"), r.get("kernelCalls"));
        }
        // good: the transfer's mechanism is the record's
        Map<String, Object> good = finding(report, "zero-copy", "Prog.transferToSocket(Prog.java:83)");
        assertEquals(only(rec, "Prog.transferToSocket(Prog.java:83)", Operation.FILE_TRANSFER_TO).mechanism(),
                line(good, "mechanism").get("mechanism"));
    }

    @Test
    void everyFigureAndEveryLineNameIsDocumented() throws IOException {
        String doc = Files.readString(DOC);
        for (Figure f : Figure.values()) {
            String row = "| `" + f.key() + "` | " + unitWord(f.unit()) + " |";
            assertTrue(doc.contains(row), "docs/report-format.md lacks the row " + row);
        }
        String lines = doc.substring(doc.indexOf("Lines, by rule"), doc.indexOf("A **record**"));
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(Fixtures.DIR)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                String name = p.getFileName().toString().replace(".json", "");
                for (Finding f : Analysis.analyze(Fixtures.load(name), Fixtures.COST).findings()) {
                    for (Evidence.Line l : f.evidence().lines()) names.add(l.name());
                }
            }
        }
        assertTrue(names.size() > 30, names.toString());
        for (String name : names) assertTrue(lines.contains("`" + name + "`"), "no line " + name + " in docs/report-format.md");
    }

    private static String unitWord(Figure.Unit unit) {
        return switch (unit) {
            case COUNT -> "count";
            case BYTES -> "bytes";
            case COPIES_PER_BYTE -> "copies/byte";
            case NANOS -> "ns";
            case SHARE -> "share";
            case NUMBER -> "integer";
            case TEXT -> "string";
            case TEXTS -> "strings";
            case BOOLEAN -> "bool";
            case ITEMS -> "items";
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String recording) {
        String text = ReportFormatFactory.getInstance(ReportFormatType.JSON)
                .render(Analysis.analyze(Fixtures.load(recording), Fixtures.COST));
        return (Map<String, Object>) JsonReader.parse(text);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> findings(Map<String, Object> report) {
        return (List<Map<String, Object>>) report.get("findings");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> evidence(Map<String, Object> finding) {
        return (List<Map<String, Object>>) finding.get("evidence");
    }

    private static Map<String, Object> finding(Map<String, Object> report, String rule, String site) {
        return findings(report).stream().filter(f -> f.get("rule").equals(rule) && site.equals(f.get("site")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + rule + " finding at " + site));
    }

    private static Map<String, Object> line(Map<String, Object> finding, String name) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Map<String, Object> l : evidence(finding)) if (name.equals(l.get("name"))) lines.add(l);
        assertEquals(1, lines.size(), name + " in " + finding.get("evidence"));
        return lines.get(0);
    }

    private static Map<?, ?> crossCheckRow(Map<String, Object> report, String family) {
        for (Object row : (List<?>) ((Map<?, ?>) report.get("crossCheck")).get("rows")) {
            if (family.equals(((Map<?, ?>) row).get("family"))) return (Map<?, ?>) row;
        }
        throw new AssertionError("no cross-check row " + family);
    }

    private static CopyRecord only(Recording rec, String site, Operation op) {
        List<CopyRecord> found = rec.records().stream()
                .filter(r -> r.site().frame().equals(site) && r.operation() == op).toList();
        assertEquals(1, found.size(), op + " at " + site);
        assertNotNull(found.get(0));
        assertFalse(found.get(0).nested());
        return found.get(0);
    }

    private static long sum(Recording rec, String method, Operation op) {
        return rec.applicationRecords().stream().filter(r -> r.operation() == op && r.site().method().equals(method))
                .mapToLong(CopyRecord::bytesMoved).sum();
    }
}
