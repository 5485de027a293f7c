// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.Fixtures;
import io.copytrace.model.Operation;
import io.copytrace.model.TransferPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingReaderTest {
    static final Path DIR = Path.of("src/test/resources/recordings");

    @TempDir
    Path tmp;

    @Test
    void readsARealRecording() throws BadRecording {
        Recording r = Recording.read(DIR.resolve("transferTo-jdk25.json"));
        assertEquals(25, r.jvm().feature());
        assertTrue(r.exactSites());
        assertTrue(r.kernel().isEmpty());
        CopyRecord transfer = r.records().stream().filter(c -> c.operation() == Operation.FILE_TRANSFER_TO).findFirst().orElseThrow();
        assertEquals(TransferPath.DIRECT, transfer.path());
        assertEquals("copy_file_range(EINVAL)+sendfile", transfer.mechanism());
        assertEquals(r.totals().bytesMoved(), r.applicationRecords().stream().mapToLong(CopyRecord::bytesMoved).sum());
    }

    @Test
    void keepsTheThreadGroupsOfEachRecord() {
        Recording r = new Fixtures.Builder(17).site(1, "com.acme.Tls.wrap(Tls.java:9)")
                .record(1, "tls.wrap", "tls-engine", "direct", "memory", "tls-engine", 10, 1 << 20, 0)
                .with("threads", List.of("broker-fetch-tls-#", "pool-#-thread-#"))
                .record(1, "tls.wrap", "tls-engine", "heap", "memory", "tls-engine", 2, 100, 0)
                .build();
        assertEquals(List.of("broker-fetch-tls-#", "pool-#-thread-#"), r.records().get(0).threads());
        assertEquals(List.of(), r.records().get(1).threads(), "older recordings have no threads");
    }

    @Test
    void readsTheKernelSection() throws BadRecording {
        KernelCounts k = Recording.read(DIR.resolve("mixed-kernel-jdk17.json")).kernel().orElseThrow();
        assertEquals("perf", k.source());
        assertEquals(24_890, k.syscall("write"));
        assertTrue(k.hasProcCounts());
    }

    @Test
    void missingFile() {
        BadRecording x = assertThrows(BadRecording.class, () -> Recording.read(tmp.resolve("nope.json")));
        assertTrue(x.getMessage().endsWith("nope.json: no such file"), x.getMessage());
    }

    @Test
    void truncatedFile() throws IOException {
        String text = Files.readString(DIR.resolve("heap-jdk17.json"));
        Path file = write("cut.json", text.substring(0, text.length() / 2));
        BadRecording x = assertThrows(BadRecording.class, () -> Recording.read(file));
        assertTrue(x.getMessage().contains("cut.json: not valid JSON") && x.getMessage().contains("truncated?"), x.getMessage());
    }

    @Test
    void corruptOrForeignFiles() throws IOException {
        assertMessage(write("empty.json", ""), "empty file");
        assertMessage(write("garbage.json", "\u0000\u0001PK"), "not valid JSON");
        assertMessage(write("other.json", "{\"hello\": 1}"), "not a copytrace recording");
        assertMessage(write("norecords.json", "{\"format\":\"copytrace-recording\",\"version\":1,\"jvm\":{},\"sites\":[]}"),
                "\"records\" is missing");
        Path binary = tmp.resolve("bin.json");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00});
        assertMessage(binary, "not UTF-8");
    }

    /** The first record's {@code key} (after the records array opens) set to {@code value}, as JSON text. */
    private static String withFirstRecord(String key, String value) throws IOException {
        String text = Files.readString(DIR.resolve("heap-jdk17.json"));
        int records = text.indexOf("\"records\": [");
        int at = text.indexOf("\"" + key + "\": ", records);
        int end = at + key.length() + 4;
        while (",\n}".indexOf(text.charAt(end)) < 0) end++;
        return text.substring(0, at) + "\"" + key + "\": " + value + text.substring(end);
    }

    @Test
    void impossibleValuesAreRefusedNamingTheFieldNotRendered() throws IOException {
        assertMessage(write("neg.json", withFirstRecord("calls", "-5")), "record 0: \"calls\" is -5, not a count");
        assertMessage(write("huge.json", withFirstRecord("bytesMoved", "1e400")), "not valid JSON: bad number '1e400'");
        assertMessage(write("real.json", withFirstRecord("bytesMoved", "1.5")), "record 0: \"bytesMoved\" is 1.5, not a count");
        assertMessage(write("type.json", withFirstRecord("operation", "42")), "record 0: \"operation\" is 42, not a string");
        String text = Files.readString(DIR.resolve("heap-jdk17.json")).replace("\"frame\": \"Prog.main(Prog.java:17)\"",
                "\"frame\": [1, 2]");
        assertMessage(write("frame.json", text), "\"frame\" is a list, not a string");
        String deep = "{\"format\": \"copytrace-recording\", \"x\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertMessage(write("deep.json", deep), "nested deeper than 64 levels");
    }

    /** The sections format 3 added are checked like the records: one line naming the field. */
    @Test
    void impossibleValuesInTheNetworkBufferAndProfileSectionsAreRefused() throws IOException {
        String text = Files.readString(DIR.resolve("coldsend-jdk17.json"));
        assertMessage(write("egress.json", text.replaceFirst("(\"egress\": \\{\\s*\"[^\"]+\": )\"lo\"", "$17")),
                "network.egress: \"interface\" is 7, not a string");
        assertMessage(write("sg.json", text.replace("\"scatterGather\": true", "\"scatterGather\": \"yes\"")),
                "network.interfaces: \"scatterGather\" is \"yes\", not true or false");
        assertMessage(write("buffers.json", text.replaceFirst("(\"temporaryDirectBuffers\": \\{[^}]*?\"bytes\": )\\d+", "$1-5")),
                "temporaryDirectBuffers: \"bytes\" is -5, not a count");
        assertMessage(write("stack.json", text.replaceFirst("(\"stacks\": \\[\\s*\\[\\s*\\d+,\\s*)\\d+", "$1999999")),
                "profile: \"stacks\" is 999999, not a sample count or a frame index below");
    }

    @Test
    void newerVersionIsRefused() throws IOException {
        String text = Files.readString(DIR.resolve("heap-jdk17.json")).replace("\"version\": 1,", "\"version\": 4,");
        assertMessage(write("v4.json", text), "version 4 is newer than this copytrace reads (3)");
    }

    /**
     * Format 1-2 agents wrote the copy model's answers (CPU copies, mechanism, pattern) into each record;
     * this analyzer derives them from the facts alone, so an old recording is re-analyzed by today's model.
     */
    @Test
    void interpretationWrittenByAnOldAgentIsIgnored() throws Exception {
        String original = Files.readString(DIR.resolve("transferTo-jdk17.json"));
        Recording truth = Recording.parse(original, "a.json");
        String tampered = original.replaceAll("\"cpuCopiedBytes\": \\d+", "\"cpuCopiedBytes\": 7")
                .replaceAll("\"mechanism\": \"[^\"]*\"", "\"mechanism\": \"carrier-pigeon\"")
                .replaceAll("\"pattern\": \"[^\"]*\"", "\"pattern\": \"nonsense\"");
        assertTrue(tampered.contains("carrier-pigeon") && tampered.contains("\"cpuCopiedBytes\": 7"), "fixture changed");
        Recording r = Recording.parse(tampered, "b.json");
        assertEquals(truth.records(), r.records());
        assertEquals(truth.totals(), r.totals());
        assertTrue(r.records().stream().anyMatch(c -> "sendfile".equals(c.mechanism())), r.records().toString());
        assertTrue(r.records().stream().anyMatch(c -> c.cpuCopiedBytes() > 7), r.records().toString());
    }

    @Test
    void unknownOperationsAreSkippedWithAWarningAndUnknownKeysIgnored() throws Exception {
        String text = Files.readString(DIR.resolve("heap-jdk17.json"))
                .replace("\"socket.write\"", "\"io_uring.submit\"")
                .replace("\"format\": \"copytrace-recording\",", "\"format\": \"copytrace-recording\", \"future\": {\"x\": 1},");
        Recording r = Recording.parse(text, "future.json");
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).contains("io_uring.submit"));
        assertFalse(r.records().isEmpty());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    private static void assertMessage(Path file, String part) {
        BadRecording x = assertThrows(BadRecording.class, () -> Recording.read(file));
        assertTrue(x.getMessage().startsWith(file.toString() + ": "), x.getMessage());
        assertTrue(x.getMessage().contains(part), x.getMessage());
    }
}
