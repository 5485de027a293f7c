// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import static io.copytrace.testing.ReportView.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.Jdk;
import io.copytrace.testing.ReportView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lesson 10, the file → socket relay split over two classes and two threads. The agent matches the
 * writer's socket writes to the reader's positional reads by memory (pooled slices, another thread), so
 * the recording has one flow of the whole file from one to the other and the report one relay finding;
 * the tests also pin down what the recording holds for each side (site, thread, buffer kind, bytes, calls).
 */
class SplitRelayIT {
    static final long MiB = 1 << 20;
    static final int CHUNK = 64 * 1024;
    static final String READ_SITE = "io.copytrace.samples.relay.ChunkReader.readChunk(";
    static final String WRITE_SITE = "io.copytrace.samples.relay.ChunkWriter.writeChunk(";
    static final String TRANSFER_SITE = "io.copytrace.samples.relay.ChunkReader.transferAll(";

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void directRelayIsFoundFromTheFlowAcrossThreads(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample10SplitRelay", "--mib=8");

        // then: the relay is found from the flow, though the read and the write share no method or thread
        run.report().assertExactly("opportunity relay relay.ChunkReader.readChunk");
        long size = run.total("file.bytes");
        assertEquals(size, bytes(run.report().one("relay", "relay.ChunkReader.readChunk")));
        assertRelay(run, "direct", 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void handOffsArePricedFromTheReaderAndWriterThreadsSwitches(Jdk jdk) throws Exception {
        // when: with the kernel's per-thread view (/proc: the threads live on, so the window's end reads them)
        SampleRun.Result run = SampleRun.run(jdk, "kernel=proc,sample-interval=1", List.of(), "Sample10SplitRelay",
                "--mib=8");

        // then: the hand-offs line counts both threads' voluntary switches and prices them in the saving
        Map<String, Object> relay = run.report().one("relay", "relay.ChunkReader.readChunk");
        Map<String, Object> handOffs = ReportView.evidence(relay).stream().filter(l -> "handOffs".equals(l.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no handOffs line: " + relay));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups = (List<Map<String, Object>>) handOffs.get("threadGroups");
        assertNotNull(groups, () -> "hand-offs not priced: " + handOffs);
        assertEquals(List.of(Sample10SplitRelay.READER_THREAD, Sample10SplitRelay.WRITER_THREAD),
                groups.stream().map(g -> g.get("threads")).toList());
        long switches = groups.stream().mapToLong(g -> ReportView.num(g, "voluntaryContextSwitches")).sum();
        assertTrue(switches > 0 && ReportView.num(handOffs, "handOffs") > 0
                && ReportView.num(handOffs, "handOffs") <= switches, () -> "" + handOffs);
        assertTrue(ReportView.num(handOffs, "handOffNanos") > 0, () -> "" + handOffs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void heapRelayIsOneFindingThatExplainsBothHeapCopies(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample10SplitRelay", "--mib=8", "--buffers=heap");

        // then: one relay finding explains both sides' heap copies (no separate heap-buffer findings)
        run.report().assertExactly("opportunity relay relay.ChunkReader.readChunk");
        long size = run.total("file.bytes");
        assertEquals(size, bytes(run.report().one("relay", "relay.ChunkReader.readChunk")));
        assertRelay(run, "heap", size);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void transferToFixIsOneDirectTransferOnTheReaderThread(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample10SplitRelay", "--mib=8", "--send=transferTo");

        // then
        run.report().assertExactly("good zero-copy relay.ChunkReader.transferAll");
        long size = run.total("file.bytes");
        assertEquals(8 * MiB, size);
        assertEquals(size, run.total("sent"));
        assertEquals(size, run.total("received"));
        List<Map<String, Object>> app = appRecords(run);
        Map<String, Object> transfer = only(app, "file.transferTo");
        assertTrue(frame(transfer).startsWith(TRANSFER_SITE), () -> frame(transfer));
        assertEquals("direct", transfer.get("path"));
        // which syscalls a direct transfer makes on this JDK is the analyzer's fact, derived from the recording
        assertEquals(List.of(jdk.feature() >= 21 ? "copy_file_range(EINVAL)+sendfile" : "sendfile"),
                io.copytrace.recording.Recording.read(run.recording()).records().stream()
                        .filter(r -> r.operation().wireName().equals("file.transferTo") && r.isApplication())
                        .map(r -> r.mechanism()).toList());
        assertEquals(1L, num(transfer, "calls"));
        assertEquals(size, num(transfer, "bytesRequested"));
        assertEquals(size, num(transfer, "bytesMoved"));
        assertEquals(0L, num(transfer, "jvmCopiedBytes"));
        assertEquals(List.of(Sample10SplitRelay.READER_THREAD), transfer.get("threads"));
        assertEquals("file", endpoint(transfer, "source").get("kind"));
        assertEquals("socket", endpoint(transfer, "target").get("kind"));
        // no byte of the file goes through user memory: no read of it, no socket write at all
        assertEquals(List.of(), of(app, "socket.write"));
        assertEquals(List.of(), of(app, "file.read"));
    }

    /**
     * The relay's two records: the reader's positional reads of the whole file into pooled buffers of
     * {@code buffer} kind on {@code chunk-reader}, one per chunk, and the writer's socket writes of the same
     * bytes on {@code chunk-writer}, one per chunk; {@code jvmCopied} bytes of heap copies on each side.
     */
    private static void assertRelay(SampleRun.Result run, String buffer, long jvmCopied) throws Exception {
        long size = run.total("file.bytes");
        assertEquals(8 * MiB, size);
        assertEquals(size, run.total("read"));
        assertEquals(size, run.total("sent"));
        assertEquals(size, run.total("received"));
        long chunks = run.total("chunks");
        assertEquals(size / CHUNK, chunks);
        List<Map<String, Object>> app = appRecords(run);

        Map<String, Object> read = only(app, "file.read");
        assertTrue(frame(read).startsWith(READ_SITE), () -> frame(read));
        assertEquals("positional", read.get("form"));
        assertEquals("syscall", read.get("path"));
        assertEquals(buffer, read.get("buffer"));
        assertEquals(chunks, num(read, "calls"));
        assertEquals(size, num(read, "bytesRequested"));
        assertEquals(size, num(read, "bytesMoved"));
        assertEquals(jvmCopied, num(read, "jvmCopiedBytes"));
        assertEquals(List.of(Sample10SplitRelay.READER_THREAD), read.get("threads"));
        assertEquals("file", endpoint(read, "source").get("kind"));
        assertTrue(String.valueOf(endpoint(read, "source").get("names")).contains("file.bin"), () -> "" + read);

        Map<String, Object> write = only(app, "socket.write");
        assertTrue(frame(write).startsWith(WRITE_SITE), () -> frame(write));
        assertEquals("single", write.get("form"));
        assertEquals("syscall", write.get("path"));
        assertEquals(buffer, write.get("buffer"));
        assertEquals(chunks, num(write, "calls"));
        assertEquals(size, num(write, "bytesRequested"));
        assertEquals(size, num(write, "bytesMoved"));
        assertEquals(jvmCopied, num(write, "jvmCopiedBytes"));
        assertEquals(List.of(Sample10SplitRelay.WRITER_THREAD), write.get("threads"));
        assertEquals("socket", endpoint(write, "target").get("kind"));

        // two sites in two classes, on two threads, whose stacks share no application frame
        assertNotEquals(read.get("site"), write.get("site"));
        assertNotEquals(read.get("threads"), write.get("threads"));
        List<String> readStack = appFrames(read), writeStack = appFrames(write);
        assertTrue(readStack.stream().noneMatch(writeStack::contains), () -> readStack + " / " + writeStack);
        assertEquals(List.of(), of(app, "file.transferTo"));

        // provenance: every byte the writer sent is matched to the reader's fills, handed across threads
        List<Map<String, Object>> flows = flowsInto(run, write);
        assertEquals(1, flows.size(), () -> "" + flows);
        Map<String, Object> flow = flows.get(0);
        assertEquals(read.get("id"), flow.get("from"));
        assertEquals(size, num(flow, "bytes"));
        assertEquals(chunks, num(flow, "writeCalls"));
        assertEquals(Boolean.TRUE, flow.get("handedOff"));
        assertEquals(Boolean.FALSE, flow.get("viaFrameworkCopy"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> flowsInto(SampleRun.Result run, Map<String, Object> record)
            throws Exception {
        Map<String, Object> root = ReportView.read(run.recording()).root;
        return ((List<Map<String, Object>>) root.get("flows")).stream()
                .filter(f -> record.get("id").equals(f.get("to"))).toList();
    }

    // ------------------------------------------------------------------ the recording's records

    /** The recording's records at application sites, each with its site's {@code frame} and {@code stack} added. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> appRecords(SampleRun.Result run) throws Exception {
        Map<String, Object> root = ReportView.read(run.recording()).root;
        Map<Object, Map<String, Object>> sites = ((List<Map<String, Object>>) root.get("sites")).stream()
                .collect(Collectors.toMap(s -> s.get("id"), Function.identity()));
        return ((List<Map<String, Object>>) root.get("records")).stream()
                .filter(r -> "app".equals(sites.get(r.get("site")).get("kind")))
                .map(r -> {
                    Map<String, Object> m = new LinkedHashMap<>(r);
                    m.put("frame", sites.get(r.get("site")).get("frame"));
                    m.put("siteStack", sites.get(r.get("site")).get("stack"));
                    return m;
                })
                .toList();
    }

    private static List<Map<String, Object>> of(List<Map<String, Object>> records, String operation) {
        return records.stream().filter(r -> operation.equals(r.get("operation"))).toList();
    }

    private static Map<String, Object> only(List<Map<String, Object>> records, String operation) {
        List<Map<String, Object>> found = of(records, operation);
        if (found.size() != 1) throw new AssertionError("expected one application " + operation + " record, found "
                + found.size() + ": " + found);
        return found.get(0);
    }

    private static String frame(Map<String, Object> record) {
        return (String) record.get("frame");
    }

    @SuppressWarnings("unchecked")
    private static List<String> appFrames(Map<String, Object> record) {
        return ((List<String>) record.get("siteStack")).stream().filter(f -> f.startsWith(SampleRun.SAMPLES)).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> endpoint(Map<String, Object> record, String side) {
        return (Map<String, Object>) record.get(side);
    }

    private static long num(Map<String, Object> record, String key) {
        return ((Number) record.get(key)).longValue();
    }
}
