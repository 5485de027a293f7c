// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.analyzed;
import static io.copytrace.agent.RecordingView.kind;
import static io.copytrace.agent.RecordingView.names;
import static io.copytrace.agent.RecordingView.num;
import static io.copytrace.agent.RecordingView.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.Finding;
import io.copytrace.testing.Jdk;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real Apache Kafka 4.4 broker (KRaft, broker and controller in one node, in the workload's JVM) under the
 * agent: 2,000 records of 1 KiB produced and consumed over a PLAINTEXT and over an SSL listener (zero-copy
 * primer §5). The broker appends produced batches from heap buffers; the plaintext fetch is sendfile from the
 * segment files, the SSL fetch reads them into a 32 KiB direct buffer and encrypts it.
 *
 * <p>Brokers, producers and consumers share Kafka's network classes, so a site's record holds both sides
 * (the threads tell them apart). {@code sample-interval=1}: every call's site is walked, so per-site bytes are
 * exact; with the default sampling, a thread that moves from a plaintext to a TLS connection has had some of
 * its TLS socket reads and writes assigned to {@code PlaintextTransportLayer}.
 */
class KafkaBrokerIT {
    static final String NET = "org.apache.kafka.common.network.";
    static final String PLAINTEXT_THREAD = "data-plane-kafka-network-thread-#-PLAINTEXT-PLAINTEXT-#";
    static final String SSL_THREAD = "data-plane-kafka-network-thread-#-SSL-SSL-#";
    static final int RECORDS = 2_000;
    static final long RECORD_BYTES = RECORDS * 1024L;
    /** Requests and responses other than the record batches (metadata, heartbeats, acks): an upper bound. */
    static final long CONTROL_TRAFFIC = 1 << 20;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void plaintextFetchIsSendfileSslFetchIsReadAndEncrypt(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off,sample-interval=1").testLibraries()
                .run("kafka-broker");
        assertEquals(0, run.exit(), run.stdout() + run.stderr());
        Map<String, Long> t = run.truth();
        for (String listener : List.of("plaintext", "ssl")) {
            assertEquals(RECORDS, t.get(listener + ".records"), listener);
            assertEquals(RECORD_BYTES, t.get(listener + ".recordBytes"), listener);
            // on disk each 1 KiB value carries its record header (~10 bytes of varints) and each batch 61 bytes
            long log = t.get(listener + ".logBytes");
            assertTrue(log > RECORD_BYTES && log < RECORD_BYTES + 64L * RECORDS, listener + " log bytes " + log);
        }
        long plaintextLog = t.get("plaintext.logBytes");
        long sslLog = t.get("ssl.logBytes");
        RecordingView rec = run.recording();
        assertEquals(List.of(), ((Map<?, ?>) rec.root.get("agent")).get("errors"));

        // PLAINTEXT fetch: FileRecords.writeTo -> PlaintextTransportLayer.transferFrom -> FileChannel.transferTo,
        // sendfile (JDK 21+ tries copy_file_range first). The consumer fetches more than a segment at once, so no
        // fetch cuts a batch and every byte of the topic's segments goes out exactly once.
        Map<String, Object> sendfile = only(rec, "file.transferTo", r -> true);
        assertSite(rec, sendfile, NET + "PlaintextTransportLayer.transferFrom(");
        assertStackHas(rec, sendfile, "org.apache.kafka.common.record.internal.FileRecords.writeTo(");
        assertEquals("direct", str(sendfile, "path"));
        assertEquals(jdk.feature() >= 21 ? "copy_file_range(EINVAL)+sendfile" : "sendfile", analyzed(sendfile).mechanism());
        assertEquals("none", str(sendfile, "reason"));
        assertEquals("file", kind(sendfile, "source"));
        assertEquals("socket", kind(sendfile, "target"));
        assertSegmentsOf("plaintext-0", names(sendfile, "source"));
        assertEquals(plaintextLog, num(sendfile, "bytesMoved"));
        assertEquals(0, num(sendfile, "jvmCopiedBytes"));
        assertEquals(1.0, analyzed(sendfile).cpuCopiesPerByte());
        assertEquals(List.of(PLAINTEXT_THREAD), sendfile.get("threads"));

        // SSL fetch: SslTransportLayer.transferFrom reads the segment into a 32 KiB direct buffer (pread), each
        // byte once, and wraps it: no transferTo (asserted above: the only one is the plaintext listener's)
        Map<String, Object> read = only(rec, "file.read", r -> "direct".equals(r.get("buffer")));
        assertSite(rec, read, NET + "SslTransportLayer.transferFrom(");
        assertEquals("positional", str(read, "form"));
        assertEquals("syscall", str(read, "path"));
        assertSegmentsOf("ssl-0", names(read, "source"));
        assertEquals(sslLog, num(read, "bytesMoved"));
        assertEquals(sslLog, num(read, "bytesRequested"));
        assertTrue(num(read, "calls") * 32 * 1024 >= sslLog, "at most 32 KiB a read: " + read);
        assertEquals(0, num(read, "jvmCopiedBytes"));
        assertEquals(List.of(SSL_THREAD), read.get("threads"));
        Map<String, Object> encrypt = only(rec, "tls.wrap", r -> "direct".equals(r.get("buffer")));
        assertSite(rec, encrypt, NET + "SslTransportLayer.write(");
        assertStackHas(rec, encrypt, NET + "SslTransportLayer.transferFrom(");
        assertEquals("tls-engine", str(encrypt, "path"));
        assertEquals("tls", str(encrypt, "reason"));
        assertEquals(sslLog, num(encrypt, "bytesMoved"));
        assertTrue(num(encrypt, "tlsBytesProduced") > sslLog, "TLS records add headers and tags: " + encrypt);
        assertEquals(List.of(SSL_THREAD), encrypt.get("threads"));

        // Produce, both listeners: the request buffer is heap; FileRecords.append -> MemoryRecords.writeFullyTo
        // writes it to the segment (heap -> temporary direct copy, then the write). The metadata log
        // (__cluster_metadata, KRaft) is appended the same way, so the row holds every .log byte of the broker.
        Map<String, Object> append = only(rec, "file.write",
                r -> rec.frame(r).startsWith("org.apache.kafka.common.record.internal.MemoryRecords.writeFullyTo("));
        assertStackHas(rec, append, "org.apache.kafka.common.record.internal.FileRecords.append(");
        assertEquals("single", str(append, "form"));
        assertEquals("syscall", str(append, "path"));
        assertEquals("heap", str(append, "buffer"));
        assertEquals(t.get("logBytes"), num(append, "bytesMoved"));
        assertEquals(t.get("logBytes"), num(append, "jvmCopiedBytes"));
        assertEquals(2.0, analyzed(append).cpuCopiesPerByte());
        assertTrue(names(append, "target").stream().anyMatch(n -> n.contains("/plaintext-0/")), append.toString());
        assertTrue(names(append, "target").stream().anyMatch(n -> n.contains("/ssl-0/")), append.toString());
        assertTrue(threads(append).contains("data-plane-kafka-request-handler-#"), append.toString());

        // PLAINTEXT requests and responses other than fetched records: gathering writes of heap buffers
        // (ByteBufferSend: size prefix + header + body), by the broker's network thread and by the clients. The
        // produce requests carry every batch once; the rest is framing and control traffic, bounded.
        Map<String, Object> gather = only(rec, "socket.write", r -> "gather".equals(r.get("form")));
        assertSite(rec, gather, NET + "PlaintextTransportLayer.write(");
        assertEquals("heap", str(gather, "buffer"));
        assertEquals(num(gather, "bytesMoved"), num(gather, "jvmCopiedBytes"));
        assertBetween(plaintextLog, plaintextLog + CONTROL_TRAFFIC, num(gather, "bytesMoved"), "gathering writes");
        // (a record keeps 8 thread groups, first seen first: the broker's network thread is among them)
        assertTrue(threads(gather).contains(PLAINTEXT_THREAD), gather.toString());
        // every plaintext socket write is one of those, or the sendfile
        assertEquals(List.of(gather), rec.where(r -> "socket.write".equals(r.get("operation"))
                && rec.frame(r).startsWith(NET + "PlaintextTransportLayer.")));
        // reads: the broker reads each produced batch, the consumer each fetched one (heap buffers)
        Map<String, Object> plainRead = only(rec, "socket.read",
                r -> rec.frame(r).startsWith(NET + "PlaintextTransportLayer.read("));
        assertEquals("heap", str(plainRead, "buffer"));
        assertBetween(2 * plaintextLog, 2 * plaintextLog + CONTROL_TRAFFIC, num(plainRead, "bytesMoved"),
                "plaintext socket reads");

        // SSL: SSLEngine in user space both ways, at Kafka's SslTransportLayer. Produce requests are wrapped from
        // heap buffers; fetched batches were wrapped from the direct buffer above; consumer and broker unwrap.
        Map<String, Object> wrapHeap = only(rec, "tls.wrap",
                r -> rec.frame(r).startsWith(NET + "SslTransportLayer.write(") && "heap".equals(r.get("buffer")));
        assertBetween(sslLog, sslLog + CONTROL_TRAFFIC, num(wrapHeap, "bytesMoved"), "heap wraps");
        Map<String, Object> unwrap = only(rec, "tls.unwrap",
                r -> rec.frame(r).startsWith(NET + "SslTransportLayer.read("));
        assertEquals("heap", str(unwrap, "buffer"));
        assertBetween(2 * sslLog, 2 * sslLog + CONTROL_TRAFFIC, num(unwrap, "tlsBytesProduced"), "plaintext unwrapped");
        assertTrue(threads(unwrap).contains(SSL_THREAD), unwrap.toString());
        assertTrue(!rec.where(r -> "tls.unwrap".equals(r.get("operation"))
                && rec.frame(r).startsWith(NET + "SslTransportLayer.handshakeUnwrap(")).isEmpty(), "handshake unwraps");
        // every TLS byte goes to the socket with single heap writes (SslTransportLayer.flush); only a close_notify
        // can stay unsent, when the peer has gone first
        long wrapped = sum(rec, "tls.wrap", r -> true, "tlsBytesProduced");
        long closeWrapped = sum(rec, "tls.wrap", r -> rec.frame(r).startsWith(NET + "SslTransportLayer.close("),
                "tlsBytesProduced");
        Map<String, Object> flush = only(rec, "socket.write",
                r -> rec.frame(r).startsWith(NET + "SslTransportLayer.flush("));
        assertEquals("single", str(flush, "form"));
        assertEquals("heap", str(flush, "buffer"));
        assertBetween(wrapped - closeWrapped, wrapped, num(flush, "bytesMoved"), "TLS bytes written");
        // every TLS byte read is unwrapped, but for a record a close cut short (none here in practice)
        long unwrapped = sum(rec, "tls.unwrap", r -> true, "bytesMoved");
        Map<String, Object> sslRead = only(rec, "socket.read",
                r -> rec.frame(r).startsWith(NET + "SslTransportLayer.readFromSocketChannel("));
        assertEquals("heap", str(sslRead, "buffer"));
        assertBetween(unwrapped, unwrapped + 17 * 1024, num(sslRead, "bytesMoved"), "TLS bytes read");

        // the report on real traffic: the plaintext fetch is good, never a relay; no gather advice for the
        // broker's gathering writes (one per response); the TLS limitation is quantified and ranks first
        List<Finding> findings = rec.findings();
        assertTrue(findings.stream().anyMatch(f -> f.rule().equals("zero-copy")
                && f.where().startsWith(NET + "PlaintextTransportLayer.transferFrom(")), findings.toString());
        for (Finding f : findings) {
            assertFalse(f.rule().equals("relay") && f.title().startsWith("A file → socket"), f.title());
            assertFalse(f.rule().equals("small-io") && f.advice().contains("writev"), f.title() + ": " + f.advice());
        }
        Finding tls = findings.stream().filter(f -> f.rule().equals("tls")).findFirst().orElseThrow();
        assertTrue(findings.indexOf(tls) <= 1, "the TLS limitation ranks among the first two: " + findings);
        assertTrue(tls.cost().cpuCopiedBytes() >= sslLog, tls.toString());
        // Kafka reads each request into a new heap buffer (NetworkReceive: MemoryPool.NONE allocates per receive):
        // the heap-buffer finding of its plaintext socket reads counts them and prices their allocation
        Finding heapReads = findings.stream().filter(f -> f.rule().equals("heap-buffer")
                && f.where().startsWith(NET + "PlaintextTransportLayer.read(")).findFirst().orElseThrow();
        assertTrue(heapReads.evidence().containsKey("fresh buffers"), heapReads.toString());
    }

    /** The one record of {@code operation} in the whole recording that {@code p} accepts. */
    static Map<String, Object> only(RecordingView rec, String operation, Predicate<Map<String, Object>> p) {
        List<Map<String, Object>> found = rec.where(r -> operation.equals(r.get("operation")) && p.test(r));
        if (found.size() != 1) {
            throw new AssertionError("expected one " + operation + " record, found " + found.size() + ": " + found);
        }
        return found.get(0);
    }

    static long sum(RecordingView rec, String operation, Predicate<Map<String, Object>> p, String key) {
        return rec.where(r -> operation.equals(r.get("operation")) && p.test(r)).stream()
                .mapToLong(r -> r.get(key) == null ? 0 : num(r, key)).sum();
    }

    static void assertSite(RecordingView rec, Map<String, Object> record, String framePrefix) {
        assertTrue(rec.frame(record).startsWith(framePrefix), "site " + rec.frame(record) + " of " + record);
    }

    @SuppressWarnings("unchecked")
    static void assertStackHas(RecordingView rec, Map<String, Object> record, String framePrefix) {
        List<String> stack = (List<String>) (record.get("stack") != null ? record.get("stack")
                : rec.site(record).get("stack"));
        assertTrue(stack.stream().anyMatch(f -> f.startsWith(framePrefix)), framePrefix + " not in " + stack);
    }

    /** Segment files of one partition folder only: {@code .../<partition>/<20 digits>.log}. */
    static void assertSegmentsOf(String partition, List<String> names) {
        assertTrue(!names.isEmpty() && names.stream().allMatch(n -> n.matches(".*/" + partition + "/\\d{20}\\.log")),
                names.toString());
    }

    @SuppressWarnings("unchecked")
    static List<String> threads(Map<String, Object> record) {
        return (List<String>) record.get("threads");
    }

    static void assertBetween(long low, long high, long actual, String what) {
        assertTrue(actual >= low && actual <= high, what + ": " + actual + " not in [" + low + ", " + high + "]");
    }
}
