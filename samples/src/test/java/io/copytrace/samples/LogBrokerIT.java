// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import static io.copytrace.testing.ReportView.bytes;
import static io.copytrace.testing.ReportView.evidence;
import static io.copytrace.testing.ReportView.saving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.Jdk;
import io.copytrace.testing.ReportView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lesson 9, the Kafka-like broker: produce copies, a sendfile plaintext fetch, a TLS fetch that cannot be
 * zero-copy; and the variants that move the copies around.
 */
class LogBrokerIT {
    static final long MiB = 1 << 20;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void kafkaShapedBrokerShowsEveryPath(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample09LogBroker", "--mib=16");

        // then
        ReportView report = run.report();
        report.assertExactly(
                "opportunity relay broker.LogBroker.readBatch",         // produce: socket -> heap -> segment file
                "opportunity heap-buffer broker.TlsChannel.flush",      // TLS fetch: heap network buffer -> socket
                "limitation tls broker.TlsChannel.wrap",                // the broker encrypts in user space
                "limitation tls broker.TlsChannel.unwrap",              // the TLS consumer decrypts in user space
                "good zero-copy broker.LogSegment.transferTo");         // plaintext fetch: sendfile
        assertEquals(16 * MiB, run.total("produced"));
        // the produce relay, matched by memory from the socket reads to the segment appends: direct buffers
        // would save the JVM's copy on each side (4 -> 2 copies per byte)
        assertEquals(run.total("produced"), run.total("log.bytes"));
        assertEquals(run.total("log.bytes"), bytes(report.one("relay", "broker.LogBroker.readBatch")));
        assertEquals(2 * run.total("log.bytes"), saving(report.one("relay", "broker.LogBroker.readBatch"), "cpuCopiedBytes"));

        // the plaintext fetch path is sendfile: zero user-space copies
        Map<String, Object> sendfile = report.one("zero-copy", "broker.LogSegment.transferTo");
        assertEquals(run.total("fetched.plaintext"), bytes(sendfile));
        assertEquals(run.total("log.bytes"), run.total("fetched.plaintext"));
        assertTrue(((String) sendfile.get("title")).contains(jdk.feature() >= 21 ? "copy_file_range(EINVAL)+sendfile" : "(sendfile)"),
                () -> "" + sendfile.get("title"));

        // the TLS fetch path goes through user space, for the TLS reason
        assertEquals(run.total("log.bytes"), run.total("fetched.tls"));
        assertEquals(run.total("broker.tls.encrypted-sent"), bytes(report.one("heap-buffer", "broker.TlsChannel.flush")));
        assertEquals(run.total("broker.tls.plaintext-wrapped") + run.total("consumer.tls.plaintext-wrapped"),
                bytes(report.one("tls", "broker.TlsChannel.wrap")));
        assertEquals(run.total("consumer.tls.encrypted-received") + run.total("broker.tls.encrypted-received"),
                bytes(report.one("tls", "broker.TlsChannel.unwrap")));
        for (Map<String, Object> tls : report.all("tls", "broker.TlsChannel.wrap")) {
            assertEquals(0, saving(tls, "cpuCopiedBytes"));
        }
        ReportView recording = ReportView.read(run.recording());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> records = (List<Map<String, Object>>) recording.root.get("records");
        Map<String, Object> wrap = records.stream().filter(r -> "tls.wrap".equals(r.get("operation")))
                .max((a, b) -> Long.compare(((Number) a.get("bytesMoved")).longValue(), ((Number) b.get("bytesMoved")).longValue()))
                .orElseThrow();
        assertEquals("tls-engine", wrap.get("path"));
        assertEquals("tls", wrap.get("reason"));
        assertEquals(run.total("broker.tls.plaintext-wrapped"), ((Number) wrap.get("bytesMoved")).longValue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void heapLoopFetchIsAReadWriteLoop(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample09LogBroker", "--mib=16", "--fetch=heap-loop", "--tls=off",
                "--produce-buffers=direct");

        // then
        run.report().assertExactly("opportunity read-write-loop broker.LogBroker.sendWithHeapLoop");
        Map<String, Object> loop = run.report().one("read-write-loop", "broker.LogBroker.sendWithHeapLoop");
        assertEquals(run.total("fetched.plaintext"), bytes(loop));
        assertEquals(3 * run.total("fetched.plaintext"), saving(loop, "cpuCopiedBytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void zeroCopyBrokerHasNothingToFix(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample09LogBroker", "--mib=16", "--produce-buffers=direct", "--tls=off");

        // then
        run.report().assertExactly("good zero-copy broker.LogSegment.transferTo");
        assertEquals(run.total("produced"), run.total("fetched.plaintext"));
    }

    /**
     * Two tls.wrap records share the site frame TlsChannel.wrap (the broker's 16 MiB from a direct buffer,
     * the consumer's 192 B of requests from a heap buffer). The finding lists both records, and shows the
     * stack of the heavy one (the broker's fetch path), not the first caller the site was walked from.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void tlsFindingShowsTheHeavyRecord(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample09LogBroker", "--mib=16");

        // then
        Map<String, Object> wrap = run.report().one("tls", "broker.TlsChannel.wrap");
        long brokerWrapped = run.total("broker.tls.plaintext-wrapped");
        assertTrue(evidence(wrap).stream().anyMatch(line -> "tlsRecord".equals(line.get("name"))
                        && ((Number) line.get("bytesMoved")).longValue() == brokerWrapped),
                () -> "evidence: " + evidence(wrap));
        assertTrue(ReportView.stack(wrap).stream().anyMatch(f -> f.contains("LogBroker.serveTlsConsumer")),
                () -> "stack: " + ReportView.stack(wrap));
    }
}
