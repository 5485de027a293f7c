// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.analyzed;
import static io.copytrace.agent.RecordingView.dbl;
import static io.copytrace.agent.RecordingView.kind;
import static io.copytrace.agent.RecordingView.names;
import static io.copytrace.agent.RecordingView.num;
import static io.copytrace.agent.RecordingView.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.Jdk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** FileChannel reads and writes in every form and buffer kind, and mapped buffers, on JDK 17 and 25. */
class FileChannelIT {
    static final long MiB = 1 << 20;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void heapBufferLoopCostsFourCopiesPerByte(Jdk jdk) throws Exception {
        // when: 64 MiB go file to file through a 64 KiB heap ByteBuffer
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("heap-loop");

        // then: exactly 1025 reads (the last returns -1) and 1024 writes, each byte copied heap<->direct once
        // per direction by the JVM and once by the kernel: 2 per call, 4 for the loop
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(64 * MiB, run.truth().get("bytes"));
        RecordingView rec = run.recording();
        Map<String, Object> read = rec.one("file.read", "loopRead");
        assertEquals(1025, num(read, "calls"));
        assertEquals(1, num(read, "eofCalls"));
        assertEquals(64 * MiB, num(read, "bytesMoved"));
        assertEquals(64 * MiB, num(read, "jvmCopiedBytes"));
        assertEquals("heap", str(read, "buffer"));
        assertEquals("syscall", str(read, "path"));
        assertEquals("file", kind(read, "source"));
        assertTrue(names(read, "source").get(0).endsWith("/src"), names(read, "source").toString());
        assertEquals(2.0, analyzed(read).cpuCopiesPerByte());
        Map<String, Object> write = rec.one("file.write", "loopWrite");
        assertEquals(1024, num(write, "calls"));
        assertEquals(64 * MiB, num(write, "bytesMoved"));
        assertEquals(64 * MiB, num(write, "jvmCopiedBytes"));
        assertEquals(2.0, analyzed(write).cpuCopiesPerByte());
        assertEquals(4 * 64 * MiB, analyzed(read).cpuCopiedBytes() + analyzed(write).cpuCopiedBytes());
        // the agent records facts only: what the copy model makes of them is the analyzer's
        for (String derived : List.of("pattern", "cpuCopiedBytes", "cpuCopiesPerByte", "kernelCopiesPerByte", "mechanism")) {
            assertTrue(rec.records().stream().noneMatch(r -> r.containsKey(derived)), derived);
            assertFalse(rec.section("totals").containsKey(derived), derived);
        }
        assertEquals("[]", rec.section("agent").get("errors").toString());
        // the recording names files and peers: owner-only, like the reports (io.copytrace.files.AtomicFile)
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(rec.file)));
        // provenance: the loop's writes came from its reads, same thread, every byte
        List<Map<String, Object>> flows = rec.flowsInto(write);
        assertEquals(1, flows.size(), flows.toString());
        assertEquals(read.get("id"), flows.get(0).get("from"));
        assertEquals(64 * MiB, num(flows.get(0), "bytes"));
        assertEquals(Boolean.FALSE, flows.get(0).get("handedOff"));
        // the loop reuses its buffer: one array filled for the first time in all
        assertEquals(1, num(read, "freshArrays"));
        assertEquals(64 * 1024, num(read, "freshArrayBytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void readsCountTheHeapArraysTheyFillForTheFirstTime(Jdk jdk) throws Exception {
        // when (every call walked: the four reads share one operation key, so sampled sites would be inferred):
        // 4 KiB reads of one file into a new heap buffer per call, into one reused buffer, into two slices
        // of a new 8 KiB array per call, and a stream into a new byte[] per call
        RecordingView rec = AgentRun.on(jdk).agent("kernel=off,sample-interval=1").run("fresh-reads").recording();

        // then: exactly one fresh array per call where the code allocates per call, one in all where it reuses
        assertEquals(Boolean.TRUE, rec.section("provenance").get("freshArraysCounted"));
        Map<String, Object> fresh = rec.one("file.read", "freshChannelRead");
        assertEquals(256, num(fresh, "calls"));
        assertEquals(256, num(fresh, "freshArrays"));
        assertEquals(256 * 4 * 1024, num(fresh, "freshArrayBytes"));
        Map<String, Object> reused = rec.one("file.read", "reusedChannelRead");
        assertEquals(256, num(reused, "calls"));
        assertEquals(1, num(reused, "freshArrays"));
        assertEquals(4 * 1024, num(reused, "freshArrayBytes"));
        Map<String, Object> scatter = rec.one("file.read", "freshScatterRead");
        assertEquals(128, num(scatter, "calls"));
        assertEquals(128, num(scatter, "freshArrays")); // two slices of one array: one array
        assertEquals(128 * 8 * 1024, num(scatter, "freshArrayBytes"));
        Map<String, Object> stream = rec.one("stream.read", "freshStreamRead");
        assertEquals(100, num(stream, "freshArrays"));
        assertEquals(100 * 4 * 1024, num(stream, "freshArrayBytes"));

        // with flows off nothing hashes the arrays, so nothing is counted, and the recording says so
        RecordingView off = AgentRun.on(jdk).agent("kernel=off,flows=off,sample-interval=1").run("fresh-reads").recording();
        assertEquals(Boolean.FALSE, off.section("provenance").get("freshArraysCounted"));
        assertFalse(off.one("file.read", "freshChannelRead").containsKey("freshArrays"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void directBufferLoopCostsTwoCopiesPerByte(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("direct-loop");

        RecordingView rec = run.recording();
        Map<String, Object> read = rec.one("file.read", "loopRead");
        Map<String, Object> write = rec.one("file.write", "loopWrite");
        assertEquals(1025, num(read, "calls"));
        assertEquals(1024, num(write, "calls"));
        for (Map<String, Object> r : new Map[] {read, write}) {
            assertEquals("direct", str(r, "buffer"));
            assertEquals(64 * MiB, num(r, "bytesMoved"));
            assertEquals(0, num(r, "jvmCopiedBytes"));
            assertEquals(1.0, analyzed(r).cpuCopiesPerByte());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void positionalGatheringAndScatterForms(Jdk jdk) throws Exception {
        RecordingView rec = AgentRun.on(jdk).agent("kernel=off").run("forms").recording();

        Map<String, Object> pwrite = rec.one("file.write", "positionalWrite");
        assertEquals("positional", str(pwrite, "form"));
        assertEquals(100, num(pwrite, "calls"));
        assertEquals(400 * 1024, num(pwrite, "bytesMoved"));
        assertEquals(400 * 1024, num(pwrite, "jvmCopiedBytes"));

        Map<String, Object> gather = rec.one("file.write", "gatherWrite");
        assertEquals("gather", str(gather, "form"));
        assertEquals("heap", str(gather, "buffer"));
        assertEquals(100, num(gather, "calls"));
        assertEquals(300 * 1024, num(gather, "bytesMoved"));
        assertEquals(300 * 1024, num(gather, "jvmCopiedBytes"));

        Map<String, Object> scatter = rec.one("file.read", "scatterRead");
        assertEquals("scatter", str(scatter, "form"));
        assertEquals("direct", str(scatter, "buffer"));
        assertEquals(50, num(scatter, "calls"));
        assertEquals(200 * 1024, num(scatter, "bytesMoved"));
        assertEquals(0, num(scatter, "jvmCopiedBytes"));

        Map<String, Object> mixed = rec.one("file.read", "mixedRead");
        assertEquals("mixed", str(mixed, "buffer"));
        assertEquals(10, num(mixed, "calls"));
        assertEquals(20 * 1024, num(mixed, "bytesMoved"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void mappedBufferWrittenToSocketAndMappingCalls(Jdk jdk) throws Exception {
        RecordingView rec = AgentRun.on(jdk).agent("kernel=off").run("mapped").recording();

        // mmap + write: the socket write's source is the mapping, no JVM copy, one kernel copy
        Map<String, Object> send = rec.one("socket.write", "mappedSocketWrite");
        assertEquals("mapped", str(send, "buffer"));
        assertEquals(8 * MiB, num(send, "bytesMoved"));
        assertEquals(0, num(send, "jvmCopiedBytes"));
        assertEquals(1.0, analyzed(send).cpuCopiesPerByte());
        assertEquals("socket", kind(send, "target"));
        assertTrue(names(send, "target").get(0).contains("127.0.0.1"), names(send, "target").toString());

        Map<String, Object> map = rec.one("file.map", "mapReadOnly");
        assertEquals(1, num(map, "calls"));
        assertEquals(8 * MiB, num(map, "bytesMoved"));
        assertEquals("[READ_ONLY]", names(map, "target").toString());
        assertEquals(2 * MiB, num(rec.one("mapped.load", "mappedLoad"), "bytesMoved"));
        assertEquals(1, num(rec.one("mapped.force", "mappedForce"), "calls"));
        assertEquals("[READ_WRITE]", names(rec.one("file.map", "mapped"), "target").toString());
    }
}
