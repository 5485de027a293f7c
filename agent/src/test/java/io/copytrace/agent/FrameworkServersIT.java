// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.analyzed;
import static io.copytrace.agent.RecordingView.dbl;
import static io.copytrace.agent.RecordingView.kind;
import static io.copytrace.agent.RecordingView.names;
import static io.copytrace.agent.RecordingView.num;
import static io.copytrace.agent.RecordingView.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.Finding;
import io.copytrace.analysis.FindingKind;
import io.copytrace.testing.Jdk;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real file servers under the agent: Netty 4.1 on the NIO transport in four modes and Jetty 12.1's
 * ResourceHandler with and without its content cache (zero-copy primer §7), each serving one 4 MiB file
 * four times to a client in the same JVM ({@code workloads.FileServerClient}). The served file's reads are
 * found by their source (the file's name), the server's socket I/O by its framework's frames, the client's
 * by its own methods; every sum is compared with what the workload counted.
 */
class FrameworkServersIT {
    static final long MiB = 1 << 20;
    static final String CLIENT = RecordingView.WORKLOADS + "FileServerClient.";
    static final String NETTY = "io.netty.";
    static final String JETTY = "org.eclipse.jetty.";
    static final String NETTY_WRITE = "io.netty.channel.socket.nio.NioSocketChannel.doWrite(";

    /** One served scenario: the recording and the workload's TRUTH. */
    record Served(RecordingView rec, long fileSize, long requests, long body, long response, long request) {
        /** Records that read, map or send the served file (its name among their sources). */
        List<Map<String, Object>> servedFile() {
            return rec.where(r -> names(r, "source").stream().anyMatch(n -> n.endsWith("/www/served.bin")));
        }

        /** The one record of {@code operation} on the served file. */
        Map<String, Object> servedFile(String operation) {
            List<Map<String, Object>> found = servedFile().stream()
                    .filter(r -> operation.equals(r.get("operation"))).toList();
            assertEquals(1, found.size(), "one " + operation + " of the served file: " + found);
            return found.get(0);
        }

        /** Records of {@code operation} whose site is in {@code prefix} (a framework's package, a class). */
        List<Map<String, Object>> at(String prefix, String operation) {
            return rec.where(r -> operation.equals(r.get("operation")) && rec.frame(r).startsWith(prefix));
        }

        /** The operations of the records that touch the served file. */
        Set<String> servedFileOperations() {
            return servedFile().stream().map(r -> str(r, "operation")).collect(Collectors.toSet());
        }
    }

    static long moved(List<Map<String, Object>> records) {
        return records.stream().mapToLong(r -> num(r, "bytesMoved")).sum();
    }

    static long moved(List<Map<String, Object>> records, Predicate<Map<String, Object>> which) {
        return moved(records.stream().filter(which).toList());
    }

    /**
     * Runs {@code scenario} under the agent and checks what every scenario shares: the workload's TRUTH, the
     * client's reads and writes at its own sites, and the server's reads of the requests at {@code framework}.
     */
    static Served serve(Jdk jdk, String scenario, String framework, String options) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off" + options).run(scenario);
        assertEquals(0, run.exit(), run.stderr());
        Map<String, Long> t = run.truth();
        Served s = new Served(run.recording(), t.get("fileSize"), t.get("requests"), t.get("bodyBytes"),
                t.get("responseBytes"), t.get("requestBytes"));
        assertEquals(4 * MiB, s.fileSize);
        assertEquals(4, s.requests);
        assertEquals(s.fileSize * s.requests, s.body);
        assertTrue(s.response > s.body, "headers: " + t);

        // the client's own I/O is at its own methods, and exact
        assertEquals(s.response, moved(s.at(CLIENT + "receive(", "socket.read")));
        assertEquals(s.request, moved(s.at(CLIENT + "send(", "socket.write")));
        // the server read every request byte, at the framework's frames
        assertEquals(s.request, moved(s.at(framework, "socket.read")));
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void nettyFileRegionIsOneSendfilePathAndTheHeadersAreSocketWrites(Jdk jdk) throws Exception {
        Served s = serve(jdk, "netty-region", NETTY, "");

        // DefaultFileRegion.transferTo -> FileChannel.transferTo(socket): the direct path, no user copy
        assertEquals(Set.of("file.transferTo"), s.servedFileOperations());
        Map<String, Object> t = s.servedFile("file.transferTo");
        assertTrue(s.rec.frame(t).startsWith("io.netty.channel.DefaultFileRegion.transferTo("), s.rec.frame(t));
        assertEquals("direct", str(t, "path"));
        assertEquals(jdk.feature() >= 21 ? "copy_file_range(EINVAL)+sendfile" : "sendfile", analyzed(t).mechanism());
        assertEquals("socket", kind(t, "target"));
        assertEquals(s.body, num(t, "bytesMoved"));
        assertEquals(0, num(t, "jvmCopiedBytes"));

        // the response headers: single writes of Netty's pooled direct buffers, everything but the bodies
        List<Map<String, Object>> writes = s.at(NETTY, "socket.write");
        assertEquals(s.response - s.body, moved(writes));
        // the report: the sendfile path is good, and nothing is a relay
        assertEquals(List.of(), s.rec.findings("relay"));
        assertEquals(1, s.rec.findings("zero-copy").size());
        for (Map<String, Object> w : writes) {
            assertTrue(s.rec.frame(w).startsWith(NETTY_WRITE), s.rec.frame(w));
            assertEquals("single", str(w, "form"));
            assertEquals("direct", str(w, "buffer"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void nettyChunkedNioFileReadsPositionallyIntoPooledDirectBuffers(Jdk jdk) throws Exception {
        Served s = serve(jdk, "netty-chunked-nio", NETTY, "");

        // ChunkedNioFile.readChunk -> ByteBuf.writeBytes(FileChannel, position, 8 KiB) -> FileChannel.read(buf, pos)
        assertEquals(Set.of("file.read"), s.servedFileOperations());
        Map<String, Object> r = s.servedFile("file.read");
        assertEquals("positional", str(r, "form"));
        assertEquals("direct", str(r, "buffer"));
        assertEquals(s.body, num(r, "bytesMoved"));
        assertEquals(s.body / 8192, num(r, "calls"));
        assertEquals(0, num(r, "jvmCopiedBytes"));
        assertEquals(1.0, analyzed(r).cpuCopiesPerByte());
        // the site is Netty's buffer code, the first frame outside the JDK; ChunkedNioFile is further out
        // the site is the first frame outside the JDK and Netty's buffer classes (I/O plumbing)
        assertTrue(s.rec.frame(r).startsWith("io.netty.handler.stream.ChunkedNioFile.readChunk("), s.rec.frame(r));

        // every response byte goes out from direct buffers at NioSocketChannel.doWrite: single writes of a
        // chunk, and the gathering write of the headers with the first chunk
        assertServerWritesAreDirect(s);

        // provenance: every body byte written is matched to the positional reads, on the event loop
        assertEquals(s.body, relayedFrom(s, r, false));
        // the report: one file -> socket relay of the whole body, fixed with DefaultFileRegion
        Finding relay = oneRelay(s, "io.netty.handler.stream.ChunkedNioFile.readChunk(");
        assertEquals(s.body, relay.bytes());
        assertTrue(relay.title().contains("DefaultFileRegion instead of ChunkedNioFile"), relay.title());
        assertEquals("2.00", relay.evidence().get("copies per byte now").substring(0, 4));
        assertTrue(relay.evidence().get("application frame (read)").contains("NettyFileServer$FileHandler.respond("),
                relay.evidence().toString());
        assertEquals(s.body, relay.saving().cpuCopiedBytes()); // 2 -> 1 copy per byte
    }

    /** Bytes written by the server that provenance matched to {@code read}; {@code viaCopy}: through a framework copy. */
    static long relayedFrom(Served s, Map<String, Object> read, boolean viaCopy) {
        long bytes = 0;
        for (Map<String, Object> w : s.at(NETTY, "socket.write")) {
            for (Map<String, Object> f : s.rec.flowsInto(w)) {
                if (read.get("id").equals(f.get("from"))) {
                    assertEquals(viaCopy, f.get("viaFrameworkCopy"), f.toString());
                    bytes += num(f, "bytes");
                }
            }
        }
        return bytes;
    }

    /** The one relay finding, at {@code site}. */
    static Finding oneRelay(Served s, String site) throws Exception {
        List<Finding> relays = s.rec.findings("relay");
        assertEquals(1, relays.size(), relays.toString());
        Finding relay = relays.get(0);
        assertTrue(relay.where().startsWith(site), relay.where());
        assertEquals(FindingKind.OPPORTUNITY, relay.kind());
        return relay;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void nettyChunkedFileReadsThroughJavaIoIntoHeapBuffers(Jdk jdk) throws Exception {
        Served s = serve(jdk, "netty-chunked-file", NETTY, "");

        // ChunkedFile.readChunk -> RandomAccessFile.readFully(heap ByteBuf's array, 8 KiB): JNI copy per byte
        assertEquals(Set.of("stream.read"), s.servedFileOperations());
        Map<String, Object> r = s.servedFile("stream.read");
        assertTrue(s.rec.frame(r).startsWith("io.netty.handler.stream.ChunkedFile.readChunk("), s.rec.frame(r));
        assertEquals("single", str(r, "form"));
        assertEquals("byte[]", str(r, "buffer"));
        assertEquals(s.body, num(r, "bytesMoved"));
        assertEquals(s.body / 8192, num(r, "calls"));
        assertEquals(s.body, num(r, "jvmCopiedBytes"));
        assertEquals(0, num(r, "nativeAllocations")); // 8 KiB: the JNI stack buffer, no malloc
        assertEquals(2.0, analyzed(r).cpuCopiesPerByte());

        // Netty copies each heap chunk into a direct buffer itself (AbstractNioChannel.newDirectBuffer) before
        // the write: the agent sees direct writes, and no JVM copy at them
        assertServerWritesAreDirect(s);

        // ... and records that copy as Netty's own, every body byte once
        List<Map<String, Object>> copies = s.rec.where(c -> "framework.copy".equals(c.get("operation")));
        assertEquals(1, copies.size(), copies.toString());
        assertTrue(s.rec.frame(copies.get(0)).startsWith("io.netty.channel.nio.AbstractNioChannel.newDirectBuffer("),
                s.rec.frame(copies.get(0)));
        assertEquals(s.body, num(copies.get(0), "bytesMoved"));
        assertEquals(s.body, analyzed(copies.get(0)).cpuCopiedBytes());
        // provenance follows the bytes through it: read -> heap ByteBuf -> Netty's copy -> direct -> socket
        assertEquals(s.body, relayedFrom(s, r, true));
        Finding relay = oneRelay(s, "io.netty.handler.stream.ChunkedFile.readChunk(");
        assertEquals(s.body, relay.bytes());
        assertTrue(relay.title().contains("DefaultFileRegion instead of ChunkedFile"), relay.title());
        assertEquals("4.00", relay.evidence().get("copies per byte now").substring(0, 4)); // K, JNI, Netty, K
        assertEquals(3 * s.body, relay.saving().cpuCopiedBytes());
        // the java.io copy and Netty's are the relay's: no separate stream-io finding
        assertEquals(List.of(), s.rec.findings("stream-io"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void nettyWritesFromAnApplicationMapping(Jdk jdk) throws Exception {
        Served s = serve(jdk, "netty-mapped", NETTY, "");

        // mapped once by the application at start; no read of the file at all
        assertEquals(Set.of("file.map"), s.servedFileOperations());
        Map<String, Object> map = s.rec.one("file.map", "NettyFileServer.mapServedFile");
        assertEquals(List.of("READ_ONLY"), names(map, "target"));
        assertEquals(1, num(map, "calls"));
        assertEquals(s.fileSize, num(map, "bytesMoved"));

        // Unpooled.wrappedBuffer(mapping) per response: slices of the mapping still count as mapped; the
        // headers go alone (direct) or gathered with the body (mixed)
        List<Map<String, Object>> writes = s.at(NETTY, "socket.write");
        assertEquals(s.response, moved(writes));
        Set<String> kinds = writes.stream().map(w -> str(w, "buffer")).collect(Collectors.toSet());
        assertTrue(Set.of("direct", "mapped", "mixed").containsAll(kinds), kinds.toString());
        long fromMapping = moved(writes, w -> !"direct".equals(w.get("buffer")));
        assertTrue(fromMapping >= s.body, fromMapping + " < " + s.body);
        for (Map<String, Object> w : writes) {
            assertTrue(s.rec.frame(w).startsWith(NETTY_WRITE), s.rec.frame(w));
            assertEquals(0, num(w, "jvmCopiedBytes"));
        }

        // provenance: the written memory lies in the mapping; the finding names the application's map call
        long fromMap = 0;
        for (Map<String, Object> w : writes) {
            for (Map<String, Object> f : s.rec.flowsInto(w)) if (map.get("id").equals(f.get("from"))) fromMap += num(f, "bytes");
        }
        assertEquals(s.body, fromMap);
        List<Finding> sends = s.rec.findings("mapped-send");
        assertEquals(1, sends.size(), sends.toString());
        assertTrue(sends.get(0).where().startsWith(RecordingView.WORKLOADS + "NettyFileServer.mapServedFile("),
                sends.get(0).where());
        assertEquals(s.body, sends.get(0).bytes());
        assertTrue(sends.get(0).fix().contains("DefaultFileRegion"), sends.get(0).fix());
        assertEquals(List.of(), s.rec.findings("relay"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void nettyMappedWithExactAttributionKeepsSingleAndGatheringWritesApart(Jdk jdk) throws Exception {
        Served s = serve(jdk, "netty-mapped", NETTY, ",sample-interval=1");

        // NioSocketChannel.doWrite writes one buffer and gathers several on different lines: walked on every
        // call, no site holds both forms. (With the default sampling it can: once the header's direct write
        // and the mapping's write at the single-buffer line have made the row-key hint useless on the event
        // loop, a later gathering write is not walked and lands on the single-buffer line.)
        Map<String, Set<Object>> formsBySite = s.at(NETTY, "socket.write").stream().collect(Collectors.groupingBy(
                s.rec::frame, Collectors.mapping(w -> w.get("form"), Collectors.toSet())));
        for (Map.Entry<String, Set<Object>> e : formsBySite.entrySet()) {
            assertEquals(1, e.getValue().size(), e.toString());
        }
        assertEquals(s.response, moved(s.at(NETTY, "socket.write")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void jettyWithoutContentCacheStreamsTheFileForEveryRequest(Jdk jdk) throws Exception {
        Served s = serve(jdk, "jetty-nocache", JETTY, "");

        // IOResources.PathToSinkCopier: SeekableByteChannel.read into 32 KiB pooled direct buffers
        assertEquals(Set.of("file.read"), s.servedFileOperations());
        Map<String, Object> r = s.servedFile("file.read");
        assertTrue(s.rec.frame(r).startsWith("org.eclipse.jetty.io.IOResources$PathToSinkCopier.process("),
                s.rec.frame(r));
        assertEquals("single", str(r, "form"));
        assertEquals("direct", str(r, "buffer"));
        assertEquals(s.body, num(r, "bytesMoved"));
        assertEquals(s.body / (32 << 10), num(r, "calls"));
        assertEquals(0, num(r, "jvmCopiedBytes"));

        // SocketChannelEndPoint.flush always calls SocketChannel.write(ByteBuffer[]): gathering, one buffer
        // or the headers with the first one
        Map<String, Object> w = oneJettyWrite(s);
        assertTrue(num(w, "calls") >= s.body / (32 << 10), w.toString());
        assertTrue(s.rec.frame(s.at(JETTY, "socket.read").get(0))
                .startsWith("org.eclipse.jetty.io.SocketChannelEndPoint.fill("));

        // provenance: the body bytes of the gathering writes come from the file reads, per request
        long relayed = s.rec.flowsInto(w).stream().filter(f -> r.get("id").equals(f.get("from")))
                .mapToLong(f -> num(f, "bytes")).sum();
        assertEquals(s.body, relayed);
        Finding relay = oneRelay(s, "org.eclipse.jetty.io.IOResources$PathToSinkCopier.process(");
        assertEquals(s.body, relay.bytes());
        assertTrue(relay.advice().contains("no sendfile path"), relay.advice());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void jettyContentCacheReadsTheFileOnceAndServesItFromMemory(Jdk jdk) throws Exception {
        Served s = serve(jdk, "jetty-cache", JETTY, "");

        // the default factories (12.1): FileMappingHttpContentFactory maps files of 1 MiB and more on the
        // first lookup, then the caching factory reads the whole file into a pooled buffer anyway and serves
        // every request from that buffer: one mapping, never written from, and one read of the file
        assertEquals(Set.of("file.map", "file.read"), s.servedFileOperations());
        Map<String, Object> map = s.servedFile("file.map");
        assertTrue(s.rec.frame(map).startsWith("org.eclipse.jetty.util.BufferUtil.toMappedBuffer("), s.rec.frame(map));
        assertEquals(1, num(map, "calls"));
        assertEquals(List.of("READ_ONLY"), names(map, "target"));
        Map<String, Object> r = s.servedFile("file.read");
        assertTrue(s.rec.frame(r).startsWith("org.eclipse.jetty.io.IOResources.toRetainableByteBuffer("),
                s.rec.frame(r));
        assertEquals("direct", str(r, "buffer"));
        assertEquals(s.fileSize, num(r, "bytesMoved"));

        // every request is sent from the cached buffer
        Map<String, Object> w = oneJettyWrite(s);
        assertTrue(s.rec.where(x -> "socket.write".equals(x.get("operation")) && "mapped".equals(x.get("buffer")))
                .isEmpty());
        // provenance sees one read written four times: a cache, not a relay; no mapped send either
        long fromRead = s.rec.flowsInto(w).stream().filter(f -> r.get("id").equals(f.get("from")))
                .mapToLong(f -> num(f, "bytes")).sum();
        assertEquals(s.body, fromRead);
        assertEquals(List.of(), s.rec.findings("relay"));
        assertEquals(List.of(), s.rec.findings("mapped-send"));
    }

    /** Jetty's one socket.write record: gathering writes of direct buffers, every response byte. */
    private static Map<String, Object> oneJettyWrite(Served s) {
        List<Map<String, Object>> writes = s.at(JETTY, "socket.write");
        assertEquals(1, writes.size(), writes.toString());
        Map<String, Object> w = writes.get(0);
        assertTrue(s.rec.frame(w).startsWith("org.eclipse.jetty.io.SocketChannelEndPoint.flush("), s.rec.frame(w));
        assertEquals("gather", str(w, "form"));
        assertEquals("direct", str(w, "buffer"));
        assertEquals(0, num(w, "jvmCopiedBytes"));
        assertEquals(s.response, num(w, "bytesMoved"));
        return w;
    }

    /** Netty's writes: all from direct buffers, at NioSocketChannel.doWrite, every response byte. */
    private static void assertServerWritesAreDirect(Served s) {
        List<Map<String, Object>> writes = s.at(NETTY, "socket.write");
        assertEquals(s.response, moved(writes));
        for (Map<String, Object> w : writes) {
            assertTrue(s.rec.frame(w).startsWith(NETTY_WRITE), s.rec.frame(w));
            assertEquals("direct", str(w, "buffer"));
            assertTrue(Set.of("single", "gather").contains(str(w, "form")), w.toString());
            assertEquals(0, num(w, "jvmCopiedBytes"));
        }
    }

}
