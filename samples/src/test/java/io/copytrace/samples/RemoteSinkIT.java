// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import static io.copytrace.testing.ReportView.bytes;
import static io.copytrace.testing.ReportView.saving;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.copytrace.samples.tools.NetNamespace;
import io.copytrace.testing.ForkedJvm;
import io.copytrace.testing.Jdk;
import io.copytrace.testing.WorkFolders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The benchmark's set-up ({@code make bench-samples}): the receiving side in another process (a
 * {@code tools.SinkServer}; in a network namespace over a veth pair when the test runs as root), the sample
 * under the agent sending to it with {@code -Dcopytrace.sink}. What the other process received is the truth
 * the sample's bytes are checked against, and the sample's few control calls add no finding.
 */
class RemoteSinkIT {
    static NetNamespace namespace;
    static ForkedJvm.Running sink;
    static String control;

    @BeforeAll
    static void startSink() throws Exception {
        String bind = "127.0.0.1";
        ForkedJvm server = ForkedJvm.of(Jdk.current()).in(WorkFolders.create("copytrace-sink-it")).named("sink")
                .classPath(List.of(System.getProperty("copytrace.samplesClasses", "target/classes")));
        if (NetNamespace.available()) {
            namespace = NetNamespace.forId(ProcessHandle.current().pid());
            namespace.create();
            bind = namespace.peerAddress();
            server.under(namespace.inside(List.of()));
        }
        sink = server.main("io.copytrace.samples.tools.SinkServer", "--bind=" + bind).start();
        control = bind + ":" + sink.awaitLine("SINK port=").substring("SINK port=".length());
    }

    @AfterAll
    static void stopSink() throws Exception {
        if (sink != null) sink.kill();
        if (namespace != null) namespace.remove();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void heapLoopToAnotherProcessIsOneReadWriteLoop(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, List.of("-D" + Loopback.REMOTE + "=" + control),
                "Sample02HeapBufferSend", "--mib=8");

        // then: the other process received every byte; the loop is the only finding
        run.report().assertExactly("opportunity read-write-loop Sample02HeapBufferSend.sendWithHeapBuffer");
        Map<String, Object> loop = run.report().one("read-write-loop", "Sample02HeapBufferSend.sendWithHeapBuffer");
        assertEquals(8 << 20, run.total("sent"));
        assertEquals(run.total("sent"), run.total("received"));
        assertEquals(run.total("sent"), bytes(loop));
        assertEquals(3 * run.total("sent"), saving(loop, "cpuCopiedBytes")); // kernel=off: sendfile counts 1 copy
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void tinyWritesToAnotherProcessAreSmallIo(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, List.of("-D" + Loopback.REMOTE + "=" + control),
                "Sample07GatheringWrite", "--messages=20000");

        // then
        run.report().assertExactly("opportunity small-io Sample07GatheringWrite.sendOneByOne",
                "opportunity small-io Sample07GatheringWrite.sendOneByOne");
        assertEquals(20000 * 128, run.total("sent"));
        assertEquals(run.total("sent"), run.total("received"));
        assertEquals(2 * 20000, run.total("write.calls"));
    }

    /**
     * Sample 9 with {@code -Dcopytrace.sink}: its producers and consumers run in the sink server's process, so
     * the recording holds the broker's copies only. The sample checks that the clients counted exactly what the
     * broker took and served (it fails otherwise); here the other process's counts are checked too.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void brokerClientsInAnotherProcess(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, List.of("-D" + Loopback.REMOTE + "=" + control),
                "Sample09LogBroker", "--mib=16");

        // then: the clients moved every byte, and the broker served them exactly that
        assertEquals(16 << 20, run.total("produced"));
        assertEquals(run.total("produced"), run.total("broker.produced"));
        assertEquals(run.total("log.bytes"), run.total("fetched.plaintext"));
        assertEquals(run.total("broker.fetched.plaintext"), run.total("fetched.plaintext"));
        assertEquals(run.total("broker.fetched.tls"), run.total("fetched.tls"));
        assertEquals(run.total("broker.tls.encrypted-sent"), run.total("consumer.tls.encrypted-received"));
        assertEquals(run.total("broker.tls.plaintext-wrapped"), run.total("consumer.tls.plaintext-unwrapped"));
        // the findings are the broker's: its produce relay, its TLS fetch, its sendfile; no tls unwrap finding
        // (in one process the consumer's decryption of the whole log is one): the consumer decrypted elsewhere
        run.report().assertExactly(
                "opportunity relay broker.LogBroker.readBatch",
                "opportunity heap-buffer broker.TlsChannel.flush",
                "limitation tls broker.TlsChannel.wrap",
                "good zero-copy broker.LogSegment.transferTo");
        assertEquals(run.total("log.bytes"), bytes(run.report().one("relay", "broker.LogBroker.readBatch")));
        assertEquals(run.total("fetched.plaintext"), bytes(run.report().one("zero-copy", "broker.LogSegment.transferTo")));
        // what the broker encrypted, nothing the consumer did (its requests' 768 B wrapped in the other process)
        assertEquals(run.total("broker.tls.plaintext-wrapped"), bytes(run.report().one("tls", "broker.TlsChannel.wrap")));
    }
}
