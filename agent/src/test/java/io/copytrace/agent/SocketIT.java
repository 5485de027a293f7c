// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.analyzed;
import static io.copytrace.agent.RecordingView.dbl;
import static io.copytrace.agent.RecordingView.kind;
import static io.copytrace.agent.RecordingView.num;
import static io.copytrace.agent.RecordingView.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.Jdk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Socket channels (partial writes), java.net.Socket streams, datagrams and TLS engines. */
class SocketIT {
    static final long MiB = 1 << 20;
    static final long KiB = 1 << 10;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void partialNonBlockingWritesCopyTheRestAgain(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("partial-writes");

        Map<String, Long> truth = run.truth();
        Map<String, Object> w = run.recording().one("socket.write", "nonBlockingWrite");
        assertEquals("heap", str(w, "buffer"));
        assertEquals(truth.get("calls"), num(w, "calls"));
        assertEquals(4 * MiB, num(w, "bytesMoved"));
        // IOUtil copies all of remaining() before every try: the workload summed them itself
        assertEquals(truth.get("copied"), num(w, "jvmCopiedBytes"));
        assertEquals(truth.get("partial"), num(w, "partialCalls"));
        assertTrue(num(w, "jvmCopiedBytes") > num(w, "bytesMoved"), "a partial write must be re-copied");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void socketStreamsCopyThroughATemporaryDirectBuffer(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("socket-stream");
        assertEquals(16 * MiB, run.truth().get("received"));
        RecordingView rec = run.recording();

        Map<String, Object> w = rec.one("socket.stream.write", "streamWrite");
        assertEquals(256, num(w, "calls"));
        assertEquals(16 * MiB, num(w, "bytesMoved"));
        assertEquals("byte[]", str(w, "buffer"));
        assertEquals("socket", kind(w, "target"));
        // every try copies what is left: at least the bytes moved
        assertTrue(num(w, "jvmCopiedBytes") >= 16 * MiB, w.toString());

        Map<String, Object> r = rec.one("socket.stream.read", "streamRead");
        assertEquals(16 * MiB, num(r, "bytesMoved"));
        assertEquals(1, num(r, "eofCalls"));
        assertEquals(16 * MiB, num(r, "jvmCopiedBytes"));
        assertEquals(2.0, analyzed(r).cpuCopiesPerByte());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void datagramsWithHeapBuffers(Jdk jdk) throws Exception {
        RecordingView rec = AgentRun.on(jdk).agent("kernel=off").run("datagram").recording();

        Map<String, Object> send = rec.one("datagram.send", "datagramSend");
        assertEquals(100, num(send, "calls"));
        assertEquals(100 * KiB, num(send, "bytesMoved"));
        assertEquals(100 * KiB, num(send, "jvmCopiedBytes"));
        assertEquals("datagram", kind(send, "target"));
        Map<String, Object> receive = rec.one("datagram.receive", "datagramReceive");
        assertEquals(100, num(receive, "calls"));
        assertEquals(100 * KiB, num(receive, "bytesMoved"));
        assertEquals(100 * KiB, num(receive, "jvmCopiedBytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void javaNetDatagramSocketCopiesThePacketArray(Jdk jdk) throws Exception {
        RecordingView rec = AgentRun.on(jdk).agent("kernel=off").run("datagram-socket").recording();

        Map<String, Object> send = rec.one("datagram.send", "packetSend");
        assertEquals("byte[]", str(send, "buffer"));
        assertEquals(100, num(send, "calls"));
        assertEquals(100 * KiB, num(send, "bytesMoved"));
        assertEquals(100 * KiB, num(send, "jvmCopiedBytes"));
        Map<String, Object> receive = rec.one("datagram.receive", "packetReceive");
        assertEquals(100, num(receive, "calls"));
        assertEquals(100 * KiB, num(receive, "bytesMoved"));
        assertEquals(100 * KiB, num(receive, "jvmCopiedBytes"));
        assertEquals(2, rec.at("packetSend").size() + rec.at("packetReceive").size(),
                "the channel calls inside DatagramSocket are folded, not recorded twice");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void tlsEnginesAreInThePath(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("tls");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(MiB, run.truth().get("received"));
        RecordingView rec = run.recording();

        List<Map<String, Object>> wraps = rec.at("Tls.wrap");
        List<Map<String, Object>> unwraps = rec.at("Tls.unwrap");
        assertTrue(!wraps.isEmpty() && !unwraps.isEmpty());
        // application bytes consumed by wrap, and plaintext produced by unwrap, are exactly the data sent
        assertEquals(MiB, wraps.stream().mapToLong(r -> num(r, "bytesMoved")).sum());
        assertEquals(MiB, unwraps.stream().mapToLong(r -> r.containsKey("tlsBytesProduced")
                ? num(r, "tlsBytesProduced") : 0).sum());
        for (Map<String, Object> r : wraps) {
            assertEquals("tls.wrap", str(r, "operation"));
            assertEquals("tls-engine", str(r, "path"));
            assertEquals("tls", str(r, "reason"));
        }
        // the negotiated suite names the TLS end (the handshake's null suite is left out), and the finding says
        // what kernel TLS could do with it on this host
        String suite = run.stdout().lines().filter(l -> l.startsWith("SUITE ")).findFirst().orElseThrow().substring(6);
        assertTrue(suite.startsWith("TLS_AES_"), suite);
        assertEquals(List.of(suite), wraps.stream().flatMap(r -> RecordingView.names(r, "target").stream()).distinct().toList());
        assertEquals(List.of(suite), unwraps.stream().flatMap(r -> RecordingView.names(r, "source").stream()).distinct().toList());
        @SuppressWarnings("unchecked")
        Map<String, Object> ktls = (Map<String, Object>) rec.section("network").get("kernelTls");
        boolean module = java.nio.file.Files.isDirectory(java.nio.file.Path.of("/sys/module/tls"));
        assertEquals(module, ktls.get("moduleLoaded"));
        String said = rec.findings("tls").get(0).evidence().get("kernel TLS here");
        assertTrue(said.startsWith(suite + " (TLS 1.3): suites Linux kTLS implements; this host: tls module "
                + (module ? "loaded" : "not loaded")), said);
        assertTrue(said.contains("the JDK's SSLEngine has no kTLS"), said);
    }
}
